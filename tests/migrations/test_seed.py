"""The demo seed: idempotent, consistent with the models' rules, and believable."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from lifestyle_api.activities.models import ActivityItem
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.goals.models import CheckInItem, GoalItem
from lifestyle_api.goals.service import attach_progress
from lifestyle_api.meals.models import MealItem
from lifestyle_api.metrics.models import MetricItem
from lifestyle_api.profile.models import ProfileItem
from lifestyle_api.timeutil import local_day
from migrations_scripts import reports
from migrations_scripts.seed import DEMO_SUB, DEMO_TIMEZONE, build, build_demo, seed_demo

NOW = datetime(2026, 11, 26, 9, 15, tzinfo=UTC)
CANONICAL_UNITS = {"weight", "bodyFat", "steps", "sleep", "heartRate", "restingHeartRate", "water"}


def partition() -> list[TableItem]:
    return list(TableItem.query(user_pk(DEMO_SUB), consistent_read=True))


def quiet_seed(**options):
    return seed_demo(DEMO_SUB, report=lambda _line: None, **options)


def test_seeding_twice_gives_the_same_items(table):
    first = quiet_seed(now=NOW, days=6)
    before = {(item.sk, item.version) for item in partition()}

    second = quiet_seed(now=NOW + timedelta(hours=3), days=6)

    assert first.partition_items == second.partition_items == len(before) > 80
    assert {(item.sk, item.version) for item in partition()} == before
    assert second.written["goals"] == 0
    assert second.written["profiles"] == 0


def test_seeding_on_a_later_day_adds_the_new_days_and_keeps_goals_consistent(table):
    first = quiet_seed(now=NOW, days=6)
    later = quiet_seed(now=NOW + timedelta(days=2), days=6)

    assert later.partition_items > first.partition_items
    assert later.written["goals"] > 0  # check-in sets grew with the new days
    assert_goals_match_their_check_ins()


def assert_goals_match_their_check_ins():
    items = partition()
    check_ins: dict[str, set[date]] = {}
    for item in items:
        if isinstance(item, CheckInItem):
            check_ins.setdefault(item.goal_id, set()).add(item.day)
    for goal in (item for item in items if isinstance(item, GoalItem)):
        assert goal.legacy_check_in_dates is None, goal.title
        assert set(goal.checked_in) == check_ins.get(goal.goal_id, set()), goal.title


def test_the_demo_follows_the_models_rules_and_has_live_streaks(table):
    quiet_seed(now=NOW)
    items = partition()
    kinds = Counter(type(item).__name__ for item in items)
    assert kinds["ProfileItem"] == 1
    assert kinds["GoalItem"] == 9
    assert min(kinds["MealItem"], kinds["MetricItem"], kinds["ActivityItem"]) > 28
    assert_goals_match_their_check_ins()

    for item in items:
        assert item.version == 1
        assert item.created_at <= NOW
        if isinstance(item, MealItem | ActivityItem | MetricItem):
            instant = {
                MealItem: "eaten_at",
                ActivityItem: "started_at",
                MetricItem: "recorded_at",
            }[type(item)]
            assert item.day == local_day(getattr(item, instant), DEMO_TIMEZONE)
            expected_keys = (item.lsi1_sk, item.lsi2_sk)
            item.index_keys()
            assert (item.lsi1_sk, item.lsi2_sk) == expected_keys
            assert item.day < local_day(NOW, DEMO_TIMEZONE)  # nothing logged ahead of time
        if isinstance(item, CheckInItem):
            assert item.lsi2_sk == f"DAY#{item.day}#CHECKIN#{item.goal_id}"
        if isinstance(item, MealItem):
            assert item.totals.calories_kcal == round(sum(e.calories_kcal for e in item.items), 1)
            assert item.totals.protein_g == round(sum(e.protein_g for e in item.items), 1)
        if isinstance(item, MetricItem):
            assert item.metric_type in CANONICAL_UNITS
            assert item.value > 0
        if isinstance(item, GoalItem) and item.status == "active":
            assert item.gsi1_pk.startswith("STATUS#ACTIVE#")

    weights = [i.value for i in items if isinstance(i, MetricItem) and i.metric_type == "weight"]
    assert all(70 < kg < 80 for kg in weights)
    profile = ProfileItem.find(DEMO_SUB)
    assert (profile.timezone, profile.daily_targets.steps) == (DEMO_TIMEZONE, 8000)

    goals = {g.title: g for g in items if isinstance(g, GoalItem)}
    attach_progress(list(goals.values()), DEMO_TIMEZONE, now=NOW)
    meditate = goals["Meditate for 10 minutes"].progress
    assert meditate.streak_current >= 12
    assert meditate.last_check_in_date == local_day(NOW, DEMO_TIMEZONE) - timedelta(days=1)
    assert goals["Strength training three times a week"].progress.streak_current >= 2
    assert goals["No screens after 22:00 on work nights"].progress.streak_current >= 5
    assert goals["Run 5 km without stopping"].status == "completed"


def test_the_active_goals_report_reads_the_seeded_goals(table):
    quiet_seed(now=NOW, days=2)
    seed_demo("second-user", now=NOW, days=2, report=lambda _line: None)

    assert reports.goals_by_category("active") == {
        "fitness": 4,
        "mindfulness": 2,
        "sleep": 2,
        "hydration": 2,
        "weight": 2,
        "nutrition": 2,
    }


def test_a_goal_whose_days_disagree_with_its_check_ins_is_brought_in_line(table):
    quiet_seed(now=NOW, days=6)
    meditate = next(g for g in partition() if getattr(g, "title", "") == "Meditate for 10 minutes")
    days = set(meditate.checked_in)
    meditate.check_in_days = None
    meditate.save()

    again = quiet_seed(now=NOW, days=6)

    assert again.written["goals"] == 1
    after = GoalItem.get(meditate.pk, meditate.sk)
    assert set(after.checked_in) == days
    assert after.version == meditate.version + 1
    assert_goals_match_their_check_ins()


SEEDED = "alice-sub"
READ_ONLY = {"goalId", "mealId", "progress", "createdAt", "updatedAt", "totals"}


def as_input(body: dict) -> dict:
    """What a client would send to create the same thing: the answer without its read-only
    fields and without nulls."""
    return {
        key: {k: v for k, v in value.items() if v is not None} if isinstance(value, dict) else value
        for key, value in body.items()
        if key not in READ_ONLY and value is not None
    }


def test_seeded_goals_are_what_the_api_stores_for_the_same_input(alice):
    seed_demo(SEEDED, now=NOW, days=2, report=lambda _line: None)
    seeded = alice.get("/goals?limit=100").get_json()["items"]
    assert len(seeded) == 9

    for goal in seeded:
        created = alice.post("/goals", json=as_input(goal))
        assert created.status_code == 201, created.get_json()
        body = created.get_json()
        for field in ("type", "schedule", "target", "status", "startDate", "endDate"):
            assert body.get(field) == goal.get(field), (goal["title"], field)


def test_seeded_meals_have_the_totals_the_api_computes_for_their_items(alice):
    seed_demo(SEEDED, now=NOW, days=3, report=lambda _line: None)
    seeded = alice.get("/meals?limit=100").get_json()["items"]
    assert len(seeded) >= 9

    for meal in seeded:
        created = alice.post("/meals", json=as_input(meal))
        assert created.status_code == 201, created.get_json()
        assert created.get_json()["totals"] == meal["totals"], meal["name"]


def test_a_demo_goal_the_api_would_refuse_is_refused_by_the_seed(table, monkeypatch):
    steps = next(spec for spec in build.GOALS if spec.slug == "steps")
    bad = replace(steps, schedule={"frequency": "daily"})
    monkeypatch.setattr(build, "GOALS", tuple(bad if s is steps else s for s in build.GOALS))

    with pytest.raises(Exception, match="do not fit together") as refused:
        build_demo(DEMO_SUB, now=NOW, days=2)

    assert refused.value.details == {"schedule": ["Only habit goals have a schedule."]}
    assert partition() == []
