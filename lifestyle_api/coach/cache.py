"""Cached coach answers and the refresh rate limit, in the user's own partition.

A lookup is ONE BatchGetItem: the profile (its timezone decides which period "now" is in)
together with the cached answers of every period "now" can be in for some timezone (local
days are at most one day from the UTC day), of which the profile then picks one.

Model answers live until the period ends; rules answers only a few minutes, so a failing
model is not asked again on every call, yet is tried again soon, and new data shows up.
`?refresh=true` skips the lookup and is limited per user and UTC hour by a counter item.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from ..db.errors import is_condition_failure
from ..db.reads import read_with_profile
from ..exceptions import TooManyRequests
from ..timeutil import to_utc, today_in, zone
from .context import period_end, period_start
from .models import CoachCacheItem, CoachRefreshItem

if TYPE_CHECKING:
    from ..profile.models import ProfileItem

RULES_ANSWER_TTL = timedelta(minutes=10)
REFRESHES_PER_HOUR = 5
ONE_HOUR = timedelta(hours=1)


def lookup(
    sub: str, kind: str, period: str, now: datetime
) -> tuple[ProfileItem | None, dict[str, Any] | None]:
    """The profile and the fresh cached body of the current period, in one request."""
    utc_today = to_utc(now).date()
    starts = sorted({period_start(period, utc_today + timedelta(days=d)) for d in (-1, 0, 1)})
    read = read_with_profile(
        sub, None, also=[CoachCacheItem.key(sub, kind, period, s) for s in starts]
    )
    today = today_in(read.timezone, now)
    cached = read.others.get(CoachCacheItem.key(sub, kind, period, period_start(period, today)))
    if cached is None or not cached.is_fresh(now):
        return read.profile, None
    return read.profile, cached.body


def expiry(period: str, start: date, timezone: str, *, source: str, now: datetime) -> datetime:
    """When a cached answer stops being served: the period's end in the user's timezone,
    or sooner for a rules answer."""
    end = to_utc(datetime.combine(period_end(period, start), time(), tzinfo=zone(timezone)))
    return end if source == "bedrock" else min(end, now + RULES_ANSWER_TTL)


def store(
    sub: str,
    kind: str,
    period: str,
    start: date,
    body: dict[str, Any],
    *,
    expires_at: datetime,
    now: datetime,
) -> None:
    """Keep the answer as the client saw it (one PutItem; replaces any older one)."""
    item = CoachCacheItem(
        *CoachCacheItem.key(sub, kind, period, start),
        body=body,
        created_at=now,
        updated_at=now,
        expires_at=expires_at,
    )
    item.save(add_version_condition=False)


def take_refresh(sub: str, now: datetime) -> None:
    """Count one refresh in this UTC hour (one conditional UpdateItem); over the limit is
    `TooManyRequests` with the seconds until the next hour."""
    from pynamodb.exceptions import UpdateError

    window = to_utc(now).replace(minute=0, second=0, microsecond=0)
    counter = CoachRefreshItem(*CoachRefreshItem.key(sub, window))
    try:
        counter.update(
            actions=[
                CoachRefreshItem.count.add(1),
                CoachRefreshItem.kind.set(CoachRefreshItem),
                CoachRefreshItem.expires_at.set(window + 2 * ONE_HOUR),
            ],
            condition=CoachRefreshItem.count.does_not_exist()
            | (CoachRefreshItem.count < REFRESHES_PER_HOUR),
            add_version_condition=False,
        )
    except UpdateError as exc:
        if not is_condition_failure(exc):
            raise
        retry_after = max(1, int((window + ONE_HOUR - to_utc(now)).total_seconds()))
        raise TooManyRequests(
            f"At most {REFRESHES_PER_HOUR} refreshes an hour; try again later.",
            retry_after=retry_after,
        ) from exc
