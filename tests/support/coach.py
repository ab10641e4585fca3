"""Builders for coach tests: goals as `GET /goals` shows them, and Bedrock Converse
answers."""

from __future__ import annotations

from typing import Any


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
