"""The demo user's data: four weeks of goals with streaks, check-ins, meals, activities and
health metrics, written straight through the item models.

Everything is a pure function of the user's id and the day the seed runs: ids are ULIDs
built from each item's own instant and a hash of what it is, values come from a random
generator seeded per item. So seeding twice on the same day writes the same items again and
the item count stays the same; seeding on a later day adds the days since. The profile and
goals are only created when missing (a developer's edits survive a re-seed), and each goal's
check-in days are set from the check-in items stored for it, so the two always agree.
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from pynamodb.exceptions import PynamoDBException
from ulid import ULID

from lifestyle_api.activities.models import ActivityItem
from lifestyle_api.dayset import DaySet
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import CHECKIN_PREFIX, user_pk
from lifestyle_api.goals.models import CheckInItem, GoalItem, Reminder, Schedule, Target
from lifestyle_api.meals.models import MealEntry, MealItem, Nutrition
from lifestyle_api.metrics.models import MetricItem
from lifestyle_api.profile.models import DailyTargets, ProfileItem
from lifestyle_api.timeutil import local_day, to_utc, utc_now, zone

DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "Demo-pass-1"
DEMO_NAME = "Dana Demo"
# The demo user's id when no user pool is involved (a table seeded on its own).
DEMO_SUB = "demo-user"
DEMO_TIMEZONE = "Europe/Berlin"
DEMO_DAYS = 28

DAILY_TARGETS = {
    "calories_kcal": 2200,
    "protein_g": 110,
    "carbs_g": 250,
    "fat_g": 75,
    "water_ml": 2500,
    "steps": 8000,
    "sleep_minutes": 450,
    "active_minutes": 40,
}

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

# name: (quantity, unit, kcal, protein g, carbs g, fat g, fiber g, sugar g, sodium mg)
FOODS: dict[str, tuple[float, str, float, float, float, float, float, float, float]] = {
    "Rolled oats": (60, "g", 228, 8, 40, 4, 6, 1, 4),
    "Greek yogurt": (150, "g", 146, 15, 6, 7, 0, 6, 54),
    "Blueberries": (80, "g", 46, 0.6, 11.6, 0.3, 1.9, 8, 1),
    "Whole-grain toast": (2, "slice", 220, 10, 38, 3, 6, 4, 380),
    "Scrambled eggs": (2, "egg", 182, 12.6, 1.4, 13.4, 0, 1.1, 342),
    "Banana": (1, "piece", 105, 1.3, 27, 0.4, 3.1, 14.4, 1),
    "Almonds": (30, "g", 174, 6.3, 6.5, 15, 3.8, 1.3, 0),
    "Chicken breast": (150, "g", 248, 46.5, 0, 5.4, 0, 0, 111),
    "Brown rice": (180, "g", 202, 4.7, 42, 1.6, 3.2, 0.5, 9),
    "Mixed salad": (100, "g", 20, 1.5, 3.5, 0.2, 2, 2, 30),
    "Olive oil": (10, "ml", 88, 0, 0, 10, 0, 0, 0),
    "Lentil soup": (350, "ml", 320, 18, 45, 6, 14, 5, 780),
    "Rye bread": (1, "slice", 83, 2.7, 15.5, 1.1, 1.9, 1.2, 193),
    "Salmon fillet": (140, "g", 290, 30, 0, 18, 0, 0, 84),
    "Roasted potatoes": (200, "g", 186, 4, 34, 4, 4, 1.5, 20),
    "Steamed broccoli": (150, "g", 52, 4.2, 10.5, 0.6, 5, 2.6, 62),
    "Whole-wheat pasta": (200, "g", 296, 12, 60, 2, 8, 1.6, 8),
    "Tomato sauce": (150, "g", 75, 2.4, 11, 2.5, 2.7, 8, 470),
    "Parmesan": (15, "g", 59, 5.4, 0.5, 3.9, 0, 0, 240),
    "Tofu stir-fry": (300, "g", 330, 22, 18, 18, 5, 7, 690),
    "Jasmine rice": (150, "g", 195, 4, 42, 0.4, 0.6, 0, 2),
    "Apple": (1, "piece", 95, 0.5, 25, 0.3, 4.4, 19, 2),
    "Hummus": (60, "g", 100, 4.8, 8.6, 5.8, 3.6, 0.2, 230),
    "Carrot sticks": (100, "g", 41, 0.9, 9.6, 0.2, 2.8, 4.7, 69),
}

MEALS: dict[str, list[tuple[str, list[str]]]] = {
    "breakfast": [
        ("Oats with yogurt and blueberries", ["Rolled oats", "Greek yogurt", "Blueberries"]),
        ("Eggs on toast", ["Scrambled eggs", "Whole-grain toast"]),
        ("Yogurt, banana and almonds", ["Greek yogurt", "Banana", "Almonds"]),
    ],
    "lunch": [
        ("Chicken rice bowl", ["Chicken breast", "Brown rice", "Mixed salad", "Olive oil"]),
        ("Lentil soup", ["Lentil soup", "Rye bread"]),
        ("Pasta leftovers", ["Whole-wheat pasta", "Tomato sauce", "Parmesan"]),
    ],
    "dinner": [
        ("Salmon with potatoes", ["Salmon fillet", "Roasted potatoes", "Steamed broccoli"]),
        ("Tofu stir-fry", ["Tofu stir-fry", "Jasmine rice"]),
        ("Pasta with tomato sauce", ["Whole-wheat pasta", "Tomato sauce", "Parmesan"]),
    ],
    "snack": [
        ("Apple and almonds", ["Apple", "Almonds"]),
        ("Hummus and carrots", ["Hummus", "Carrot sticks"]),
    ],
}

STRENGTH_NOTES = ("Upper body", "Legs and core", "Full body circuit")


@dataclass(frozen=True)
class GoalSpec:
    slug: str
    title: str
    category: str
    goal_type: str
    description: str | None = None
    schedule: dict[str, Any] | None = None
    target: dict[str, Any] | None = None
    status: str = "active"
    # Days relative to the first day of the seeded window; `end` inclusive.
    start: int = 0
    end: int | None = None
    # The day a goal that is no longer active changed its status.
    status_changed: int | None = None
    # A habit's daily reminder, local time `HH:MM`.
    reminder: str | None = None


GOALS = (
    GoalSpec(
        "meditate",
        "Meditate for 10 minutes",
        "mindfulness",
        "habit",
        "Right after breakfast, with a timer.",
        schedule={"frequency": "daily"},
        reminder="08:00",
    ),
    GoalSpec(
        "strength",
        "Strength training three times a week",
        "fitness",
        "habit",
        schedule={"frequency": "weekly", "times_per_week": 3},
    ),
    GoalSpec(
        "screens",
        "No screens after 22:00 on work nights",
        "sleep",
        "habit",
        schedule={"frequency": "daily", "days_of_week": ["mon", "tue", "wed", "thu", "fri"]},
        reminder="21:30",
    ),
    GoalSpec(
        "steps",
        "Walk 8,000 steps a day",
        "fitness",
        "target",
        target={"metric": "steps", "value": 8000, "direction": "atLeast"},
    ),
    GoalSpec(
        "water",
        "Drink 2.5 l of water a day",
        "hydration",
        "target",
        target={"metric": "waterMl", "value": 2500, "direction": "atLeast"},
    ),
    GoalSpec(
        "weight",
        "Get down to 76 kg",
        "weight",
        "target",
        "Slowly: half a kilo a week at most.",
        target={"metric": "weightKg", "value": 76, "direction": "atMost"},
        end=90,
    ),
    GoalSpec(
        "calories",
        "Stay under 2,200 kcal a day",
        "nutrition",
        "target",
        target={"metric": "caloriesKcal", "value": 2200, "direction": "atMost"},
    ),
    GoalSpec(
        "coffee",
        "One coffee a day at most",
        "nutrition",
        "habit",
        schedule={"frequency": "daily"},
        status="paused",
        status_changed=7,
    ),
    GoalSpec(
        "couch-to-5k",
        "Run 5 km without stopping",
        "fitness",
        "habit",
        "Three easy runs a week until 5 km feels fine.",
        schedule={"frequency": "weekly", "times_per_week": 3},
        status="completed",
        start=-42,
        end=-1,
        status_changed=-1,
    ),
)


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


@dataclass(frozen=True)
class SeedResult:
    sub: str
    written: Counter[str]
    partition_items: int

    def describe(self) -> str:
        kinds = ", ".join(f"{count} {kind}" for kind, count in sorted(self.written.items()))
        return f"wrote {kinds}; the demo user now has {self.partition_items} items"


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
    data = DemoData(
        sub=sub,
        profile=ProfileItem(
            *ProfileItem.key(sub),
            user_id=sub,
            email=email,
            name=name,
            timezone=timezone,
            unit_system="metric",
            daily_targets=DailyTargets(**DAILY_TARGETS),
            created_at=builder.at(first, 8, 0),
            updated_at=builder.at(first, 8, 0),
        ),
    )
    for number, spec in enumerate(GOALS):
        data.goals[spec.slug] = builder.goal(spec, today, number)
    for offset in range(days):
        data.dated.extend(builder.day(first + timedelta(days=offset), data.goals, today))
    couch = next(spec for spec in GOALS if spec.slug == "couch-to-5k")
    data.dated.extend(builder.couch_to_5k(couch, data.goals[couch.slug]))
    return data


def seed_demo(
    sub: str,
    *,
    email: str = DEMO_EMAIL,
    name: str = DEMO_NAME,
    now: datetime | None = None,
    days: int = DEMO_DAYS,
    report: Callable[[str], None] = print,
) -> SeedResult:
    """Write the demo user's data; idempotent for a given day (see the module docstring)."""
    data = build_demo(sub, email=email, name=name, now=now, days=days)
    written: Counter[str] = Counter()
    report(f"  {len(data.dated)} dated items, {len(data.goals)} goals and a profile for {sub}")

    if _create_if_missing(data.profile):
        written["profiles"] += 1
    with TableItem.batch_write() as batch:
        for item in data.dated:
            batch.save(item)
            written[_plural(item)] += 1
    check_ins = _stored_check_in_days(sub)
    for goal in data.goals.values():
        if _save_goal(goal, check_ins.get(goal.goal_id, set())):
            written["goals"] += 1
    partition_items = TableItem.count(user_pk(sub), consistent_read=True)
    return SeedResult(sub=sub, written=written, partition_items=partition_items)


