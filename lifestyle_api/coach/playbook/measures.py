"""How the playbook measures a daily target over the period, and how it rates the result.

Averages count the days that have a value (a day with no steps logged is not a day with
zero steps), except active minutes, which count every day of the period so far. Targets
come from the profile's `dailyTargets`; without one, steps, sleep, water and activity are
compared with a common reference (`targetSource: "reference"`).
"""

from __future__ import annotations

from ...records import Record
from ..context import CoachContext, DayFigures
from .tables import THRESHOLDS

NUTRIENTS = frozenset({"caloriesKcal", "proteinG", "carbsG", "fatG"})


def day_value(day: DayFigures, name: str) -> float | None:
    """The day's value of a daily target, `None` when nothing was logged for it."""
    if name == "activeMinutes":
        return float(day.active_minutes)
    if name in NUTRIENTS:
        return float(day.figure(name)) if day.meal_count else None
    value = day.figure(name)
    return float(value) if value else None


class Measure(Record):
    """One daily target over the period: the days with a value, their total and average."""

    total: float
    average: float
    target: float | None
    target_source: str
    days: int
    days_met: int

    @property
    def ratio(self) -> float:
        if not self.target:
            return 1.0
        return self.average / self.target


def measure(context: CoachContext, name: str) -> Measure | None:
    """The daily target `name` (a `dailyTargets` name) over the period, `None` when nothing
    was logged for it."""
    no_sessions = not any(day.sessions for day in context.days)
    if name == "activeMinutes" and name not in context.targets and no_sessions:
        # Someone who never logs activities is not "inactive"; without a target, say nothing.
        return None
    values = [v for v in (day_value(day, name) for day in context.days) if v is not None]
    if not values:
        return None
    target, source = daily_target(context, name)
    total = sum(values)
    return Measure(
        total=total,
        average=total / len(values),
        target=target,
        target_source=source,
        days=len(values),
        days_met=sum(1 for v in values if target is not None and v >= target),
    )


def daily_target(context: CoachContext, name: str) -> tuple[float | None, str]:
    """The target and where it comes from: "profile", "reference" or "none"."""
    if name in context.targets:
        return context.targets[name], "profile"
    if name in THRESHOLDS.reference_targets:
        return THRESHOLDS.reference_targets[name], "reference"
    return None, "none"


def period_sessions(context: CoachContext) -> int:
    """How many activities were logged in the period."""
    return sum(day.sessions for day in context.days)


def target_status(ratio: float) -> str:
    """ "met", "close" (within `THRESHOLDS.close_ratio`) or "below"."""
    if ratio >= 1:
        return "met"
    return "close" if ratio >= THRESHOLDS.close_ratio else "below"


def calorie_status(average: float, target: float) -> str:
    """ "above", "below" or "onTarget" (within `THRESHOLDS.calorie_band` either side)."""
    if average > target * (1 + THRESHOLDS.calorie_band):
        return "above"
    if average < target * (1 - THRESHOLDS.calorie_band):
        return "below"
    return "onTarget"
