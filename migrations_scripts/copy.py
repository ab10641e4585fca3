"""`copy-table --from <source>`: every item of another table into the configured one.

How a table moves to a layout with more local indexes: DynamoDB makes local indexes only
when it creates a table, so the new layout is a new table (`create-table`) and a copy of
every item (README "Moving to a new table layout"). On the way, each item the sync feed
serves (the kinds of `lifestyle_api.kinds`) that has no change key yet gets one, stamped at
the copy, so a first download from the new table holds it; tombstones and internal records
are copied as they are. Copying again writes the same items again: a copy interrupted
half way is finished by running it again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from lifestyle_api.db import connection
from lifestyle_api.db.changes import now
from lifestyle_api.db.keys import change_key
from lifestyle_api.db.retry import retry_attempts
from lifestyle_api.kinds import KINDS

BATCH_WRITE_MAX = 25


class CopyError(Exception):
    """Some items could not be written; the message says how many."""


@dataclass
class CopyTotals:
    pages: int = 0
    copied: int = 0
    given_change_keys: int = 0


def with_change_key(raw: dict[str, Any]) -> dict[str, Any]:
    """The raw item, with a change key if it is one the feed serves and has none."""
    if "LSI3SK" in raw or raw.get("kind", {}).get("S") not in KINDS:
        return raw
    return {**raw, "LSI3SK": {"S": change_key(now(), raw["SK"]["S"])}}


def copy_table(
    source: str, target: str, *, page_size: int | None = None, report: Callable[[str], None] = print
) -> CopyTotals:
    """Scan `source` page by page and write every item into `target` (BatchWriteItem)."""
    conn = connection()
    conn.describe_table(target)  # PynamoDB's batch writes need the table's key schema
    totals = CopyTotals()
    start_key = None
    while True:
        page = conn.scan(source, exclusive_start_key=start_key, limit=page_size)
        items = []
        for raw in page.get("Items", []):
            copied = with_change_key(raw)
            totals.given_change_keys += copied is not raw
            items.append(copied)
        for first in range(0, len(items), BATCH_WRITE_MAX):
            _write(conn, target, items[first : first + BATCH_WRITE_MAX])
        totals.pages += 1
        totals.copied += len(items)
        report(
            f"  page {totals.pages}: {len(items)} items | total {totals.copied} copied, "
            f"{totals.given_change_keys} given a change key"
        )
        start_key = page.get("LastEvaluatedKey")
        if not start_key:
            return totals


def _write(conn, table: str, items: list[dict[str, Any]]) -> None:
    """One BatchWriteItem, resending what DynamoDB left unprocessed."""
    pending = items
    for _attempt in retry_attempts():
        answer = conn.batch_write_item(table, put_items=pending) or {}
        unprocessed = answer.get("UnprocessedItems", {}).get(table, [])
        if not unprocessed:
            return
        pending = [request["PutRequest"]["Item"] for request in unprocessed]
    raise CopyError(f"{len(pending)} items could not be written to {table}; run the copy again")
