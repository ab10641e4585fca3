"""What the coach knows about one user for one period: plain data, no I/O.

`CoachContext` holds the period's daily summaries (API.md's `GET /summaries/daily` shape)
up to today, the user's goals as `GET /goals` shows them (with `progress`), and the
profile's `dailyTargets`. Both providers read only this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any, NamedTuple

from ..timeutil import iso_week_start

DAY = "day"
WEEK = "week"
# What an answer holds; also the `<kind>` part of the cache key.
INSIGHTS = "insights"
SUGGESTIONS = "suggestions"


def period_start(period: str, today: date) -> date:
    """First local day of the period that contains `today`."""
    return today if period == DAY else iso_week_start(today)


def period_end(period: str, start: date) -> date:
    """The local day after the period (exclusive end)."""
    return start + timedelta(days=1 if period == DAY else 7)


def number(value: Any) -> float | None:
    """A JSON number as a float; anything else (null, missing, a bool) as `None`."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


class CoachContext(NamedTuple):
    period: str
    period_start: date
    today: date
    timezone: str
    days: tuple[Mapping[str, Any], ...] = ()
    goals: tuple[Mapping[str, Any], ...] = ()
    # Read-only: a NamedTuple's default is shared by every instance.
    targets: Mapping[str, float] = MappingProxyType({})

    @classmethod
    def build(
        cls,
        *,
        period: str,
        today: date,
        timezone: str,
        summaries: Iterable[Mapping[str, Any]],
        goals: Iterable[Mapping[str, Any]],
        targets: Mapping[str, Any] | None,
    ) -> CoachContext:
        """Keep the period's days up to today (oldest first) and the targets that are set."""
        start = period_start(period, today)
        days = sorted(
            (s for s in summaries if start.isoformat() <= s["date"] <= today.isoformat()),
            key=lambda s: s["date"],
        )
        set_targets = {
            name: float(value)
            for name, value in (targets or {}).items()
            if number(value) is not None
        }
        return cls(
            period=period,
            period_start=start,
            today=today,
            timezone=timezone,
            days=tuple(days),
            goals=tuple(goals),
            targets=set_targets,
        )

    @property
    def days_counted(self) -> int:
        return len(self.days)

    @property
    def phrase(self) -> str:
        """How messages name the period: "today" or "this week"."""
        return "today" if self.period == DAY else "this week"

    def active_goals(self) -> list[Mapping[str, Any]]:
        return [g for g in self.goals if g.get("status") == "active"]

    @property
    def has_data(self) -> bool:
        """Whether anything was logged in the period."""
        for day in self.days:
            if (day.get("nutrition") or {}).get("mealCount"):
                return True
            if (day.get("activity") or {}).get("sessions"):
                return True
            if (day.get("goals") or {}).get("done"):
                return True
            if any(number(v) for v in (day.get("metrics") or {}).values()):
                return True
        return False

    @property
    def is_empty(self) -> bool:
        """Nothing logged in the period and no goals: only a getting-started answer fits."""
        return not self.has_data and not self.goals
