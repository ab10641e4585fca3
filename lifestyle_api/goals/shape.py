"""The shape a goal may take (categories, types, schedules, targets), checked the same way by
the create schema and the PATCH merge.

Pure functions of plain values: no Flask, no marshmallow, no DynamoDB.
"""

from __future__ import annotations

from datetime import date
from typing import Any

CATEGORIES = ("fitness", "nutrition", "sleep", "hydration", "mindfulness", "weight", "other")
GOAL_TYPES = ("habit", "target")
STATUSES = ("active", "paused", "completed", "archived")
FREQUENCIES = ("daily", "weekly")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TARGET_METRICS = ("steps", "waterMl", "sleepMinutes", "weightKg", "caloriesKcal", "activeMinutes")
# Target metrics that have a value per day (weight does not: it is not a daily target).
DAILY_TARGET_METRICS = ("steps", "waterMl", "sleepMinutes", "caloriesKcal", "activeMinutes")
DIRECTIONS = ("atLeast", "atMost")
DEFAULT_SCHEDULE = {"frequency": "daily"}


def goal_shape_errors(
    goal_type: str,
    schedule: dict[str, Any] | None,
    target: dict[str, Any] | None,
    start_date: date | None,
    end_date: date | None,
    reminder: dict[str, Any] | None = None,
) -> dict[str, list[str]]:
    """Per-field messages for a goal whose fields do not fit together; empty when it is valid."""
    errors: dict[str, list[str]] = {}
    if goal_type == "habit":
        if target is not None:
            errors["target"] = ["Only target goals have a target."]
    elif goal_type == "target":
        if target is None:
            errors["target"] = ["Target goals need a target."]
        if schedule is not None:
            errors["schedule"] = ["Only habit goals have a schedule."]
        if reminder is not None:
            errors["reminder"] = ["Only habit goals have a reminder."]
    if schedule is not None:
        frequency = schedule.get("frequency")
        if frequency == "daily" and schedule.get("times_per_week") is not None:
            errors.setdefault("schedule", []).append("timesPerWeek is for weekly habits.")
        if frequency == "weekly" and schedule.get("days_of_week") is not None:
            errors.setdefault("schedule", []).append("daysOfWeek is for daily habits.")
    if start_date and end_date and end_date < start_date:
        errors["endDate"] = ["endDate must not be before startDate."]
    return errors


def normalize_schedule(schedule: dict[str, Any] | None) -> dict[str, Any]:
    """Defaults for a habit's schedule: every day; once a week for weekly habits."""
    schedule = dict(schedule or DEFAULT_SCHEDULE)
    if schedule["frequency"] == "weekly":
        schedule.setdefault("times_per_week", 1)
    if schedule.get("days_of_week") is not None:
        schedule["days_of_week"] = sorted(set(schedule["days_of_week"]), key=WEEKDAYS.index)
    return schedule
