"""Every key format of the single table, written once (DESIGN.md "The single table").

All of one user's items share the partition `USER#<sub>`. Instants in keys are UTC and
fixed-width so string order is time order; `<date>` is the user's local day when the item
was written. Key parts that come from users are percent-encoded so a `#` inside them can
never collide with another key.

The change index (LSI3) orders every item a client syncs by its last change:
`CHANGE#<changedAt>#<SK>`; a deleted item leaves a tombstone `TOMBSTONE#<its SK>` there.
A feed position is a key of that index (everything up to it was delivered) or a bound
`CHANGE#<instant>`, which no key equals: changes stamped before the instant sort below it,
changes stamped at or after it above.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from urllib.parse import quote

from ulid import ULID

from ..timeutil import instant_key, to_utc

STATUS_SHARDS = 16

USER_PREFIX = "USER#"
PROFILE_SK = "PROFILE"
GOAL_PREFIX = "GOAL#"
CHECKIN_PREFIX = "CHECKIN#"
ACTIVITY_PREFIX = "ACTIVITY#"
MEAL_PREFIX = "MEAL#"
METRIC_PREFIX = "METRIC#"
SOURCE_PREFIX = "SOURCE#"
IDEMPOTENCY_PREFIX = "IDEMPOTENCY#"
COACH_PREFIX = "COACH#"
DEVICE_PREFIX = "DEVICE#"
NOTIFICATION_PREFIX = "NOTIFICATION#"
DAY_PREFIX = "DAY#"
CHANGE_PREFIX = "CHANGE#"
TOMBSTONE_PREFIX = "TOMBSTONE#"
LIMIT_PREFIX = "LIMIT#"
ERASURE_PREFIX = "ERASURE#"
# GSI1 partition of the account deletions whose second pass has not run yet.
ERASURE_PENDING = f"{ERASURE_PREFIX}PENDING"
MIGRATION_PK = "MIGRATION"
# Below every change key: the position of a feed that has delivered nothing yet.
FEED_START = CHANGE_PREFIX
# Sorts after every character a key part uses (digits, letters, `#`, `%`, `-`, `.`, `:`),
# so `<prefix><end>` closes an inclusive range.
KEY_RANGE_END = "~"


def encode_part(value: str) -> str:
    """Percent-encode a user-supplied key part; `#` and `%` never survive as themselves."""
    return quote(value, safe="")


def user_pk(sub: str) -> str:
    return f"{USER_PREFIX}{sub}"


def sub_of(pk: str) -> str:
    """The user whose partition `pk` is."""
    return pk.removeprefix(USER_PREFIX)


def goal_sk(goal_id: str) -> str:
    return f"{GOAL_PREFIX}{goal_id}"


def goal_id_of(sk: str) -> str:
    """The goal whose sort key `sk` is (an index entry carries the keys, not `goalId`)."""
    return sk.removeprefix(GOAL_PREFIX)


def checkin_prefix(goal_id: str) -> str:
    return f"{CHECKIN_PREFIX}{goal_id}#"


def checkin_sk(goal_id: str, day: date | str) -> str:
    return f"{checkin_prefix(goal_id)}{day}"


def entry_sk(prefix: str, entry_id: str) -> str:
    """`<PREFIX><id>`: a log entry (`ACTIVITY#`, `MEAL#`, `METRIC#`) by id."""
    return f"{prefix}{entry_id}"


def entry_time_key(prefix: str, at: datetime, entry_id: str) -> str:
    """`<prefix><instant>#<id>`: a log entry on the time index (LSI1), where `time_range`
    reads it. A metric's prefix holds its type (`metric_type_prefix`)."""
    return f"{prefix}{instant_key(at)}#{entry_id}"


def meal_day_key(day: date | str, eaten_at: datetime, meal_id: str) -> str:
    """`DAY#<date>#MEAL#<eatenAt>#<id>`: the instant keeps one day's meals in time order."""
    return day_key(day, "MEAL", instant_key(eaten_at), meal_id)


