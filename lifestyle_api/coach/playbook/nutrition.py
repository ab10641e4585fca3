"""Insights on what the user ate: calories against the daily target, and the macro
(protein, carbs, fat) furthest from its target. Averages count the days with meals."""

from __future__ import annotations

from typing import Any

from ..context import CoachContext
from .formats import count, grouped, insight
from .measures import calorie_status, measure
from .tables import (
    CALORIE_AGAINST_TARGET,
    CALORIE_MESSAGES,
    CALORIE_TIPS,
    CALORIE_TITLES,
    MACRO_LEADS,
    MACRO_MESSAGE,
    MACRO_PART,
    MACRO_TIPS,
    MACRO_TIPS_FOR,
    MACRO_TITLES,
    MACROS,
)


def calories(context: CoachContext) -> dict[str, Any] | None:
    m = measure(context, "caloriesKcal")
    if m is None:
        return None
    status = "noTarget" if m.target is None else calorie_status(m.average, m.target)
    against = "" if m.target is None else CALORIE_AGAINST_TARGET.format(target=grouped(m.target))
    message = CALORIE_MESSAGES[context.period].format(
        average=grouped(m.average),
        days=count(m.days, "day"),
        phrase=context.phrase,
        against=against,
        tip=CALORIE_TIPS[status],
    )
    evidence: dict[str, Any] = {"averageKcal": round(m.average), "daysLogged": m.days}
    if m.target is not None:
        evidence["targetKcal"] = round(m.target)
    evidence["status"] = status
    return insight("calories", CALORIE_TITLES[status], message, evidence)


def macros(context: CoachContext) -> dict[str, Any] | None:
    """The macros with a target, led by the one furthest from it."""
    measured = [
        (name, label, m)
        for name, label in MACROS.items()
        if name in context.targets and (m := measure(context, name)) is not None
    ]
    if not measured:
        return None
    name, label, focus = max(measured, key=lambda item: abs(item[2].ratio - 1))
    status = calorie_status(focus.average, focus.target)
    parts = ", ".join(
        MACRO_PART.format(label=part_label, average=round(m.average), target=round(m.target))
        for _name, part_label, m in measured
    )
    tip = MACRO_TIPS_FOR.get((name, status), MACRO_TIPS[status])
    message = MACRO_MESSAGE.format(
        lead=MACRO_LEADS[context.period], parts=parts, tip=tip.format(label=label)
    )
    evidence: dict[str, Any] = {"daysLogged": focus.days}
    for macro, _label, m in measured:
        suffix = macro[0].upper() + macro[1:]
        evidence[f"average{suffix}"] = round(m.average)
        evidence[f"target{suffix}"] = round(m.target)
    evidence.update({"focus": label, "status": status})
    title = MACRO_TITLES[status].format(Label=label.capitalize())
    return insight("macros", title, message, evidence)