def _plural(item: TableItem) -> str:
    return {
        CheckInItem: "check-ins",
        ActivityItem: "activities",
        MealItem: "meals",
        MetricItem: "metrics",
    }[type(item)]


def _create_if_missing(item: TableItem) -> bool:
    try:
        item.save()  # a new item's version condition: it must not exist yet
    except PynamoDBException as exc:
        if exc.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _stored_check_in_days(sub: str) -> dict[str, set[str]]:
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
    check-ins. Whether anything was written."""
    stored = DaySet.of(days)
    try:
        existing = GoalItem.get(goal.pk, goal.sk, consistent_read=True)
    except GoalItem.DoesNotExist:
        goal.check_in_days = stored or None
        return _create_if_missing(goal)
    if existing.checked_in == stored and existing.legacy_check_in_dates is None:
        return False
    existing.check_in_days = stored or None
    existing.legacy_check_in_dates = None
    existing.save()
    return True


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
            schedule=Schedule(**spec.schedule) if spec.schedule else None,
            target=Target(**spec.target) if spec.target else None,
            reminder=Reminder(time=spec.reminder) if spec.reminder else None,
            status=spec.status,
            start_date=start,
            end_date=end,
            created_at=created,
        )
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
            yield self.activity(
                day,
                "strength",
                self.at(day, 18, 0),
                minutes=50,
                per_minute=6.5,
                intensity="moderate",
                notes=note,
                goal=goals["strength"],
            )
        # Screens: work nights only, mostly kept, kept all of the last week.
        if weekday not in ("sat", "sun") and (
            recent <= 7 or self.rng("screens", day).random() < 0.75
        ):
            yield self.check_in(goals["screens"], day, self.at(day, 22, 30))
        # Coffee: checked in during the first week, then paused.
        if (day - self.first).days < 7 and self.rng("coffee", day).random() < 0.7:
            yield self.check_in(goals["coffee"], day, self.at(day, 16, 0), value=1)

        rng = self.rng("activities", day)
        if rng.random() < 0.85:
            minutes = rng.randrange(25, 50, 5)
            yield self.activity(
                day,
                "walk",
                self.at(day, 12, 40),
                minutes=minutes,
                per_minute=4.2,
                intensity="low",
                distance=minutes * 80,
                goal=goals["steps"],
            )
        if weekday in ("tue", "sat") and rng.random() < 0.8:
            minutes = rng.randrange(28, 42)
            yield self.activity(
                day,
                "run",
                self.at(day, 7, 0),
                minutes=minutes,
                per_minute=10.5,
                intensity="high",
                distance=minutes * 170,
            )
        if weekday == "sun":
            yield self.activity(
                day, "yoga", self.at(day, 9, 30), minutes=30, per_minute=3.3, intensity="low"
            )

    def couch_to_5k(self, spec: GoalSpec, goal: GoalItem) -> Iterator[TableItem]:
        """The completed running goal's check-ins, from before the seeded window."""
        for offset in range(spec.start, (spec.end or 0) + 1):
            day = self.first + timedelta(days=offset)
            if WEEKDAYS[day.weekday()] in ("tue", "thu", "sat"):
                yield self.check_in(goal, day, self.at(day, 7, 45))

    def check_in(
        self,
        goal: GoalItem,
        day: date,
        at: datetime,
        *,
        value: float | None = None,
        note: str | None = None,
    ) -> CheckInItem:
        item = CheckInItem(
            *CheckInItem.key(self.sub, goal.goal_id, day),
            goal_id=goal.goal_id,
            day=day,
            value=value,
            note=note,
        )
        item.index_keys()
        return self._stamp(item, at)

    def activity(
        self,
        day: date,
        kind: str,
        started_at: datetime,
        *,
        minutes: int,
        per_minute: float,
        intensity: str,
        distance: int | None = None,
        notes: str | None = None,
        goal: GoalItem | None = None,
    ) -> ActivityItem:
        item = ActivityItem(
            *ActivityItem.key(
                self.sub, activity_id := stable_ulid(started_at, self.sub, "activity", kind)
            ),
            activity_id=activity_id,
            activity_type=kind,
            started_at=started_at,
            duration_minutes=minutes,
            distance_m=distance,
            calories_kcal=round(minutes * per_minute),
            intensity=intensity,
            notes=notes,
            goal_id=goal.goal_id if goal else None,
            day=day,
        )
        item.index_keys()
        return self._stamp(item, started_at + timedelta(minutes=minutes))

    def meals(self, day: date) -> Iterator[MealItem]:
        rng = self.rng("meals", day)
        plan = [("breakfast", 7, 30), ("lunch", 12, 15), ("dinner", 19, 0)]
        if rng.random() < 0.5:
            plan.append(("snack", 15, 30))
        for meal_type, hour, minute in plan:
            name, foods = rng.choice(MEALS[meal_type])
            eaten_at = self.at(day, hour, minute + rng.randrange(0, 30, 5))
            item = MealItem(
                *MealItem.key(self.sub, meal_id := stable_ulid(eaten_at, self.sub, "meal")),
                meal_id=meal_id,
                meal_type=meal_type,
                eaten_at=eaten_at,
                name=name,
                items=[_meal_entry(food) for food in foods],
                totals=_totals(foods),
                day=day,
            )
            item.index_keys()
            yield self._stamp(item, eaten_at)

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
        item = MetricItem(
            *MetricItem.key(
                self.sub, metric_id := stable_ulid(recorded_at, self.sub, "metric", kind)
            ),
            metric_id=metric_id,
            metric_type=kind,
            value=value,
            recorded_at=recorded_at,
            day=day,
        )
        item.index_keys()
        return self._stamp(item, recorded_at)

    @staticmethod
    def _stamp(item: TableItem, at: datetime) -> TableItem:
        # Batch writes skip PynamoDB's version handling: start every item at version 1.
        item.version = 1
        item.created_at = at
        item.updated_at = at
        return item


def _meal_entry(food: str) -> MealEntry:
    quantity, unit, kcal, protein, carbs, fat, fiber, sugar, sodium = FOODS[food]
    return MealEntry(
        name=food,
        quantity=quantity,
        unit=unit,
        calories_kcal=kcal,
        protein_g=protein,
        carbs_g=carbs,
        fat_g=fat,
        fiber_g=fiber,
        sugar_g=sugar,
        sodium_mg=sodium,
    )


def _totals(foods: Iterable[str]) -> Nutrition:
    sums = [
        round(sum(values), 1) for values in zip(*(FOODS[food][2:] for food in foods), strict=True)
    ]
    kcal, protein, carbs, fat, fiber, sugar, sodium = sums
    return Nutrition(
        calories_kcal=kcal,
        protein_g=protein,
        carbs_g=carbs,
        fat_g=fat,
        fiber_g=fiber,
        sugar_g=sugar,
        sodium_mg=sodium,
    )
