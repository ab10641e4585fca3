"""The sync feed (API.md "Sync"): every change to a user's items, oldest first, in pages
that resume from a position. No Flask here.

Every item a client syncs carries a change key `CHANGE#<changedAt>#<SK>` on the change
index (LSI3), written in the same request as the item (`db.changes`); a deleted item leaves
a tombstone there (`db.tombstones`). A page is ONE consistent Query of that index in the
caller's partition, between the position the client holds and the bound
`CHANGE#<now - SETTLE_WINDOW>`, so its cost is the page's items, whatever the history.
Each item is written by its own feature, as its `GET` answers it (`lifestyle_api.kinds`).

Positions. The next position is the key of the last item read when DynamoDB stopped early
(`hasMore: true`), else the bound (everything settled was read). Without a position the
feed starts below every key (the initial download), with a floor at its first bound:
tombstones below the floor stand for items deleted before the download began, which the
client never held, so they are skipped. The profile's timezone and unit system, which shape
goals' progress and metrics' units, travel with the position, so a page is one request; a
page that holds the profile uses it. A position older than `FEED_RETENTION` may have missed
expired tombstones: `410` with `resync`.

Why no change is skipped. Write S = `SETTLE_WINDOW`, L = `LATE_WRITE`, e = `CLOCK_SKEW` (each
process's clock is within e of real time), S >= L + 2e. A change C has key k, stamped at t
by its writer's clock, and is visible to consistent reads from real time c. A page reads the
clock r at real time p, then queries from real time q >= p, the window from its position
up to the bound B = r - S, in key order, and returns the next position T.

1. k >= B: T <= B < k (no key equals a bound), so C lies after T.
2. k < B and C was visible when the query ran: the query reads the window in key order
   and C is in the window (or before the page's own position, so an earlier page read it),
   so C is in this page, or DynamoDB stopped before it and T < k.
3. k < B and C was not yet visible (c > q): then t < B <= p + e - S and c > q >= p, so the
   writer, whose answer comes at a >= c and whose clock then reads at least a - e, sees its
   answer late by more than (p - e) - (p + e - S) = S - 2e >= L. It then moves the item to
   a fresh key, conditional on the item still carrying k (`db.changes.restamp_late`): the
   move is a change of its own, stamped after the answer, and this argument applies to it.
   If the condition fails, a later write replaced C, and that write, which carries the
   item's newer state, is a change this argument covers.

So every change is in the page, or at (or moved to) a key after T, or replaced by a newer
change that is; pages after T read on from T, and their bounds pass any key as time goes.
Two things are assumed: the writer sees its answer (a write whose writer dies after
DynamoDB applied it late, with no retry, is not moved), and clocks differ by less than a
DynamoDB round trip, so a write that depends on another's result (a check-in created again
after its delete) is stamped after it. Within a page an item comes at most once (the latest
of its keys read), and the page's changes keep the order of their keys.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..db import changes
from ..db.keys import (
    FEED_START,
    change_bound,
    change_id,
    change_position_parts,
    deleted_sk,
    is_tombstone,
)
from ..db.query import change_page
from ..db.reads import Presentation, presentation_of
from ..db.tombstones import FEED_RETENTION
from ..exceptions import Gone, InvalidInput
from ..kinds import KINDS, Kind, kind_of
from ..profile import service as profile_service
from ..records import Record
from ..timeutil import format_instant
from ..units import UNIT_SYSTEMS

DEFAULT_LIMIT = 100
MAX_LIMIT = 500
SINCE_ERROR = "The token is not valid; start again without `since`."
EXPIRED = "The token is older than the deletes the feed keeps; start again without `since`."
# Items whose `GET` answer depends on the profile (progress for today, units).
SHAPED_BY_PROFILE = frozenset({"goal", "metric"})


class Position(Record):
    """Where a client is in the feed: every change at or before `key` was delivered."""

    key: str
    # The initial download's first bound: tombstones below it are skipped.
    floor: str | None = None
    # The profile's timezone and unit system, once a page has needed or read them.
    presentation: Presentation | None = None

    def payload(self) -> dict[str, Any]:
        """The position as the JSON object its signed token holds."""
        payload: dict[str, Any] = {"p": self.key}
        if self.floor is not None:
            payload["f"] = self.floor
        if self.presentation is not None:
            payload["z"], payload["u"] = self.presentation
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Position:
        """The position a (verified) token holds; `InvalidInput` for any other shape."""
        key, floor = payload.get("p"), payload.get("f")
        timezone, unit_system = payload.get("z"), payload.get("u")
        try:
            change_position_parts(key)
            if floor is not None:
                change_position_parts(floor)
        except (TypeError, AttributeError, ValueError) as exc:
            raise InvalidInput(details={"since": [SINCE_ERROR]}) from exc
        presentation = None
        if isinstance(timezone, str) and unit_system in UNIT_SYSTEMS:
            presentation = Presentation(timezone, unit_system)
        elif timezone is not None or unit_system is not None:
            raise InvalidInput(details={"since": [SINCE_ERROR]})
        return cls(key, floor, presentation)


class Page(Record):
    changes: list[dict[str, Any]]
    next: Position
    has_more: bool


def changes_page(
    sub: str, position: Position | None, *, limit: int, now: datetime | None = None
) -> Page:
    """The changes after `position` (from the beginning when `None`) that have settled, at
    most `limit`: one consistent Query of the change index, plus the profile's GetItem only
    on a first page that needs it and does not hold it."""
    now = now or changes.now()
    bound = change_bound(now - changes.SETTLE_WINDOW)
    if position is None:
        position = Position(FEED_START, floor=bound)
    else:
        _check_retained(position, now)
    if position.key >= bound:  # a bound from a clock ahead of this one: nothing settled yet
        return Page([], position, has_more=False)

    raws, more = change_page(sub, position.key, bound, limit=limit)
    presentation = _presentation(sub, raws, position.presentation)
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in raws:
        change = _change(raw, presentation, position.floor)
        if change is not None:
            identity = (change["kind"], change["id"])
            latest.pop(identity, None)  # the later key holds the later state
            latest[identity] = change

    next_key = raws[-1]["LSI3SK"]["S"] if more and raws else bound
    floor = position.floor if position.floor and next_key < position.floor else None
    return Page(list(latest.values()), Position(next_key, floor, presentation), more)


def _check_retained(position: Position, now: datetime) -> None:
    """`Gone` when tombstones the position still needs may have expired: those after its
    key (after its floor, during the initial download)."""
    needed_from, _sk = change_position_parts(position.floor or position.key)
    if needed_from is None or needed_from < now - FEED_RETENTION:
        raise Gone(EXPIRED, details={"resync": True})


def _presentation(
    sub: str, raws: list[dict[str, Any]], known: Presentation | None
) -> Presentation | None:
    """The profile's timezone and unit system for this page: from the newest profile in the
    page, else those the position carries, else (a first page that needs them) read."""
    profiles = [raw for raw in raws if raw.get("kind", {}).get("S") == "profile"]
    if profiles:
        return presentation_of(profile_service.profile_from_raw(profiles[-1]))
    if known is not None:
        return known
    if any(raw.get("kind", {}).get("S") in SHAPED_BY_PROFILE for raw in raws):
        return presentation_of(profile_service.find_profile(sub))
    return None


def _change(
    raw: dict[str, Any], presentation: Presentation | None, floor: str | None
) -> dict[str, Any] | None:
    pk, sk, key = raw["PK"]["S"], raw["SK"]["S"], raw["LSI3SK"]["S"]
    changed_at, _sk = change_position_parts(key)
    if is_tombstone(sk):
        if floor is not None and key < floor:
            return None  # deleted before the initial download began
        kind = KINDS.get(raw.get("deletedKind", {}).get("S", ""))
        return _shape(kind, change_id(pk, deleted_sk(sk)), "delete", raw, changed_at, None)
    kind = kind_of(raw)
    data = kind.read(raw, presentation or Presentation()) if kind else None
    return _shape(kind, change_id(pk, sk), "upsert", raw, changed_at, data)


def _shape(
    kind: Kind | None,
    item_id: str,
    op: str,
    raw: dict[str, Any],
    changed_at: datetime | None,
    data: dict[str, Any] | None,
) -> dict[str, Any] | None:
    if kind is None or changed_at is None:
        return None
    return {
        "kind": kind.name,
        "id": item_id,
        "op": op,
        "version": int(raw.get("version", {}).get("N", "1")),
        "changedAt": format_instant(changed_at),
        "data": data,
    }
