"""What the coach knows about one user for one period: plain data, no I/O.

`CoachContext` holds the period's days up to today as `DayFigures` (typed records read from
the summaries' daily summaries), the user's goals as `GET /goals` shows them (with
`progress`), and the profile's `dailyTargets`. Both providers read only this. The module
also names the coach's vocabulary: periods, answer kinds, sources and insight kinds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

from ..records import Record
from ..timeutil import iso_week_start

DAY = "day"
WEEK = "week"
PERIODS = (DAY, WEEK)
# What an answer holds; also the `<kind>` part of the cache key.
INSIGHTS = "insights"
SUGGESTIONS = "suggestions"
# Who answered: the model, or the rules (the deterministic coach, always available).
SOURCES = ("bedrock", "rules")
INSIGHT_KINDS = (
    "getting_started",
    "goal_completion",
    "streak_kept",
    "streak_broken",
    "sleep",
    "steps",
    "activity",
    "hydration",
    "calories",
    "macros",
    "weight_trend",
)


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


# A day's figures by the camelCase names the profile's `dailyTargets` and the model's data
# document give them.
FIGURE_FIELDS = {
    "caloriesKcal": "calories_kcal",
    "proteinG": "protein_g",
    "carbsG": "carbs_g",
    "fatG": "fat_g",
    "meals": "meal_count",
    "activeMinutes": "active_minutes",
    "activityKcal": "activity_kcal",
    "sessions": "sessions",
    "steps": "steps",
    "waterMl": "water_ml",
    "sleepMinutes": "sleep_minutes",
    "weightKg": "weight_kg",
    "restingHeartRate": "resting_heart_rate",
    "goalsDue": "goals_due",
    "goalsDone": "goals_done",
}


class DayFigures(Record):
    """One local day's figures from its daily summary, as the summaries computed them (an
    int when whole); weight and resting heart rate are `None` on a day without one."""

    day: date
    meal_count: int = 0
    calories_kcal: float = 0
    protein_g: float = 0
    carbs_g: float = 0
    fat_g: float = 0
    active_minutes: float = 0
    activity_kcal: float = 0
    sessions: int = 0
    steps: float = 0
    water_ml: float = 0
    sleep_minutes: float = 0
    weight_kg: float | None = None
    resting_heart_rate: float | None = None
    goals_due: int = 0
    goals_done: int = 0

    @classmethod
    def from_summary(cls, summary: Mapping[str, Any]) -> DayFigures:
        """From a daily summary as the summaries' service builds it (snake_case keys)."""
        nutrition, activity, metrics = summary["nutrition"], summary["activity"], summary["metrics"]
        totals = nutrition["totals"]
        return cls(
            day=summary["date"],
            meal_count=nutrition["meal_count"],
            calories_kcal=totals["calories_kcal"],
            protein_g=totals["protein_g"],
            carbs_g=totals["carbs_g"],
            fat_g=totals["fat_g"],
            active_minutes=activity["active_minutes"],
            activity_kcal=activity["calories_kcal"],
            sessions=activity["sessions"],
            steps=metrics["steps"],
            water_ml=metrics["water_ml"],
            sleep_minutes=metrics["sleep_minutes"],
            weight_kg=metrics["weight_kg"],
            resting_heart_rate=metrics["resting_heart_rate"],
            goals_due=summary["goals"]["due"],
            goals_done=summary["goals"]["done"],
        )

    def figure(self, name: str) -> float | None:
        """A figure by its camelCase name (`FIGURE_FIELDS`)."""
        return getattr(self, FIGURE_FIELDS[name])

    @property
    def has_entries(self) -> bool:
        """Whether anything was logged that day (a meal, an activity, a check-in done, a
        metric)."""
        measured = (
            self.steps,
            self.water_ml,
            self.sleep_minutes,
            self.weight_kg,
            self.resting_heart_rate,
        )
        return bool(self.meal_count or self.sessions or self.goals_done or any(measured))


class CoachContext(Record):
    period: str
    period_start: date
    today: date
    timezone: str
    days: tuple[DayFigures, ...] = ()
    goals: tuple[Mapping[str, Any], ...] = ()
    # Read-only: a record's default is shared by every instance.
    targets: Mapping[str, float] = MappingProxyType({})

    @classmethod
    def build(
        cls,
        *,
        period: str,
        today: date,
        timezone: str,
        days: Iterable[DayFigures],
        goals: Iterable[Mapping[str, Any]],
        targets: Mapping[str, Any] | None,
    ) -> CoachContext:
        """Keep the period's days up to today (oldest first) and the targets that are set."""
        start = period_start(period, today)
        kept = sorted((d for d in days if start <= d.day <= today), key=lambda d: d.day)
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
            days=tuple(kept),
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
        return any(day.has_entries for day in self.days)

    @property
    def is_empty(self) -> bool:
        """Nothing logged in the period and no goals: only a getting-started answer fits."""
        return not self.has_data and not self.goals
