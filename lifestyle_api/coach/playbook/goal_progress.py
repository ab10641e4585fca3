"""Insights on the user's goals: how many of the due goals were done, and the habit
streaks kept going or recently broken."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from ..context import CoachContext
from .formats import count, insight
from .tables import TEXT, THRESHOLDS


def goal_completion(context: CoachContext) -> dict[str, Any] | None:
    due = sum(day.goals_due for day in context.days)
    done = sum(day.goals_done for day in context.days)
    if not due:
        return None
    percent = round(100 * done / due)
    tip = next(
        (tip for least, tip in TEXT["goal_completion_tips"] if percent >= least),
        TEXT["goal_completion_low_tip"],
    )
    message = TEXT["goal_completion_message"].format(
        opening=TEXT["goal_completion_openings"][context.period],
        done=done,
        due=count(due, "goal"),
        percent=percent,
        tip=tip,
    )
    return insight(
        "goal_completion",
        TEXT["goal_completion_title"].format(phrase=context.phrase),
        message,
        {"due": due, "done": done, "completionPercent": percent, "daysCounted": len(context.days)},
    )


def _habits(context: CoachContext) -> list[Mapping[str, Any]]:
    return [g for g in context.active_goals() if g.get("type") == "habit" and g.get("progress")]


def _streak_unit(goal: Mapping[str, Any]) -> str:
    weekly = (goal.get("schedule") or {}).get("frequency") == "weekly"
    return "week" if weekly else "day"


def streak_kept(context: CoachContext) -> dict[str, Any] | None:
    running = [g for g in _habits(context) if g["progress"].get("streakCurrent", 0) >= 2]
    if not running:
        return None
    goal = max(running, key=lambda g: g["progress"]["streakCurrent"])
    current = goal["progress"]["streakCurrent"]
    longest = goal["progress"].get("streakLongest", current)
    unit = _streak_unit(goal)
    best = (
        TEXT["streak_longest_yet"]
        if current >= longest
        else TEXT["streak_best_is"].format(longest=count(longest, unit))
    )
    checked_in_today = goal["progress"].get("lastCheckInDate") == context.today.isoformat()
    message = TEXT["streak_kept_message"].format(
        title=goal["title"],
        current=current,
        unit=unit,
        best=best,
        keep=TEXT["streak_checked_in_today"] if checked_in_today else TEXT["streak_check_in_today"],
    )
    return insight(
        "streak_kept",
        TEXT["streak_kept_title"],
        message,
        {
            "goalId": goal.get("goalId", ""),
            "streakCurrent": current,
            "streakLongest": longest,
            "unit": unit,
            "habitsOnStreak": len(running),
        },
    )


def streak_broken(context: CoachContext) -> dict[str, Any] | None:
    recent = context.today.toordinal() - THRESHOLDS.recent_streak_days
    ended = [
        g
        for g in _habits(context)
        if g["progress"].get("streakCurrent") == 0
        and g["progress"].get("streakLongest", 0) >= 2
        and g["progress"].get("lastCheckInDate")
        and _ordinal(g["progress"]["lastCheckInDate"]) >= recent
    ]
    if not ended:
        return None
    goal = max(ended, key=lambda g: g["progress"]["streakLongest"])
    progress = goal["progress"]
    unit = _streak_unit(goal)
    message = TEXT["streak_broken_message"].format(
        title=goal["title"],
        longest=count(progress["streakLongest"], unit),
        last_check_in=progress["lastCheckInDate"],
    )
    return insight(
        "streak_broken",
        TEXT["streak_broken_title"],
        message,
        {
            "goalId": goal.get("goalId", ""),
            "streakCurrent": 0,
            "streakLongest": progress["streakLongest"],
            "lastCheckInDate": progress["lastCheckInDate"],
            "unit": unit,
        },
    )


def _ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()
