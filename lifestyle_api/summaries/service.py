"""Daily and weekly summaries (API.md "Summaries"). No Flask here.

A summary reads three things, one DynamoDB request each, whatever the user's history:
the profile (GetItem), the active goals (one Query on `GOAL#`) and everything of the
period's local days (ONE Query on the day index, LSI2, from `DAY#<first>#` to
`DAY#<last>#~`). Everything else is pure functions of plain values, so other features
(the coach's period summaries) can reuse them:

- `read_period(sub, first, last)` → `PeriodData` (the two Queries; the profile is read
  first, since the default day depends on its timezone);
- `build_daily_summary(day, user, goals, log)` and `build_weekly_summary(week_start, user,
  goals, logs)` → plain dicts with snake_case keys (`schemas.py` writes them in camelCase).

A Query answers at most 1 MB: a period whose items exceed that (thousands of items a day),
or goals that do (a few thousand goals), cost one more Query per further MB instead of a
wrong answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from types import MappingProxyType
from typing import Any

from ..activities.models import ActivityItem
from ..dayset import DaySet
from ..db import TableItem
from ..db.keys import day_range, user_pk
from ..db.reads import read_with_profile
from ..goals.models import CheckInItem, GoalItem
from ..goals.progress import scheduled_weekdays
from ..goals.shape import DAILY_TARGET_METRICS
from ..meals.models import MealItem
from ..metrics.models import MetricItem
from ..records import Record
from ..timeutil import DEFAULT_TIMEZONE, iso_week_start, today_in

DAYS_PER_WEEK = 7
NUTRIENTS = ("calories_kcal", "protein_g", "carbs_g", "fat_g", "fiber_g", "sugar_g", "sodium_mg")
NUTRITION_TARGETS = ("calories_kcal", "protein_g", "carbs_g", "fat_g")
# Metric types summed over the day, and those whose latest value of the day is shown.
SUMMED_METRICS = {"steps": "steps", "water": "water_ml", "sleep": "sleep_minutes"}
LATEST_METRICS = {"weight": "weight_kg", "restingHeartRate": "resting_heart_rate"}
DAY_INDEX_KINDS = (CheckInItem, ActivityItem, MealItem, MetricItem)
GOAL_ATTRIBUTES = [
    "PK",
    "SK",
    "kind",
    "goalId",
    "title",
    "type",
    "schedule",
    "target",
    "status",
    "startDate",
    "endDate",
    GoalItem.check_in_days.attr_name,
    GoalItem.legacy_check_in_dates.attr_name,  # until migration 0002 has rewritten every goal
]


# The facts a summary is built from: plain values, no DynamoDB. Records are named tuples
# (`records.Record`), which cost a fiftieth of a dataclass to define at import (cold start).


class UserFacts(Record):
    timezone: str = DEFAULT_TIMEZONE
    # The profile's dailyTargets, snake_case (`calories_kcal`, …); absent targets are None.
    daily_targets: Mapping[str, float | None] = MappingProxyType({})


class GoalFacts(Record):
    goal_id: str
    title: str
    goal_type: str
    status: str
    start_date: date
    end_date: date | None = None
    frequency: str = "daily"
    days_of_week: tuple[str, ...] | None = None
    times_per_week: int = 1
    target_metric: str | None = None
    target_value: float | None = None
    direction: str | None = None
    check_ins: DaySet = DaySet()


class MetricRecord(Record):
    metric_type: str
    value: float
    recorded_at: datetime


class ActivityRecord(Record):
    duration_minutes: float
    calories_kcal: float = 0


class DayLog:
    """What one local day holds on the day index."""

    __slots__ = ("activities", "checked_in", "meals", "metrics")

    def __init__(
        self,
        *,
        meals: list[Mapping[str, float | None]] | None = None,
        activities: list[ActivityRecord] | None = None,
        metrics: list[MetricRecord] | None = None,
        checked_in: set[str] | None = None,
    ) -> None:
        self.meals = meals if meals is not None else []  # meal totals
        self.activities = activities if activities is not None else []
        self.metrics = metrics if metrics is not None else []
        self.checked_in = checked_in if checked_in is not None else set()  # goal ids


class PeriodData(Record):
    goals: list[GoalFacts]
    logs: dict[date, DayLog]


# Reading (three requests per summary).


def daily_summary(sub: str, day: date | None = None, *, now: datetime | None = None) -> dict:
    """The summary of `day` (default: today in the user's timezone)."""
    user = read_user(sub)
    day = day or today_in(user.timezone, now)
    period = read_period(sub, day, day)
    return build_daily_summary(day, user, period.goals, period.logs.get(day, DayLog()))


def weekly_summary(
    sub: str, week_start: date | None = None, *, now: datetime | None = None
) -> dict:
    """The summary of the ISO week starting on the Monday `week_start` (default: this week)."""
    user = read_user(sub)
    week_start = week_start or iso_week_start(today_in(user.timezone, now))
    period = read_period(sub, week_start, week_start + timedelta(days=DAYS_PER_WEEK - 1))
    return build_weekly_summary(week_start, user, period.goals, period.logs)


def read_user(sub: str) -> UserFacts:
    """The profile's timezone and daily targets (one GetItem); defaults without a profile."""
    profile = read_with_profile(sub, None).profile
    if profile is None:
        return UserFacts()
    targets = profile.daily_targets.as_dict() if profile.daily_targets else {}
    return UserFacts(timezone=profile.timezone, daily_targets=targets)


def read_period(sub: str, first: date, last: date) -> PeriodData:
    """The active goals (one Query) and the logs of the days `first`..`last` (one Query)."""
    return PeriodData(goals=read_active_goals(sub), logs=read_day_logs(sub, first, last))


def read_active_goals(sub: str) -> list[GoalFacts]:
    goals = GoalItem.query(
        user_pk(sub),
        GoalItem.list_range(),
        filter_condition=GoalItem.status == "active",
        attributes_to_get=GOAL_ATTRIBUTES,
    )
    return [goal_facts(goal) for goal in goals]


def read_day_logs(sub: str, first: date, last: date) -> dict[date, DayLog]:
    items = TableItem.by_day.query(
        user_pk(sub),
        TableItem.lsi2_sk.between(*day_range(first, last)),
        filter_condition=TableItem.kind.is_in(*DAY_INDEX_KINDS),
    )
    return group_by_day(items)


def goal_facts(goal: GoalItem) -> GoalFacts:
    schedule, target = goal.schedule, goal.target
    return GoalFacts(
        goal_id=goal.goal_id,
        title=goal.title,
        goal_type=goal.goal_type,
        status=goal.status,
        start_date=goal.start_date,
        end_date=goal.end_date,
        frequency=schedule.frequency if schedule else "daily",
        days_of_week=tuple(schedule.days_of_week) if schedule and schedule.days_of_week else None,
        times_per_week=int(schedule.times_per_week) if schedule and schedule.times_per_week else 1,
        target_metric=target.metric if target else None,
        target_value=target.value if target else None,
        direction=target.direction if target else None,
        check_ins=goal.checked_in,
    )


def group_by_day(items: Iterable[TableItem]) -> dict[date, DayLog]:
    """Day-index items (check-ins, activities, meals, metrics) as one `DayLog` per day."""
    logs: dict[date, DayLog] = {}
    for item in items:
        log = logs.setdefault(item.day, DayLog())
        if isinstance(item, MealItem):
            log.meals.append(item.totals.as_dict() if item.totals else {})
        elif isinstance(item, ActivityItem):
            log.activities.append(ActivityRecord(item.duration_minutes, item.calories_kcal or 0))
        elif isinstance(item, MetricItem):
            log.metrics.append(MetricRecord(item.metric_type, item.value, item.recorded_at))
        elif isinstance(item, CheckInItem):
            log.checked_in.add(item.goal_id)
    return logs


# Building (pure).


def build_daily_summary(
    day: date, user: UserFacts, goals: Sequence[GoalFacts], log: DayLog
) -> dict[str, Any]:
    nutrition = nutrition_totals(log.meals)
    activity = {
        "active_minutes": amount(sum(a.duration_minutes for a in log.activities)),
        "calories_kcal": amount(sum(a.calories_kcal for a in log.activities)),
        "sessions": len(log.activities),
    }
    metrics = day_metrics(log.metrics)
    values = {
        "steps": metrics["steps"],
        "waterMl": metrics["water_ml"],
        "sleepMinutes": metrics["sleep_minutes"],
        "caloriesKcal": nutrition["calories_kcal"],
        "activeMinutes": activity["active_minutes"],
    }
    items = [
        {"goal_id": goal.goal_id, "title": goal.title, "done": is_done(goal, log, values)}
        for goal in goals
        if is_due(goal, day)
    ]
    return {
        "date": day,
        "timezone": user.timezone,
        "nutrition": {
            "totals": nutrition,
            "targets": {name: user.daily_targets.get(name) for name in NUTRITION_TARGETS},
            "meal_count": len(log.meals),
        },
        "activity": activity,
        "metrics": metrics,
        "goals": {
            "due": len(items),
            "done": sum(1 for item in items if item["done"]),
            "items": items,
        },
    }


def build_weekly_summary(
    week_start: date, user: UserFacts, goals: Sequence[GoalFacts], logs: Mapping[date, DayLog]
) -> dict[str, Any]:
    days = [
        build_daily_summary(day, user, goals, logs.get(day, DayLog()))
        for day in (week_start + timedelta(days=offset) for offset in range(DAYS_PER_WEEK))
    ]
    return {"week_start": week_start, "days": days, "averages": weekly_averages(days)}


def weekly_averages(days: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Daily sums divided by 7; latest-value fields averaged over the days that have one."""

    def per_day(values: Iterable[float]) -> int | float:
        return amount(sum(values) / DAYS_PER_WEEK)

    def mean_of_present(values: Iterable[float | None]) -> int | float | None:
        present = [value for value in values if value is not None]
        return amount(sum(present) / len(present)) if present else None

    return {
        "nutrition": {
            "totals": {
                name: per_day(d["nutrition"]["totals"][name] for d in days) for name in NUTRIENTS
            },
            "meal_count": per_day(d["nutrition"]["meal_count"] for d in days),
        },
        "activity": {
            name: per_day(d["activity"][name] for d in days)
            for name in ("active_minutes", "calories_kcal", "sessions")
        },
        "metrics": {
            **{name: per_day(d["metrics"][name] for d in days) for name in SUMMED_METRICS.values()},
            **{
                name: mean_of_present(d["metrics"][name] for d in days)
                for name in LATEST_METRICS.values()
            },
        },
    }


def nutrition_totals(meals: Iterable[Mapping[str, float | None]]) -> dict[str, int | float]:
    meals = list(meals)
    return {name: amount(sum(meal.get(name) or 0 for meal in meals)) for name in NUTRIENTS}


def day_metrics(metrics: Iterable[MetricRecord]) -> dict[str, int | float | None]:
    """Sums of steps, water and sleep; the latest weight and resting heart rate, or None."""
    metrics = list(metrics)
    summary: dict[str, int | float | None] = {
        name: amount(sum(m.value for m in metrics if m.metric_type == metric_type))
        for metric_type, name in SUMMED_METRICS.items()
    }
    for metric_type, name in LATEST_METRICS.items():
        of_type = [m for m in metrics if m.metric_type == metric_type]
        latest = max(of_type, key=lambda m: m.recorded_at, default=None)
        summary[name] = amount(latest.value) if latest else None
    return summary


def is_due(goal: GoalFacts, day: date) -> bool:
    """API.md: an active goal whose dates include the day and that is scheduled that day."""
    if goal.status != "active" or day < goal.start_date:
        return False
    if goal.end_date is not None and day > goal.end_date:
        return False
    if goal.goal_type == "target":
        return goal.target_metric in DAILY_TARGET_METRICS
    if goal.frequency == "weekly":
        monday = iso_week_start(day)
        earlier = goal.check_ins.count_between(monday, day - timedelta(days=1))
        return earlier < goal.times_per_week
    return day.weekday() in scheduled_weekdays(goal.days_of_week)


def is_done(goal: GoalFacts, log: DayLog, values: Mapping[str, int | float]) -> bool:
    """A habit checked in that day, or a target whose day value meets its direction."""
    if goal.goal_type != "target":
        return goal.goal_id in log.checked_in
    value = values.get(goal.target_metric or "")
    if value is None or goal.target_value is None:
        return False
    if goal.direction == "atMost":
        return value <= goal.target_value
    return value >= goal.target_value


def amount(value: float) -> int | float:
    """Rounded to 2 decimals; a whole number as an int (`8000`, not `8000.0`)."""
    rounded = round(float(value), 2)
    return int(rounded) if rounded.is_integer() else rounded
