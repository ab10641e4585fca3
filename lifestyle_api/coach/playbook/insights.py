"""The playbook's insights for a period, in a fixed order, or a getting-started insight
when there is nothing to say yet."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from ..context import CoachContext
from .daily_targets import daily_target_insight
from .formats import insight
from .goal_progress import goal_completion, streak_broken, streak_kept
from .measures import period_sessions
from .nutrition import calories, macros
from .tables import DAILY_TARGET_INSIGHTS, TEXT
from .weight import weight_trend

INSIGHT_BUILDERS: tuple[Callable[[CoachContext], dict[str, Any] | None], ...] = (
    goal_completion,
    streak_broken,
    streak_kept,
    *(partial(daily_target_insight, copy=copy) for copy in DAILY_TARGET_INSIGHTS),
    calories,
    macros,
    weight_trend,
)


def insights(context: CoachContext) -> dict[str, Any]:
    """`{"insights": [...]}` for the period; a getting-started insight when there is nothing
    to say yet."""
    found = [item for build in INSIGHT_BUILDERS if (item := build(context)) is not None]
    return {"insights": found or [getting_started(context)]}


def getting_started(context: CoachContext) -> dict[str, Any]:
    template = (
        TEXT["getting_started_with_goals"]
        if context.goals
        else TEXT["getting_started_without_goals"]
    )
    return insight(
        "getting_started",
        TEXT["getting_started_title"],
        template.format(phrase=context.phrase),
        {
            "daysCounted": context.days_counted,
            "mealsLogged": sum(day.meal_count for day in context.days),
            "activitiesLogged": period_sessions(context),
            "goals": len(context.goals),
        },
    )