def time_range(prefix: str, start: datetime | None, end: datetime | None) -> tuple[str, str]:
    """Inclusive LSI1 bounds `(low, high)` for the keys `<prefix><instant>#<id>` whose
    instant lies between `start` and `end` (either open when `None`)."""
    low = f"{prefix}{instant_key(start)}" if start else prefix
    high = f"{prefix}{instant_key(end)}#{KEY_RANGE_END}" if end else f"{prefix}{KEY_RANGE_END}"
    return low, high


def metric_type_prefix(metric_type: str) -> str:
    return f"{METRIC_PREFIX}{metric_type}#"


def source_marker_sk(source_name: str, external_id: str) -> str:
    return f"{SOURCE_PREFIX}{encode_part(source_name)}#{encode_part(external_id)}"


def idempotency_sk(key_hash: str) -> str:
    return f"{IDEMPOTENCY_PREFIX}{key_hash}"


def coach_cache_sk(kind: str, period: str, period_start: date | str) -> str:
    return f"{COACH_PREFIX}{kind}#{period}#{period_start}"


def coach_refresh_sk(window_start: datetime) -> str:
    """`COACH#REFRESH#<UTC hour>`: the counter of one user's cache refreshes in that hour."""
    return f"{COACH_PREFIX}REFRESH#{to_utc(window_start):%Y-%m-%dT%H}"


def change_key(changed_at: datetime, sk: str) -> str:
    """`CHANGE#<changedAt>#<SK>`: the item's place on the change index (LSI3)."""
    return f"{CHANGE_PREFIX}{instant_key(changed_at)}#{sk}"


def change_bound(instant: datetime) -> str:
    """`CHANGE#<instant>`: above every change stamped before `instant`, below every other."""
    return f"{CHANGE_PREFIX}{instant_key(instant)}"


def change_position_parts(position: str) -> tuple[datetime | None, str | None]:
    """The instant and the item's sort key of a change key (`(instant, None)` for a bound,
    `(None, None)` for `FEED_START`); `ValueError` for anything else."""
    if not position.startswith(CHANGE_PREFIX):
        raise ValueError("not a change position")
    rest = position.removeprefix(CHANGE_PREFIX)
    if not rest:
        return None, None
    instant, _hash, sk = rest.partition("#")
    if len(instant) != len("2026-11-26T06:30:00.000Z") or not instant.endswith("Z"):
        raise ValueError("not a change position")
    return to_utc(datetime.fromisoformat(instant)), sk or None


def tombstone_sk(deleted_sk: str) -> str:
    """`TOMBSTONE#<SK>`: what is left of a deleted item on the change index."""
    return f"{TOMBSTONE_PREFIX}{deleted_sk}"


def deleted_sk(sk: str) -> str:
    """The sort key of the item a tombstone stands for."""
    return sk.removeprefix(TOMBSTONE_PREFIX)


def is_tombstone(sk: str) -> bool:
    return sk.startswith(TOMBSTONE_PREFIX)


def change_id(pk: str, sk: str) -> str:
    """The id clients know an item by, from its key: the user id for the profile,
    `<goalId>/<date>` for a check-in, the item's own id for the others."""
    if sk == PROFILE_SK:
        return sub_of(pk)
    if sk.startswith(CHECKIN_PREFIX):
        goal_id, _hash, day = sk.removeprefix(CHECKIN_PREFIX).partition("#")
        return f"{goal_id}/{day}"
    return sk.partition("#")[2]


def attempt_log_key(email_digest: str, action: str) -> tuple[str, str]:
    """`LIMIT#<digest of the email>` / `LIMIT#<action>`: the recent attempts of one action
    for one email (abuse limits on the public routes). The email itself is never a key."""
    return f"{LIMIT_PREFIX}{email_digest}", f"{LIMIT_PREFIX}{action}"


def erasure_pending_sk(deleted_at: datetime, sub: str) -> str:
    """GSI1 sort key of a pending deletion: `ERASURE#<deletedAt>#<sub>`, in deletion order."""
    return f"{ERASURE_PREFIX}{instant_key(deleted_at)}#{sub}"


