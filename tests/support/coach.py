"""Builders for coach tests: daily summaries in API.md's shape, goals as `GET /goals` shows
them, and Bedrock Converse answers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any


def day_summary(
    day: date | str,
    *,
    meals: int = 0,
    calories: float = 0,
    protein: float = 0,
    carbs: float = 0,
    fat: float = 0,
    active: float = 0,
    activity_kcal: float = 0,
    sessions: int = 0,
    steps: float = 0,
    water: float = 0,
    sleep: float = 0,
    weight: float | None = None,
    resting_heart_rate: float | None = None,
    goals: list[dict[str, Any]] | None = None,
    due: int | None = None,
    timezone: str = "UTC",
    targets: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """`GET /summaries/daily` for one day. `goals` are `{goalId, title, done}` items; `due`
    defaults to their number."""
    items = goals or []
    return {
        "date": str(day),
        "timezone": timezone,
        "nutrition": {
            "totals": {
                "caloriesKcal": calories,
                "proteinG": protein,
                "carbsG": carbs,
                "fatG": fat,
            },
            "targets": targets or {},
            "mealCount": meals,
        },
        "activity": {"activeMinutes": active, "caloriesKcal": activity_kcal, "sessions": sessions},
        "metrics": {
            "steps": steps,
            "waterMl": water,
            "sleepMinutes": sleep,
            "weightKg": weight,
            "restingHeartRate": resting_heart_rate,
        },
        "goals": {
            "due": len(items) if due is None else due,
            "done": sum(1 for item in items if item["done"]),
            "items": items,
        },
    }


def week_days(week_start: date, logged: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Seven daily summaries from `week_start`: the logged ones, empty days elsewhere."""
    days = [week_start + timedelta(days=i) for i in range(7)]
    return [logged.get(day.isoformat()) or day_summary(day) for day in days]


def goal_view(
    goal_id: str,
    title: str,
    *,
    category: str = "other",
    goal_type: str = "habit",
    status: str = "active",
    frequency: str = "daily",
    times_per_week: int | None = None,
    target: dict[str, Any] | None = None,
    streak_current: int = 0,
    streak_longest: int = 0,
    last_check_in: str | None = None,
    check_ins: int = 0,
) -> dict[str, Any]:
    """A goal as `GET /goals` shows it, progress included."""
    schedule = None
    if goal_type == "habit":
        schedule = {"frequency": frequency}
        if times_per_week is not None:
            schedule["timesPerWeek"] = times_per_week
    return {
        "goalId": goal_id,
        "title": title,
        "description": None,
        "category": category,
        "type": goal_type,
        "schedule": schedule,
        "target": target,
        "status": status,
        "startDate": "2026-11-01",
        "endDate": None,
        "progress": {
            "streakCurrent": streak_current,
            "streakLongest": streak_longest,
            "lastCheckInDate": last_check_in,
            "checkInCount": check_ins,
        },
        "createdAt": "2026-11-01T08:00:00Z",
        "updatedAt": "2026-11-01T08:00:00Z",
    }


def converse_answer(
    tool_name: str, tool_input: Any, *, stop_reason: str = "tool_use"
) -> dict[str, Any]:
    """A Converse response whose message calls `tool_name` with `tool_input`."""
    return converse_message(
        [{"toolUse": {"toolUseId": "tooluse_1", "name": tool_name, "input": tool_input}}],
        stop_reason=stop_reason,
    )


def converse_message(content: list[dict[str, Any]], *, stop_reason: str) -> dict[str, Any]:
    return {
        "output": {"message": {"role": "assistant", "content": content}},
        "stopReason": stop_reason,
        "usage": {"inputTokens": 900, "outputTokens": 300, "totalTokens": 1200},
        "metrics": {"latencyMs": 1800},
    }
