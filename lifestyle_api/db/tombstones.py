"""Deletes on the change feed, and the transaction every feature writes pairs with.

Deleting an item of the change feed leaves a tombstone (`SK = TOMBSTONE#<its SK>`, the
deleted item's kind, its own change key) in the same transaction, so a client that held the
item learns of the delete. Tombstones expire by TTL after `TOMBSTONE_RETENTION`; the feed
refuses positions older than `FEED_RETENTION` (a `410`), so no delete it still owes a
client has expired. Deleting the same id again (a check-in day) rewrites its tombstone.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from pynamodb.attributes import UnicodeAttribute
from pynamodb.transactions import TransactWrite

from . import changes
from .base import TableItem, connection
from .keys import tombstone_sk

# API.md: deletes are kept at least 30 days. Tombstones live a day longer than positions
# are accepted, so a position still accepted never misses a delete to clock skew.
FEED_RETENTION = timedelta(days=30)
TOMBSTONE_RETENTION = FEED_RETENTION + timedelta(days=1)


class TombstoneItem(TableItem, discriminator="tombstone"):
    """What is left of a deleted item on the change index."""

    in_change_feed = True
    deleted_kind = UnicodeAttribute(attr_name="deletedKind")

    @classmethod
    def for_deleted(cls, item: TableItem) -> TombstoneItem:
        return cls(item.pk, tombstone_sk(item.sk))

    def actions(self, deleted: TableItem, at: datetime) -> list:
        """Update actions writing the tombstone of `deleted` (an update: it may exist)."""
        kind = TableItem.kind.get_discriminator(type(deleted))
        return [
            TombstoneItem.kind.set(TombstoneItem),
            TombstoneItem.deleted_kind.set(kind),
            TombstoneItem.expires_at.set(at + TOMBSTONE_RETENTION),
        ]


class ChangeFeedTransaction(TransactWrite):
    """PynamoDB's `TransactWrite` for the single table: items of the change feed it puts or
    updates get their change key in the same transaction, and each such item it deletes
    leaves a tombstone there. After the commit, a late answer moves them to a fresh key."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._stamped = changes.StampedWrite()

    def save(self, model, condition=None, return_values=None) -> None:
        if model.in_change_feed:
            changes.stamp(model, self._stamped.stamp_time())
            self._stamped.add(model)
        super().save(model, condition, return_values)

    def update(
        self, model, actions, condition=None, return_values=None, *, add_version_condition=True
    ) -> None:
        if model.in_change_feed:
            actions = [*actions, *changes.stamp_actions(model, self._stamped.stamp_time())]
            self._stamped.add(model)
        super().update(
            model, actions, condition, return_values, add_version_condition=add_version_condition
        )

    def delete(self, model, condition=None, *, add_version_condition=True) -> None:
        super().delete(model, condition, add_version_condition=add_version_condition)
        if model.in_change_feed:
            tombstone = TombstoneItem.for_deleted(model)
            at = self._stamped.stamp_time()
            self.update(tombstone, tombstone.actions(model, at), add_version_condition=False)

    def __exit__(self, exc_type, exc_val, exc_tb):
        result = super().__exit__(exc_type, exc_val, exc_tb)
        if exc_type is None:
            self._stamped.finish()
        return result


def transact_write() -> ChangeFeedTransaction:
    """`with transact_write() as tx:` — all writes inside commit together or not at all."""
    return ChangeFeedTransaction(connection=connection())
