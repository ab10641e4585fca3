"""Builders for the days the coach reads: `DayFigures` as the summaries would give them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from lifestyle_api.coach.context import DayFigures


def day_figures(
    day: date | str,
    *,
    meals: int = 0,
    calories: float = 0,
    protein: float = 0,
    carbs: float = 0,
    fat: float = 0,
    active: float = 0,
    sessions: int = 0,
    steps: float = 0,
    water: float = 0,
    sleep: float = 0,
    weight: float | None = None,
    resting_heart_rate: float | None = None,
    goals: list[dict[str, Any]] | None = None,
) -> DayFigures:
    """One day's figures; `goals` are the day's due goals as `{goalId, title, done}`."""
    items = goals or []
    return DayFigures(
        day=date.fromisoformat(day) if isinstance(day, str) else day,
        meal_count=meals,
        calories_kcal=calories,
        protein_g=protein,
        carbs_g=carbs,
        fat_g=fat,
        active_minutes=active,
        sessions=sessions,
        steps=steps,
        water_ml=water,
        sleep_minutes=sleep,
        weight_kg=weight,
        resting_heart_rate=resting_heart_rate,
        goals_due=len(items),
        goals_done=sum(1 for item in items if item["done"]),
    )


def week_figures(week_start: date, logged: dict[str, DayFigures]) -> list[DayFigures]:
    """Seven days from `week_start`: the logged ones (by ISO date), empty days elsewhere."""
    days = [week_start + timedelta(days=i) for i in range(7)]
    return [logged.get(day.isoformat()) or day_figures(day) for day in days]
