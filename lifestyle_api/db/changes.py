"""The change index (LSI3): every item a client syncs carries `LSI3SK =
CHANGE#<changedAt>#<SK>`, written in the same request as the item itself.

Items take part by declaring `in_change_feed = True`; the base item (`TableItem.save`,
`TableItem.update`, `TableItem.batch_write`) and the transaction (`db.transact_write`) call
the functions here for them, so no feature writes a change key of its own. Internal records
(idempotency keys, source markers, coach caches, migration records) carry none and stay
out of the feed.

Stamps and late writes (the no-skip argument is in `lifestyle_api.sync.service`):

- A write's stamp is this process's clock when the request is built, right before it is sent.
- The feed never reads past `now - SETTLE_WINDOW`. A write answered within `LATE_WRITE` of
  its stamp was applied within that time, so no reader has passed its key yet.
- A write answered later than that (throttling, SDK retries, a slow network) may have been
  applied after a reader moved past its key: the writer then moves the item to a fresh key
  (`restamp_late`), conditional on the item still carrying the key it wrote, so a newer
  write is never undone. The move is a write like any other and is checked the same way.
- `SETTLE_WINDOW >= LATE_WRITE + 2 * CLOCK_SKEW`: the clocks of two processes may differ by
  `CLOCK_SKEW` each way.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from pynamodb.constants import PUT
from pynamodb.exceptions import UpdateError
from pynamodb.models import BatchWrite

from ..observability import logger
from ..timeutil import utc_now
from .errors import is_condition_failure
from .keys import change_key

SETTLE_WINDOW = timedelta(seconds=5)
LATE_WRITE = timedelta(seconds=4)
CLOCK_SKEW = timedelta(milliseconds=500)
# A late write is moved at most this many times; each move is one small UpdateItem.
RESTAMP_ATTEMPTS = 5


def now() -> datetime:
    """The clock of change stamps and of the feed's bound (tests move it)."""
    return utc_now()


def stamp(item: Any, at: datetime) -> str:
    """Give `item` its change key for a write at `at`; returns the key."""
    item.lsi3_sk = change_key(at, item.sk)
    return item.lsi3_sk


def stamp_actions(item: Any, at: datetime) -> list:
    """Update actions that move `item` to its change key for a write at `at`."""
    return [type(item).lsi3_sk.set(stamp(item, at))]


class StampedWrite:
    """The items one request stamped, and when: after the answer, `finish()` moves them to
    a fresh key if the answer came late."""

    def __init__(self) -> None:
        self.at: datetime | None = None
        self.items: list[Any] = []

    def stamp_time(self) -> datetime:
        if self.at is None:
            self.at = now()
        return self.at

    def add(self, item: Any) -> None:
        self.items.append(item)

    def finish(self) -> None:
        if self.at is not None and self.items:
            restamp_late(self.items, self.at)


def restamp_late(items: Iterable[Any], stamped_at: datetime) -> None:
    """Move each item to a fresh change key if its write was answered later than
    `LATE_WRITE` after `stamped_at`."""
    for item in items:
        key, at = item.lsi3_sk, stamped_at
        for _attempt in range(RESTAMP_ATTEMPTS):
            if now() - at <= LATE_WRITE:
                break
            at = now()
            key = _move(item, key, at)
            if key is None:
                break
        else:
            logger.error("A change key could not be written in time", extra={"sk": item.sk})


def _move(item: Any, key: str, at: datetime) -> str | None:
    """Give the stored item a change key for `at` if it still carries `key`: the new key,
    or `None` when a later write has replaced it (that write carries its own key)."""
    model = type(item)
    fresh = change_key(at, item.sk)
    try:
        model._get_connection().update_item(
            item.pk,
            item.sk,
            actions=[model.lsi3_sk.set(fresh)],
            condition=model.lsi3_sk == key,
        )
    except UpdateError as exc:
        if is_condition_failure(exc):
            return None
        raise
    item.lsi3_sk = fresh
    return fresh


class StampingBatchWrite(BatchWrite):
    """PynamoDB's batch writer, stamping the items of the change feed it puts when each
    batch is sent. Deleting an item of the feed needs a tombstone in the same write: use a
    transaction (`db.transact_write`) for those."""

    def delete(self, del_item) -> None:
        if del_item.in_change_feed:
            raise TypeError("delete items of the change feed in a transaction (tombstones)")
        super().delete(del_item)

    def commit(self) -> None:
        stamped = StampedWrite()
        for operation in self.pending_operations:
            item = operation["item"]
            if operation["action"] == PUT and item.in_change_feed:
                stamp(item, stamped.stamp_time())
                stamped.add(item)
        super().commit()
        stamped.finish()
