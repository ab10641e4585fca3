"""The insight on one daily target (sleep, steps, activity, hydration): the period's
average against the target, written from the metric's copy in `tables.py`."""

from __future__ import annotations

from typing import Any

from ..context import CoachContext
from .formats import AMOUNT_FORMATS, count, insight
from .measures import measure, period_sessions, target_status
from .tables import TEXT, DailyTargetCopy


def daily_target_insight(context: CoachContext, copy: DailyTargetCopy) -> dict[str, Any] | None:
    """How the period went against the daily target `copy.metric`; `None` when nothing was
    logged for it or there is no target to compare with."""
    m = measure(context, copy.metric)
    if m is None or m.target is None:
        return None
    status = target_status(m.ratio)
    sessions = period_sessions(context)
    amount = AMOUNT_FORMATS[copy.amount_format]
    message = copy.messages[context.period].format(
        average=amount(m.average),
        target=amount(m.target),
        days=count(m.days, copy.days_noun),
        days_met=m.days_met,
        total=round(m.total),
        sessions=count(sessions, "session"),
        phrase=context.phrase,
        tip=copy.tips[status],
    )
    figures = {
        "average": round(m.average),
        "target": round(m.target),
        "days": m.days,
        "days_met": m.days_met,
        "total": round(m.total),
        "sessions": sessions,
        "target_source": m.target_source,
        "status": status,
    }
    title = TEXT["daily_target_status_titles"][status].format(title=copy.title)
    evidence = {key: figures[figure] for key, figure in copy.evidence}
    return insight(copy.kind, title, message, evidence)
