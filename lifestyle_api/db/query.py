"""One page of a query: exactly one DynamoDB Query request per list call; and raw pages of
a user's whole partition, which the export and account deletion walk."""

from __future__ import annotations

from typing import Any

from pynamodb.expressions.condition import Condition

from .base import TableItem
from .keys import user_pk


def query_page(
    model,
    hash_key: str,
    range_key_condition: Condition | None = None,
    *,
    limit: int,
    start_key: dict[str, Any] | None = None,
    newest_first: bool = True,
    index=None,
    filter_condition: Condition | None = None,
) -> tuple[list, dict[str, Any] | None]:
    """Items of one Query page (after filters, so possibly fewer than `limit`) and the key
    to continue from, or `None` at the end.

    PynamoDB's iterators would fetch further pages to fill `limit`; a list route must cost
    one request whatever the user's history holds, so this reads the first page only.
    """
    results = (index or model).query(
        hash_key,
        range_key_condition,
        filter_condition=filter_condition,
        scan_index_forward=not newest_first,
        page_size=limit,
        last_evaluated_key=start_key,
    )
    page = next(results.page_iter, {})
    items = [model.from_raw_data(raw) for raw in page.get("Items", [])]
    return items, results.page_iter.last_evaluated_key


KEY_ATTRIBUTES = ("PK", "SK")


def partition_page(
    sub: str,
    *,
    start_key: dict[str, Any] | None = None,
    limit: int | None = None,
    keys_only: bool = False,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """One Query page of every item in the user's partition, in sort-key order, as raw
    DynamoDB items, and the key to continue from (`None` at the end).

    Raw on purpose: a model query would filter on the item kinds this process has
    imported, and the export and the deletion must see every item whatever its kind.
    """
    page = table_connection().query(
        user_pk(sub),
        attributes_to_get=list(KEY_ATTRIBUTES) if keys_only else None,
        exclusive_start_key=start_key,
        limit=limit,
    )
    return page.get("Items", []), page.get("LastEvaluatedKey")


def table_connection():
    """PynamoDB's connection to the single table, with its key schema from the models (the
    raw reads and batch writes here need no DescribeTable)."""
    return TableItem._get_connection()


def item_key(raw: dict[str, Any]) -> dict[str, Any]:
    """The primary key of a raw item, as DynamoDB's `LastEvaluatedKey` would give it."""
    return {name: raw[name] for name in KEY_ATTRIBUTES}
