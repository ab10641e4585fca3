"""Goal suggestions: up to three new goals, the weakest areas first, then first goals for
areas with nothing logged; each a valid `POST /goals` body no active goal already covers."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from ..context import CoachContext
from .formats import AMOUNT_FORMATS, count, grouped
from .measures import calorie_status, measure
from .tables import HABITS, SUGGESTION_AREAS, TEXT, THRESHOLDS, SuggestionArea


def goal_suggestions(context: CoachContext) -> dict[str, Any]:
    """`{"suggestions": [...]}`: up to three new goals, weakest areas first, each a valid
    `POST /goals` body that no active goal already covers."""
    active = context.active_goals()
    covered_metrics = {(g.get("target") or {}).get("metric") for g in active}
    covered_categories = {g.get("category") for g in active}
    titles = {str(g.get("title", "")).casefold() for g in active}

    def new(suggestion: dict[str, Any]) -> bool:
        return suggestion["goal"]["title"].casefold() not in titles

    weak = [s for _ratio, s in sorted(_weak_areas(context, covered_metrics), key=lambda x: x[0])]
    starters = _starters(context, covered_metrics, covered_categories)
    chosen: list[dict[str, Any]] = []
    for suggestion in [*weak, *starters]:
        if new(suggestion) and len(chosen) < THRESHOLDS.suggestions_wanted:
            chosen.append(suggestion)
    if not chosen:
        chosen = [next((s for s in HABITS["last_resort"] if new(s)), HABITS["last_resort"][0])]
    return {"suggestions": chosen}


def stepping_stone(average: float, target: float, unit: int) -> int:
    """The next target to aim for: the target itself, or halfway there when it is far off."""
    if average >= THRESHOLDS.stepping_stone_ratio * target:
        return round(target)
    halfway = average + (target - average) / 2
    return min(round(target), math.ceil(halfway / unit) * unit)


def _weak_areas(context: CoachContext, covered_metrics: set) -> list[tuple[float, dict]]:
    """Suggestions for the areas below their targets, each with its ratio to the target."""
    found = []
    for area in SUGGESTION_AREAS:
        m = measure(context, area.metric)
        if m is None or m.target is None or m.ratio >= THRESHOLDS.close_ratio:
            continue
        if area.metric in covered_metrics:
            continue
        value = stepping_stone(m.average, m.target, area.unit)
        reference = TEXT["weak_area_reference"] if m.target_source == "reference" else ""
        step = (
            "" if value >= m.target else TEXT["weak_area_step"].format(value=_amount(area, value))
        )
        rationale = TEXT["weak_area_rationale"].format(
            average=_amount(area, m.average),
            days=count(m.days, "day"),
            phrase=context.phrase,
            target=_amount(area, m.target),
            reference=reference,
            step=step,
        )
        goal = _target_goal(_title(area, value), area.category, area.metric, value, "atLeast")
        found.append((m.ratio, {"goal": goal, "rationale": rationale}))

    m = measure(context, "caloriesKcal")
    if (
        m is not None
        and m.target is not None
        and calorie_status(m.average, m.target) == "above"
        and "caloriesKcal" not in covered_metrics
    ):
        target = round(m.target)
        title = TEXT["calorie_limit_title"].format(target=target)
        goal = _target_goal(title, "nutrition", "caloriesKcal", target, "atMost")
        rationale = TEXT["calorie_limit_rationale"].format(
            average=grouped(m.average),
            days=count(m.days, "day"),
            phrase=context.phrase,
            target=grouped(m.target),
        )
        found.append((m.target / m.average, {"goal": goal, "rationale": rationale}))

    m = measure(context, "proteinG") if "proteinG" in context.targets else None
    if m is not None and m.target and m.ratio < THRESHOLDS.close_ratio:
        suggestion = _suggestion(
            HABITS["more_protein"],
            average=round(m.average),
            days=count(m.days, "day"),
            phrase=context.phrase,
            target=round(m.target),
        )
        found.append((m.ratio, suggestion))
    return found


def _starters(context: CoachContext, covered_metrics: set, covered_categories: set) -> list[dict]:
    """First goals for areas with no data and no goal yet."""
    starters = []
    if not any(day.meal_count for day in context.days) and "nutrition" not in covered_categories:
        starters.append(_suggestion(HABITS["log_meals"], phrase=context.phrase))
    for area in SUGGESTION_AREAS:
        if not area.starter or measure(context, area.metric):
            continue
        if area.metric in covered_metrics or area.category in covered_categories:
            continue
        value = round(context.targets.get(area.metric, THRESHOLDS.reference_targets[area.metric]))
        rationale = TEXT["starter_area_rationale"].format(
            noun=area.noun, phrase=context.phrase, amount=_amount(area, value)
        )
        goal = _target_goal(_title(area, value), area.category, area.metric, value, "atLeast")
        starters.append({"goal": goal, "rationale": rationale})
    if "mindfulness" not in covered_categories:
        starters.append(_suggestion(HABITS["mindfulness"]))
    return starters


def _title(area: SuggestionArea, value: float) -> str:
    return area.title.format(AMOUNT_FORMATS[area.title_format](value))


def _amount(area: SuggestionArea, value: float) -> str:
    return area.amount.format(AMOUNT_FORMATS[area.amount_format](value))


def _target_goal(title: str, category: str, metric: str, value: float, direction: str) -> dict:
    return {
        "title": title,
        "category": category,
        "type": "target",
        "target": {"metric": metric, "value": value, "direction": direction},
    }


def _suggestion(template: Mapping[str, Any], **values: Any) -> dict[str, Any]:
    """A suggestion from the tables: its goal (a copy) and its rationale filled in."""
    goal = {**template["goal"], "schedule": dict(template["goal"]["schedule"])}
    return {"goal": goal, "rationale": template["rationale"].format(**values)}
