"""Instants and calendar days: UTC instants written with `Z`, local days in IANA zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_utc(instant: datetime) -> datetime:
    """An aware datetime in UTC (naive input is taken as UTC)."""
    if instant.tzinfo is None:
        return instant.replace(tzinfo=UTC)
    return instant.astimezone(UTC)


def format_instant(instant: datetime) -> str:
    """`2026-11-26T06:30:00Z`, with milliseconds only when there are any."""
    instant = to_utc(instant)
    if instant.microsecond:
        return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def instant_key(instant: datetime) -> str:
    """Fixed-width UTC form for sort keys, so string order is time order."""
    instant = to_utc(instant)
    return instant.strftime("%Y-%m-%dT%H:%M:%S.") + f"{instant.microsecond // 1000:03d}Z"


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
