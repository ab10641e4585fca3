"""Users and their histories for the benchmarks, written with the app's own item models."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from ulid import ULID

from lifestyle_api.activities.models import ActivityItem
from lifestyle_api.dayset import DaySet
from lifestyle_api.db import TableItem
from lifestyle_api.goals.models import CheckInItem, GoalItem, Schedule
from lifestyle_api.meals.models import MealEntry, MealItem, Nutrition
from lifestyle_api.metrics.models import MetricItem
from lifestyle_api.profile.models import DailyTargets, ProfileItem

LOGS_PER_DAY = 6
GOALS = 3
# What is logged on a day, in order: a check-in, four meals, then one of these in turn.
ROTATION = ("steps", "water", "sleep", "activity", "weight")


def _ulid(at: datetime) -> str:
    return str(ULID.from_datetime(at))


def seed_user(sub: str, total_items: int, today: date) -> dict[str, list[str]]:
    """A profile, three goals and `total_items` in all: six logs a day back from today (a
    check-in, four meals, a metric or an activity), as a real history grows. Every user has
    the same goals and the same kind of day; only the length of their history differs, so
    the smallest (10 items) is one profile, three goals and today."""
    now = datetime.combine(today, time(12), tzinfo=UTC)
    items: list[TableItem] = [
        ProfileItem(
            *ProfileItem.key(sub),
            user_id=sub,
            email=f"{sub}@example.com",
            timezone="UTC",
            daily_targets=DailyTargets(steps=10000, water_ml=2000, calories_kcal=2200),
            created_at=now,
            updated_at=now,
        )
    ]
    days = max(total_items // LOGS_PER_DAY + 1, 730)
    goals = [
        GoalItem(
            *GoalItem.key(sub, goal_id := _ulid(now - timedelta(minutes=index))),
            goal_id=goal_id,
            title=f"Habit {index}",
            category="fitness",
            goal_type="habit",
            schedule=Schedule(frequency="daily"),
            status="active",
            start_date=today - timedelta(days=days),
            created_at=now,
            version=1,  # as the API creates them
        )
        for index in range(GOALS)
    ]
    check_in_days: dict[str, set[date]] = {goal.goal_id: set() for goal in goals}
    for n in range(max(total_items - len(items) - GOALS, 0)):
        day_number, slot = divmod(n, LOGS_PER_DAY)
        day = today - timedelta(days=day_number)
        at = datetime.combine(day, time(7 + slot), tzinfo=UTC)
        if slot == 0:
            goal = goals[day_number % GOALS]
            check_in_days[goal.goal_id].add(day)
            check_in = CheckInItem(
                *CheckInItem.key(sub, goal.goal_id, day),
                goal_id=goal.goal_id,
                day=day,
                created_at=at,
                updated_at=at,
            )
            check_in.index_keys()
            items.append(check_in)
        elif slot <= 4:
            items.append(_meal(sub, at, day))
        elif (kind := ROTATION[day_number % len(ROTATION)]) == "activity":
            items.append(_activity(sub, at, day))
        else:
            items.append(_metric(sub, at, day, kind))
    for goal in goals:
        goal.check_in_days = DaySet.of(check_in_days[goal.goal_id]) or None
        goal.touch(now)
    items.extend(goals)
    with TableItem.batch_write() as batch:
        for item in items:
            batch.save(item)
    return {"goal_ids": [goal.goal_id for goal in goals]}


def _meal(sub: str, at: datetime, day: date) -> MealItem:
    meal = MealItem(
        *MealItem.key(sub, meal_id := _ulid(at)),
        meal_id=meal_id,
        meal_type="lunch",
        eaten_at=at,
        name="Lunch",
        day=day,
        created_at=at,
        updated_at=at,
        items=[
            MealEntry(
                name="Rice",
                quantity=200,
                unit="g",
                calories_kcal=260,
                protein_g=5,
                carbs_g=56,
                fat_g=1,
            )
        ],
        totals=Nutrition(calories_kcal=260, protein_g=5, carbs_g=56, fat_g=1),
    )
    meal.index_keys()
    return meal


def _metric(sub: str, at: datetime, day: date, metric_type: str) -> MetricItem:
    value = {"steps": 8000, "water": 500, "sleep": 420, "weight": 72.5}[metric_type]
    metric = MetricItem(
        *MetricItem.key(sub, metric_id := _ulid(at)),
        metric_id=metric_id,
        metric_type=metric_type,
        value=value,
        recorded_at=at,
        day=day,
        created_at=at,
        updated_at=at,
    )
    metric.index_keys()
    return metric


def _activity(sub: str, at: datetime, day: date) -> ActivityItem:
    activity = ActivityItem(
        *ActivityItem.key(sub, activity_id := _ulid(at)),
        activity_id=activity_id,
        activity_type="run",
        started_at=at,
        duration_minutes=30,
        calories_kcal=300,
        day=day,
        created_at=at,
        updated_at=at,
    )
    activity.index_keys()
    return activity
