"""Instants and calendar days: UTC instants written with `Z`, local days in IANA zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

# A user without a profile (or before they chose one) lives in UTC.
DEFAULT_TIMEZONE = "UTC"


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_utc(instant: datetime) -> datetime:
    """An aware datetime in UTC (naive input is taken as UTC)."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def format_instant(instant: datetime) -> str:
    """`2026-11-26T06:30:00Z`, with milliseconds only when there are any."""
    timespec = "milliseconds" if instant.microsecond // 1000 else "seconds"
    return _naive_utc(instant).isoformat(timespec=timespec) + "Z"


def instant_key(instant: datetime) -> str:
    """Fixed-width UTC form for sort keys, so string order is time order."""
    return _naive_utc(instant).isoformat(timespec="milliseconds") + "Z"


def _naive_utc(instant: datetime) -> datetime:
    # `isoformat` writes the year with four digits; `strftime("%Y")` does not below 1000.
    return to_utc(instant).replace(tzinfo=None)


@lru_cache(maxsize=512)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_day(instant: datetime, timezone: str) -> date:
    """The calendar day of `instant` in the IANA zone `timezone`."""
    return to_utc(instant).astimezone(zone(timezone)).date()


def today_in(timezone: str, now: datetime | None = None) -> date:
    return local_day(now or utc_now(), timezone)


def iso_week_start(day: date) -> date:
    """The Monday of `day`'s ISO week."""
    return day - timedelta(days=day.weekday())
