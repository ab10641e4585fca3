"""One user's data written straight to the table (batch writes keep big seeds fast), and
counts of a partition read with boto3, apart from the code under test."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import boto3
from ulid import ULID

from lifestyle_api.activities.models import ActivityItem
from lifestyle_api.dayset import DaySet
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.goals.models import CheckInItem, GoalItem, Schedule
from lifestyle_api.meals.models import MealEntry, MealItem, Nutrition
from lifestyle_api.metrics.models import MetricItem, Source, SourceMarkerItem
from tests.support.aws import TEST_REGION

START = datetime(2026, 11, 2, 7, 30, tzinfo=UTC)


def new_id() -> str:
    return str(ULID())


def goal(sub: str, *, title: str = "Walk", days: tuple[date, ...] = ()) -> GoalItem:
    goal_id = new_id()
    item = GoalItem(
        *GoalItem.key(sub, goal_id),
        goal_id=goal_id,
        title=title,
        category="fitness",
        goal_type="habit",
        schedule=Schedule(frequency="daily"),
        status="active",
        start_date=START.date(),
        check_in_days=DaySet.of(days) or None,
        created_at=START,
    )
    item.touch(START)
    return item


def check_in(sub: str, goal_id: str, day: date) -> CheckInItem:
    item = CheckInItem(
        *CheckInItem.key(sub, goal_id, day),
        goal_id=goal_id,
        day=day,
        value=1,
        note="done",
        created_at=START,
        updated_at=START,
    )
    item.index_keys()
    return item


def activity(sub: str, *, minutes: int = 30, at: datetime = START) -> ActivityItem:
    activity_id = new_id()
    item = ActivityItem(
        *ActivityItem.key(sub, activity_id),
        activity_id=activity_id,
        activity_type="run",
        started_at=at,
        duration_minutes=minutes,
        distance_m=5000,
        intensity="moderate",
        day=at.date(),
        created_at=at,
        updated_at=at,
    )
    item.index_keys()
    return item


def meal(sub: str, *, notes: str | None = None, at: datetime = START) -> MealItem:
    meal_id = new_id()
    oats = MealEntry(
        name="Oats", quantity=80, unit="g", calories_kcal=300, protein_g=10, carbs_g=54, fat_g=5
    )
    item = MealItem(
        *MealItem.key(sub, meal_id),
        meal_id=meal_id,
        meal_type="breakfast",
        eaten_at=at,
        name="Porridge",
        items=[oats],
        totals=Nutrition(calories_kcal=300, protein_g=10, carbs_g=54, fat_g=5),
        notes=notes,
        day=at.date(),
        created_at=at,
        updated_at=at,
    )
    item.index_keys()
    return item


def metric(
    sub: str, *, metric_type: str = "steps", value: float = 8000, at: datetime = START
) -> MetricItem:
    metric_id = new_id()
    item = MetricItem(
        *MetricItem.key(sub, metric_id),
        metric_id=metric_id,
        metric_type=metric_type,
        value=value,
        recorded_at=at,
        day=at.date(),
        created_at=at,
    )
    item.index_keys()
    return item


def every_kind(sub: str) -> dict[str, list[TableItem]]:
    """A goal with two check-ins, an activity, a meal, a weight metric with a source and
    its source marker (internal: never exported)."""
    days = (START.date(), START.date() + timedelta(days=1))
    walk = goal(sub, days=days)
    weight = metric(sub, metric_type="weight", value=72.456)
    weight.source = Source(name="garmin", external_id="w-1")
    marker = SourceMarkerItem(
        *SourceMarkerItem.key(sub, "garmin", "w-1"), metric_id=weight.metric_id
    )
    return {
        "goals": [walk],
        "checkIns": [check_in(sub, walk.goal_id, day) for day in days],
        "activities": [activity(sub)],
        "meals": [meal(sub)],
        "metrics": [weight],
        "internal": [marker],
    }


def write(items) -> None:
    with TableItem.batch_write() as batch:
        for item in items:
            batch.save(item)


def many(sub: str, count: int) -> list[TableItem]:
    """`count` items cycling through activities, meals and metrics, a minute apart."""
    makers = (activity, meal, metric)
    return [makers[index % 3](sub, at=START + timedelta(minutes=index)) for index in range(count)]


def count_partition(table_name: str, sub: str) -> int:
    """How many items the user's partition holds (boto3 Query with Select=COUNT)."""
    client = boto3.client("dynamodb", region_name=TEST_REGION)
    paginator = client.get_paginator("query")
    pages = paginator.paginate(
        TableName=table_name,
        KeyConditionExpression="PK = :pk",
        ExpressionAttributeValues={":pk": {"S": user_pk(sub)}},
        Select="COUNT",
    )
    return sum(page["Count"] for page in pages)
