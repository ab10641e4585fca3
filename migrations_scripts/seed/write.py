"""Writing the demo: the profile and goals only when missing, the dated items in batches,
and each goal's check-in days set from the check-ins stored for it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from lifestyle_api.activities.models import ActivityItem
from lifestyle_api.dayset import DaySet
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import CHECKIN_PREFIX, user_pk
from lifestyle_api.goals.models import CheckInItem, GoalItem
from lifestyle_api.meals.models import MealItem
from lifestyle_api.metrics.models import MetricItem

from ..conditional import condition_held
from .build import build_demo
from .demo import DEMO_DAYS, DEMO_EMAIL, DEMO_NAME

PLURALS = {
    CheckInItem: "check-ins",
    ActivityItem: "activities",
    MealItem: "meals",
    MetricItem: "metrics",
}


@dataclass(frozen=True)
class SeedResult:
    sub: str
    written: Counter[str]
    partition_items: int

    def describe(self) -> str:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.written.items()))
        return f"wrote {kinds}; the demo user now has {self.partition_items} items"


def seed_demo(
    sub: str,
    *,
    email: str = DEMO_EMAIL,
    name: str = DEMO_NAME,
    now: datetime | None = None,
    days: int = DEMO_DAYS,
    report: Callable[[str], None] = print,
) -> SeedResult:
    """Write the demo user's data; idempotent for a given day (see the package docstring)."""
    data = build_demo(sub, email=email, name=name, now=now, days=days)
    written: Counter[str] = Counter()
    report(f"  {len(data.dated)} dated items, {len(data.goals)} goals and a profile for {sub}")

    # A new item's save is conditioned on its version: it must not exist yet.
    if condition_held(data.profile.save):
        written["profiles"] += 1
    with TableItem.batch_write() as batch:
        for item in data.dated:
            batch.save(item)
            written[PLURALS[type(item)]] += 1
    check_ins = _stored_check_in_days(sub)
    for goal in data.goals.values():
        if _save_goal(goal, check_ins.get(goal.goal_id, set())):
            written["goals"] += 1
    partition_items = TableItem.count(user_pk(sub), consistent_read=True)
    return SeedResult(sub=sub, written=written, partition_items=partition_items)


def _stored_check_in_days(sub: str) -> dict[str, set[date]]:
    """Each goal's checked-in days as stored: this seed's and any earlier one's."""
    days: dict[str, set[date]] = {}
    for item in CheckInItem.query(
        user_pk(sub),
        CheckInItem.sk.startswith(CHECKIN_PREFIX),
        consistent_read=True,
        attributes_to_get=["kind", "goalId", "date"],
    ):
        days.setdefault(item.goal_id, set()).add(item.day)
    return days


def _save_goal(goal: GoalItem, days: set[date]) -> bool:
    """Create the goal, or bring an existing one's check-in days in line with its stored
    check-ins (as the check-in service writes them). Whether anything was written."""
    stored = DaySet.of(days)
    try:
        existing = GoalItem.get(goal.pk, goal.sk, consistent_read=True)
    except GoalItem.DoesNotExist:
        goal.check_in_days = stored or None
        return condition_held(goal.save)
    if existing.checked_in == stored and existing.legacy_check_in_dates is None:
        return False
    existing.update(actions=existing.check_in_days_actions(stored))
    return True
