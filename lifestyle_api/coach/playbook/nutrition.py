"""Insights on what the user ate: calories against the daily target, and the macro
(protein, carbs, fat) furthest from its target. Averages count the days with meals."""

from __future__ import annotations

from typing import Any

from ..context import CoachContext
from .formats import count, grouped, insight
from .measures import calorie_status, measure
from .tables import TEXT


def calories(context: CoachContext) -> dict[str, Any] | None:
    m = measure(context, "caloriesKcal")
    if m is None:
        return None
    status = "noTarget" if m.target is None else calorie_status(m.average, m.target)
    against = (
        "" if m.target is None else TEXT["calorie_against_target"].format(target=grouped(m.target))
    )
    message = TEXT["calorie_messages"][context.period].format(
        average=grouped(m.average),
        days=count(m.days, "day"),
        phrase=context.phrase,
        against=against,
        tip=TEXT["calorie_tips"][status],
    )
    evidence: dict[str, Any] = {"averageKcal": round(m.average), "daysLogged": m.days}
    if m.target is not None:
        evidence["targetKcal"] = round(m.target)
    evidence["status"] = status
    return insight("calories", TEXT["calorie_titles"][status], message, evidence)


def macros(context: CoachContext) -> dict[str, Any] | None:
    """The macros with a target, led by the one furthest from it."""
    measured = [
        (name, label, m)
        for name, label in TEXT["macros"].items()
        if name in context.targets and (m := measure(context, name)) is not None
    ]
    if not measured:
        return None
    name, label, focus = max(measured, key=lambda item: abs(item[2].ratio - 1))
    status = calorie_status(focus.average, focus.target)
    parts = ", ".join(
        TEXT["macro_part"].format(
            label=part_label, average=round(m.average), target=round(m.target)
        )
        for _name, part_label, m in measured
    )
    tip = TEXT["macro_tips_for"].get(name, {}).get(status, TEXT["macro_tips"][status])
    message = TEXT["macro_message"].format(
        lead=TEXT["macro_leads"][context.period], parts=parts, tip=tip.format(label=label)
    )
    evidence: dict[str, Any] = {"daysLogged": focus.days}
    for macro, _label, m in measured:
        suffix = macro[0].upper() + macro[1:]
        evidence[f"average{suffix}"] = round(m.average)
        evidence[f"target{suffix}"] = round(m.target)
    evidence.update({"focus": label, "status": status})
    title = TEXT["macro_titles"][status].format(Label=label.capitalize())
    return insight("macros", title, message, evidence)
