"""The weight trend: from the period's first weigh-in to its last, and the distance to an
active weight goal."""

from __future__ import annotations

from typing import Any

from ..context import CoachContext
from .formats import insight
from .tables import TEXT


def weight_trend(context: CoachContext) -> dict[str, Any] | None:
    weigh_ins = [(d.day.isoformat(), float(d.weight_kg)) for d in context.days if d.weight_kg]
    if len(weigh_ins) < 2:
        return None
    (first_day, first), (last_day, last) = weigh_ins[0], weigh_ins[-1]
    change = round(last - first, 1)
    message = TEXT["weight_trend_message"].format(
        first=first, first_day=first_day, last=last, last_day=last_day, change=change
    )
    evidence: dict[str, Any] = {
        "firstKg": round(first, 1),
        "lastKg": round(last, 1),
        "changeKg": change,
        "firstDate": first_day,
        "lastDate": last_day,
        "weighIns": len(weigh_ins),
    }
    goal = next(
        (
            g
            for g in context.active_goals()
            if g.get("type") == "target" and (g.get("target") or {}).get("metric") == "weightKg"
        ),
        None,
    )
    if goal is not None:
        target = float(goal["target"]["value"])
        evidence["goalKg"] = round(target, 1)
        evidence["toGoalKg"] = round(abs(last - target), 1)
        message += TEXT["weight_trend_goal"].format(target=target, away=abs(last - target))
    message += TEXT["weight_trend_closing"]
    return insight("weight_trend", TEXT["weight_trend_title"], message, evidence)
