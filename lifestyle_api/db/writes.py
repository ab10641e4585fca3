"""Writes every feature makes the same way.

- `update_versioned`: read, change, save conditional on the version read. A request that
  loses a race reads again and retries (the one retry policy); with `If-Match` the client
  named the version, so a mismatch is a 412 instead. Updates are never lost.
- `delete_existing`: delete an item that must exist (404 otherwise), conditional on the
  version `If-Match` names (412); an item of the change feed leaves its tombstone in the
  same transaction.
- `delete_with_tombstones`: delete many items of the change feed, each with its tombstone,
  in transactions of up to 50 pairs.
- `batch_delete`: up to 25 keys in one BatchWriteItem, resending unprocessed ones (raw keys:
  no tombstones; for the account's deletion).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pynamodb.exceptions import PutError, TransactWriteError

from ..exceptions import Conflict, PreconditionFailed, ServiceUnavailable
from .base import TableItem
from .errors import ITEM_CONDITION_FAILED, cancellation_codes, is_condition_failure
from .query import table_connection
from .retry import retry_attempts
from .tombstones import transact_write

BATCH_WRITE_MAX = 25
# DynamoDB's limit is 100 actions a transaction; each delete brings its tombstone.
TRANSACTION_DELETES_MAX = 50

Item = TypeVar("Item", bound=TableItem)


def update_versioned(
    read: Callable[[], Item], change: Callable[[Item], None], *, if_match: int | None
) -> Item:
    for _attempt in retry_attempts():
        item = read()
        if if_match is not None and (item.version or 0) != if_match:
            raise PreconditionFailed()
        change(item)
        try:
            item.save()
        except PutError as exc:
            if not is_condition_failure(exc):
                raise
            if if_match is not None:
                raise PreconditionFailed() from exc
            continue
        return item
    raise Conflict()


def delete_existing(item: TableItem, *, if_match: int | None, read: Callable[[], object]) -> None:
    """`read()` is called only after a failed condition, to raise the caller's NotFound when
    the item is missing; otherwise the version did not match."""
    model = type(item)
    condition = model.pk.exists()
    if if_match is not None:
        condition &= model.version == if_match
    for _attempt in retry_attempts():
        try:
            with transact_write() as tx:
                tx.delete(item, condition=condition, add_version_condition=False)
            return
        except TransactWriteError as exc:
            if next(iter(cancellation_codes(exc)), None) == ITEM_CONDITION_FAILED:
                read()
                raise PreconditionFailed() from exc
            if not is_condition_failure(exc):  # another transaction held the item
                raise
    raise Conflict()


def delete_with_tombstones(items: list[TableItem]) -> None:
    """Delete items of the change feed whatever their version, each with its tombstone in
    the same transaction, up to 50 a transaction."""
    for start in range(0, len(items), TRANSACTION_DELETES_MAX):
        chunk = items[start : start + TRANSACTION_DELETES_MAX]
        for _attempt in retry_attempts():
            try:
                with transact_write() as tx:
                    for item in chunk:
                        tx.delete(item, add_version_condition=False)
                break
            except TransactWriteError as exc:
                if not is_condition_failure(exc):  # another transaction held an item
                    raise
        else:
            raise Conflict()


def batch_delete(keys: list[dict[str, Any]]) -> None:
    """Delete up to 25 items (raw keys) in one BatchWriteItem, resending unprocessed ones;
    503 when some are still unprocessed after the last attempt."""
    pending = keys
    table = TableItem.Meta.table_name
    for _attempt in retry_attempts():
        result = table_connection().batch_write_item(delete_items=pending)
        unprocessed = (result or {}).get("UnprocessedItems", {}).get(table, [])
        if not unprocessed:
            return
        pending = [request["DeleteRequest"]["Key"] for request in unprocessed]
    raise ServiceUnavailable("The account could not be deleted completely; try again.")
