"""Helpers for check-in and summary tests: a settable clock, profiles, and day-index items
(activities, meals, metrics, check-ins) written straight through their models."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from datetime import date, datetime

from ulid import ULID

from lifestyle_api import timeutil
from lifestyle_api.activities.models import ActivityItem
from lifestyle_api.db import TableItem
from lifestyle_api.goals.models import CheckInItem
from lifestyle_api.meals.models import MealEntry, MealItem, Nutrition
from lifestyle_api.metrics.models import MetricItem
from lifestyle_api.profile.models import DailyTargets, ProfileItem

REAL_UTC_NOW = timeutil.utc_now


def instant(text: str) -> datetime:
    return timeutil.to_utc(datetime.fromisoformat(text.replace("Z", "+00:00")))


def set_clock(monkeypatch, now: str) -> datetime:
    """Make every `utc_now()` of the app answer `now` (an RFC 3339 instant) for this test."""
    frozen = instant(now)

    def fake_utc_now() -> datetime:
        return frozen

    fake_utc_now.is_test_clock = True
    for name, module in list(sys.modules.items()):
        current = getattr(module, "utc_now", None)
        if name.startswith("lifestyle_api") and (
            current is REAL_UTC_NOW or getattr(current, "is_test_clock", False)
        ):
            monkeypatch.setattr(module, "utc_now", fake_utc_now)
    return frozen


def set_profile(sub: str, timezone: str = "UTC", **targets: float) -> ProfileItem:
    profile = ProfileItem(
        *ProfileItem.key(sub),
        user_id=sub,
        timezone=timezone,
        daily_targets=DailyTargets(**targets),
    )
    profile.save(add_version_condition=False)  # create or replace
    return profile


def meal(
    sub: str,
    day: date,
    eaten_at: str,
    *,
    meal_type: str = "lunch",
    calories_kcal: float = 0,
    protein_g: float = 0,
    carbs_g: float = 0,
    fat_g: float = 0,
    **optional: float,
) -> MealItem:
    nutrients = dict(
        calories_kcal=calories_kcal, protein_g=protein_g, carbs_g=carbs_g, fat_g=fat_g, **optional
    )
    item = MealItem(
        *MealItem.key(sub, meal_id := str(ULID())),
        meal_id=meal_id,
        meal_type=meal_type,
        eaten_at=instant(eaten_at),
        items=[MealEntry(name="food", quantity=1, unit="serving", **nutrients)],
        totals=Nutrition(**nutrients),
        day=day,
    )
    item.index_keys()
    return item


def activity(
    sub: str,
    day: date,
    started_at: str,
    *,
    duration_minutes: float,
    calories_kcal: float | None = None,
    activity_type: str = "walk",
) -> ActivityItem:
    item = ActivityItem(
        *ActivityItem.key(sub, activity_id := str(ULID())),
        activity_id=activity_id,
        activity_type=activity_type,
        started_at=instant(started_at),
        duration_minutes=duration_minutes,
        calories_kcal=calories_kcal,
        day=day,
    )
    item.index_keys()
    return item


def metric(sub: str, day: date, recorded_at: str, metric_type: str, value: float) -> MetricItem:
    """A metric with `value` in its type's canonical unit (kg, ml, min, count, bpm)."""
    item = MetricItem(
        *MetricItem.key(sub, metric_id := str(ULID())),
        metric_id=metric_id,
        metric_type=metric_type,
        value=value,
        recorded_at=instant(recorded_at),
        day=day,
    )
    item.index_keys()
    return item


def check_in(sub: str, goal_id: str, day: date) -> CheckInItem:
    """A check-in item alone (the goal's set is not touched): for volume, not for streaks."""
    item = CheckInItem(*CheckInItem.key(sub, goal_id, day), goal_id=goal_id, day=day)
    item.index_keys()
    return item


def save_all(items: Iterable[TableItem]) -> None:
    with TableItem.batch_write() as batch:
        for item in items:
            batch.save(item)
