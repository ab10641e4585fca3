"""The demo user's items, built in memory: a pure function of the user's id and the day.

Ids are ULIDs built from each item's own instant and a hash of what it is; values come
from a random generator seeded per decision. Goals are shaped and checked by the goals
service's own functions, meal totals computed by the meals service's, so the demo holds
nothing a client could not have written.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from ulid import ULID

from lifestyle_api.activities.models import ActivityItem
from lifestyle_api.db import TableItem
from lifestyle_api.goals.models import CheckInItem, GoalItem, Reminder
from lifestyle_api.goals.service import assign_shape, check_shape
from lifestyle_api.goals.shape import WEEKDAYS
from lifestyle_api.meals.models import MealEntry, MealItem, Nutrition
from lifestyle_api.meals.service import meal_totals
from lifestyle_api.metrics.models import MetricItem
from lifestyle_api.profile.models import DailyTargets, ProfileItem
from lifestyle_api.timeutil import local_day, to_utc, utc_now, zone

from .demo import (
    DAILY_TARGETS,
    DEMO_DAYS,
    DEMO_EMAIL,
    DEMO_NAME,
    DEMO_TIMEZONE,
    GOALS,
    MEALS,
    STRENGTH_NOTES,
    WORKOUTS,
    GoalSpec,
    food_entry,
)

Item = TypeVar("Item", bound=TableItem)


@dataclass
class DemoData:
    """One seed's items, built in memory; `goal_ids` maps each goal's slug to its id."""

    sub: str
    profile: ProfileItem
    goals: dict[str, GoalItem] = field(default_factory=dict)
    dated: list[TableItem] = field(default_factory=list)

    @property
    def goal_ids(self) -> dict[str, str]:
        return {slug: goal.goal_id for slug, goal in self.goals.items()}


def stable_ulid(at: datetime, *parts: str) -> str:
    """A ULID for `at` whose random part is a hash of `parts`: the same item, the same id."""
    millis = int(to_utc(at).timestamp() * 1000)
    randomness = hashlib.sha256("#".join(parts).encode()).digest()[:10]
    return str(ULID.from_bytes(millis.to_bytes(6, "big") + randomness))


def build_demo(
    sub: str,
    *,
    email: str = DEMO_EMAIL,
    name: str = DEMO_NAME,
    timezone: str = DEMO_TIMEZONE,
    now: datetime | None = None,
    days: int = DEMO_DAYS,
) -> DemoData:
    """The demo items for the `days` local days before today (nothing in the future)."""
    now = now or utc_now()
    today = local_day(now, timezone)
    first = today - timedelta(days=days)
    builder = _Builder(sub, timezone, first)
    profile = ProfileItem.new(sub, email=email, name=name, now=builder.at(first, 8, 0))
    profile.timezone = timezone
    profile.unit_system = "metric"
    profile.daily_targets = DailyTargets(**DAILY_TARGETS)
    data = DemoData(sub=sub, profile=profile)
    for number, spec in enumerate(GOALS):
        data.goals[spec.slug] = builder.goal(spec, today, number)
    for offset in range(days):
        data.dated.extend(builder.day(first + timedelta(days=offset), data.goals, today))
    couch = next(spec for spec in GOALS if spec.slug == "couch-to-5k")
    data.dated.extend(builder.couch_to_5k(couch, data.goals[couch.slug]))
    return data


class _Builder:
    """Makes the items of one demo user; every random choice is seeded by what it decides."""

    def __init__(self, sub: str, timezone: str, first: date) -> None:
        self.sub = sub
        self.timezone = timezone
        self.first = first

    def rng(self, *parts: object) -> random.Random:
        return random.Random("#".join([self.sub, *map(str, parts)]))

    def at(self, day: date, hour: int, minute: int) -> datetime:
        local = datetime.combine(day, time(hour, minute), tzinfo=zone(self.timezone))
        return local.astimezone(UTC)

    def goal(self, spec: GoalSpec, today: date, number: int) -> GoalItem:
        start = self.first + timedelta(days=spec.start)
        created = self.at(start, 8, 0) + timedelta(minutes=5 * number)
        end = self.first + timedelta(days=spec.end) if spec.end is not None else None
        goal = GoalItem(
            *GoalItem.key(self.sub, goal_id := stable_ulid(created, self.sub, "goal", spec.slug)),
            goal_id=goal_id,
            title=spec.title,
            description=spec.description,
            category=spec.category,
            goal_type=spec.goal_type,
            reminder=Reminder(time=spec.reminder) if spec.reminder else None,
            status=spec.status,
            start_date=start,
            end_date=end,
            created_at=created,
        )
        assign_shape(goal, spec.schedule, spec.target)
        check_shape(goal)
        if spec.status_changed is None:
            goal.touch(self.at(today - timedelta(days=1), 21, 0))
        else:
            goal.touch(self.at(self.first + timedelta(days=spec.status_changed), 20, 0))
        return goal

    def day(self, day: date, goals: dict[str, GoalItem], today: date) -> Iterator[TableItem]:
        recent = (today - day).days
        weekday = WEEKDAYS[day.weekday()]
        yield from self.meals(day)
        yield from self.metrics(day)

        # Meditation: a few misses early on, then an unbroken run up to yesterday.
        if recent <= 12 or self.rng("meditate", day).random() < 0.8:
            yield self.check_in(goals["meditate"], day, self.at(day, 8, 20), value=10)
        # Strength: Monday, Wednesday and Friday; a session or two missed in the first week.
        if weekday in ("mon", "wed", "fri") and (
            (day - self.first).days >= 7 or self.rng("strength", day).random() < 0.5
        ):
            note = STRENGTH_NOTES[day.toordinal() % len(STRENGTH_NOTES)]
            yield self.check_in(goals["strength"], day, self.at(day, 18, 55), note=note)
            started = self.at(day, 18, 0)
            yield self.activity(day, "strength", started, 50, notes=note, goal=goals["strength"])
        # Screens: work nights only, mostly kept, kept all of the last week.
        if weekday not in ("sat", "sun") and (
            recent <= 7 or self.rng("screens", day).random() < 0.75
        ):
            yield self.check_in(goals["screens"], day, self.at(day, 22, 30))
        # Coffee: checked in during the first week, then paused.
        if (day - self.first).days < 7 and self.rng("coffee", day).random() < 0.7:
            yield self.check_in(goals["coffee"], day, self.at(day, 16, 0), value=1)
        yield from self.workouts(day, weekday, goals)

    def workouts(self, day: date, weekday: str, goals: dict[str, GoalItem]) -> Iterator[TableItem]:
        """Most days a walk at lunch, a run on Tuesday and Saturday, yoga on Sunday."""
        rng = self.rng("activities", day)
        if rng.random() < 0.85:
            minutes = rng.randrange(25, 50, 5)
            yield self.activity(day, "walk", self.at(day, 12, 40), minutes, goal=goals["steps"])
        if weekday in ("tue", "sat") and rng.random() < 0.8:
            yield self.activity(day, "run", self.at(day, 7, 0), rng.randrange(28, 42))
        if weekday == "sun":
            yield self.activity(day, "yoga", self.at(day, 9, 30), 30)

    def couch_to_5k(self, spec: GoalSpec, goal: GoalItem) -> Iterator[TableItem]:
        """The completed running goal's check-ins, from before the seeded window."""
        for offset in range(spec.start, (spec.end or 0) + 1):
            day = self.first + timedelta(days=offset)
            if WEEKDAYS[day.weekday()] in ("tue", "thu", "sat"):
                yield self.check_in(goal, day, self.at(day, 7, 45))

    def check_in(self, goal: GoalItem, day: date, at: datetime, **answer: Any) -> CheckInItem:
        """The goal's check-in on `day`, made at `at`; `answer` is its `value` and `note`."""
        item = CheckInItem(
            *CheckInItem.key(self.sub, goal.goal_id, day), goal_id=goal.goal_id, day=day, **answer
        )
        return _written(item, at)

    def activity(
        self,
        day: date,
        kind: str,
        started_at: datetime,
        minutes: int,
        *,
        notes: str | None = None,
        goal: GoalItem | None = None,
    ) -> ActivityItem:
        workout = WORKOUTS[kind]
        pace = workout.metres_per_minute
        return self.dated(
            ActivityItem,
            "activity_id",
            stable_ulid(started_at, self.sub, "activity", kind),
            written_at=started_at + timedelta(minutes=minutes),
            activity_type=kind,
            started_at=started_at,
            duration_minutes=minutes,
            distance_m=minutes * pace if pace else None,
            calories_kcal=round(minutes * workout.kcal_per_minute),
            intensity=workout.intensity,
            notes=notes,
            goal_id=goal.goal_id if goal else None,
            day=day,
        )

    def meals(self, day: date) -> Iterator[MealItem]:
        rng = self.rng("meals", day)
        plan = [("breakfast", 7, 30), ("lunch", 12, 15), ("dinner", 19, 0)]
        if rng.random() < 0.5:
            plan.append(("snack", 15, 30))
        for meal_type, hour, minute in plan:
            name, foods = rng.choice(MEALS[meal_type])
            eaten_at = self.at(day, hour, minute + rng.randrange(0, 30, 5))
            entries = [food_entry(food) for food in foods]
            yield self.dated(
                MealItem,
                "meal_id",
                stable_ulid(eaten_at, self.sub, "meal"),
                written_at=eaten_at,
                meal_type=meal_type,
                eaten_at=eaten_at,
                name=name,
                items=[MealEntry(**entry) for entry in entries],
                totals=Nutrition(**meal_totals(entries)),
                day=day,
            )

    def metrics(self, day: date) -> Iterator[MetricItem]:
        rng = self.rng("metrics", day)
        weekend = day.weekday() >= 5
        wake = self.at(day, 7 if weekend else 6, rng.randrange(30, 60, 5))
        # Sleep belongs to the day it ends: recorded at the wake time.
        yield self.metric(day, "sleep", wake, rng.randrange(400, 500 if weekend else 470, 5))
        yield self.metric(day, "restingHeartRate", wake, rng.randrange(56, 64))
        index = (day - self.first).days
        if index % 2 == 0:
            trend = 78.6 - 0.06 * index
            yield self.metric(
                day, "weight", self.at(day, 7, 15), round(trend + rng.uniform(-0.3, 0.3), 1)
            )
        for hour, low, high in ((10, 500, 500), (13, 500, 750), (16, 500, 900), (20, 250, 750)):
            yield self.metric(day, "water", self.at(day, hour, 0), rng.randrange(low, high + 1, 50))
        yield self.metric(day, "steps", self.at(day, 21, 45), rng.randrange(5200, 12500, 10))

    def metric(self, day: date, kind: str, recorded_at: datetime, value: float) -> MetricItem:
        return self.dated(
            MetricItem,
            "metric_id",
            stable_ulid(recorded_at, self.sub, "metric", kind),
            written_at=recorded_at,
            metric_type=kind,
            value=value,
            recorded_at=recorded_at,
            day=day,
        )

    def dated(
        self, model: type[Item], id_field: str, item_id: str, *, written_at: datetime, **fields: Any
    ) -> Item:
        """An item found by id (`model.key(sub, id)`), with its index keys, as written then."""
        return _written(
            model(*model.key(self.sub, item_id), **{id_field: item_id}, **fields), written_at
        )


def _written(item: Item, at: datetime) -> Item:
    item.index_keys()
    # Batch writes skip PynamoDB's version handling: start every item at version 1.
    item.version = 1
    item.created_at = at
    item.updated_at = at
    return item