def erasure_due_until(deleted_before: datetime) -> str:
    """Upper bound of the pending deletions made at or before `deleted_before`."""
    return f"{ERASURE_PREFIX}{instant_key(deleted_before)}#{KEY_RANGE_END}"


def device_sk(platform: str, token: str) -> str:
    """`DEVICE#<hash of platform and token>`: one item per push token of the user, so the
    same token registered twice is the same item (the token itself stays out of the key)."""
    digest = hashlib.sha256(f"{platform}:{token}".encode()).hexdigest()
    return f"{DEVICE_PREFIX}{digest[:32]}"


def device_time_key(created_at: datetime, device_id: str) -> str:
    """The devices' newest-first order on LSI1: `DEVICE#<createdAt>#<id>`."""
    return f"{DEVICE_PREFIX}{instant_key(created_at)}#{device_id}"


def notification_sk(notification_id: str) -> str:
    return f"{NOTIFICATION_PREFIX}{notification_id}"


def once_a_day_notification_id(goal_id: str, kind: str, day: date) -> str:
    """The id of the one notification of `kind` for a goal on a local day: a ULID whose time
    is that day (00:00 UTC) and whose random part is a hash of the three, so every pass that
    decides to send it names the same item and a conditional put writes it once."""
    digest = hashlib.sha256(f"{goal_id}#{kind}#{day.isoformat()}".encode()).digest()
    midnight = datetime(day.year, day.month, day.day, tzinfo=UTC)
    milliseconds = int(midnight.timestamp() * 1000)
    return str(ULID.from_bytes(milliseconds.to_bytes(6, "big") + digest[:10]))


def notification_time_key(created_at: datetime, notification_id: str) -> str:
    """The inbox's order on LSI1: `NOTIFICATION#<createdAt>#<id>`."""
    return f"{NOTIFICATION_PREFIX}{instant_key(created_at)}#{notification_id}"


def day_prefix(day: date | str) -> str:
    """Start of one local day's range on the day index (LSI2)."""
    return f"{DAY_PREFIX}{day}#"


def day_kind_prefix(day: date | str, kind: str) -> str:
    """Start of one kind's entries on one local day (`DAY#<date>#MEAL#`)."""
    return f"{day_prefix(day)}{kind}#"


def day_key(day: date | str, kind: str, *parts: str) -> str:
    """`DAY#<date>#<KIND>#<parts…>`: an item's entry on the day index (LSI2)."""
    return "#".join([f"{DAY_PREFIX}{day}", kind, *parts])


def status_shard(sub: str) -> int:
    """A stable shard for the user, so one status never becomes one hot partition."""
    digest = hashlib.sha256(sub.encode()).digest()
    return int.from_bytes(digest[:4], "big") % STATUS_SHARDS


def status_gsi_pk(status: str, shard: int) -> str:
    return f"STATUS#{status.upper()}#{shard:02d}"


def status_gsi_pk_for_user(status: str, sub: str) -> str:
    return status_gsi_pk(status, status_shard(sub))


def status_gsi_sk(sub: str, updated_at: datetime) -> str:
    return f"{USER_PREFIX}{sub}#{instant_key(updated_at)}"


def pending_push_gsi_pk(shard: int) -> str:
    """GSI1 keys of notifications whose push is not finished, sharded like the user's goals
    (`PUSH#PENDING#07`); the key is removed once the push is done, so the index stays small."""
    return f"PUSH#PENDING#{shard:02d}"


# Range bounds: "~" sorts after every character used in dates, ids and kinds.
RANGE_END = "~"


def checkin_range(goal_id: str, first: date | None, last: date | None) -> tuple[str, str]:
    """Bounds of a BETWEEN over one goal's check-ins from `first` to `last` (inclusive)."""
    prefix = checkin_prefix(goal_id)
    return f"{prefix}{first or ''}", f"{prefix}{last or RANGE_END}"


def day_range(first: date, last: date) -> tuple[str, str]:
    """Bounds of a BETWEEN over every day-index entry of the days `first` to `last`."""
    return day_prefix(first), f"{day_prefix(last)}{RANGE_END}"
