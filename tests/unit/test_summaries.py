"""The pure summary builders (API.md "Summaries"): sums, latest values, due and done,
weekly averages, on plain values without DynamoDB."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from lifestyle_api.dayset import DaySet
from lifestyle_api.summaries.service import (
    ActivityRecord,
    DayLog,
    GoalFacts,
    MetricRecord,
    UserFacts,
    amount,
    build_daily_summary,
    build_weekly_summary,
    day_metrics,
    is_done,
    is_due,
    nutrition_totals,
)
from tests.support.daily import instant

TUE = date(2026, 11, 24)  # ISO week from Monday 23 Nov
BERLIN = UserFacts(timezone="Europe/Berlin", daily_targets={"calories_kcal": 2000})


def habit(**fields) -> GoalFacts:
    return GoalFacts(
        **{
            "goal_id": "G",
            "title": "Habit",
            "goal_type": "habit",
            "status": "active",
            "start_date": date(2026, 11, 1),
            **fields,
        }
    )


def target(metric: str, value: float, direction: str = "atLeast", **fields) -> GoalFacts:
    return habit(
        goal_type="target", target_metric=metric, target_value=value, direction=direction, **fields
    )


def at(text: str) -> datetime:
    return instant(text)


DUE_CASES = [
    ("daily habit, every day", habit(), True),
    ("daily habit on one of its days", habit(days_of_week=("mon", "tue")), True),
    ("daily habit off its days", habit(days_of_week=("mon", "wed")), False),
    ("paused", habit(status="paused"), False),
    ("archived", habit(status="archived"), False),
    ("starts that day", habit(start_date=TUE), True),
    ("starts the next day", habit(start_date=TUE + timedelta(days=1)), False),
    ("ends that day", habit(end_date=TUE), True),
    ("ended the day before", habit(end_date=TUE - timedelta(days=1)), False),
    (
        "weekly, quota not met before the day",
        habit(frequency="weekly", times_per_week=2, check_ins=DaySet.of({date(2026, 11, 23)})),
        True,
    ),
    (
        "weekly, quota met before the day",
        habit(frequency="weekly", times_per_week=1, check_ins=DaySet.of({date(2026, 11, 23)})),
        False,
    ),
    (
        "weekly, the day's own check-in keeps it due",
        habit(frequency="weekly", times_per_week=1, check_ins=DaySet.of({TUE})),
        True,
    ),
    (
        "weekly, last week's check-ins do not count",
        habit(frequency="weekly", times_per_week=1, check_ins=DaySet.of({date(2026, 11, 22)})),
        True,
    ),
    ("steps target", target("steps", 8000), True),
    ("water target", target("waterMl", 2000), True),
    ("sleep target", target("sleepMinutes", 420), True),
    ("calories target", target("caloriesKcal", 1800, "atMost"), True),
    ("active minutes target", target("activeMinutes", 30), True),
    ("weight target is not daily", target("weightKg", 70, "atMost"), False),
]


@pytest.mark.parametrize(
    ("goal", "due"), [case[1:] for case in DUE_CASES], ids=[case[0] for case in DUE_CASES]
)
def test_is_due(goal, due):
    assert is_due(goal, TUE) is due


DONE_CASES = [
    ("at least, above", target("steps", 8000), {"steps": 9000}, True),
    ("at least, equal", target("steps", 8000), {"steps": 8000}, True),
    ("at least, below", target("steps", 8000), {"steps": 7999}, False),
    ("at most, below", target("caloriesKcal", 1800, "atMost"), {"caloriesKcal": 1700.5}, True),
    ("at most, equal", target("caloriesKcal", 1800, "atMost"), {"caloriesKcal": 1800}, True),
    ("at most, above", target("caloriesKcal", 1800, "atMost"), {"caloriesKcal": 1800.01}, False),
    (
        "at most, nothing logged is zero",
        target("caloriesKcal", 1800, "atMost"),
        {"caloriesKcal": 0},
        True,
    ),
]


@pytest.mark.parametrize(
    ("goal", "values", "done"),
    [case[1:] for case in DONE_CASES],
    ids=[case[0] for case in DONE_CASES],
)
def test_target_done(goal, values, done):
    assert is_done(goal, DayLog(), values) is done


def test_habit_done_is_a_check_in_that_day():
    assert is_done(habit(goal_id="A"), DayLog(checked_in={"A"}), {}) is True
    assert is_done(habit(goal_id="A"), DayLog(checked_in={"B"}), {}) is False


def test_day_metrics_sum_and_take_the_latest():
    metrics = [
        MetricRecord("steps", 4200, at("2026-11-24T09:00:00Z")),
        MetricRecord("steps", 5100, at("2026-11-24T18:00:00Z")),
        MetricRecord("water", 250.5, at("2026-11-24T10:00:00Z")),
        MetricRecord("water", 500, at("2026-11-24T12:00:00Z")),
        MetricRecord("sleep", 420, at("2026-11-24T05:30:00Z")),
        # The later weight listed first: latest is by recordedAt, not by order.
        MetricRecord("weight", 72.1, at("2026-11-24T20:00:00Z")),
        MetricRecord("weight", 72.4, at("2026-11-24T06:00:00Z")),
        MetricRecord("heartRate", 130, at("2026-11-24T18:30:00Z")),
        MetricRecord("bodyFat", 18.5, at("2026-11-24T06:00:00Z")),
    ]
    assert day_metrics(metrics) == {
        "steps": 9300,
        "water_ml": 750.5,
        "sleep_minutes": 420,
        "weight_kg": 72.1,
        "resting_heart_rate": None,
    }


def test_nutrition_totals_treat_missing_nutrients_as_zero():
    totals = nutrition_totals(
        [
            {"calories_kcal": 450, "protein_g": 20.1, "carbs_g": 60, "fat_g": 15, "fiber_g": 8},
            {"calories_kcal": 720.5, "protein_g": 35.2, "carbs_g": 80, "fat_g": 25.5},
            {},
        ]
    )
    assert totals == {
        "calories_kcal": 1170.5,
        "protein_g": 55.3,  # not 55.300000000000004
        "carbs_g": 140,
        "fat_g": 40.5,
        "fiber_g": 8,
        "sugar_g": 0,
        "sodium_mg": 0,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [(8000, 8000), (8000.0, 8000), (0.1 + 0.2, 0.3), (1 / 3, 0.33), (2 / 3, 0.67), (0, 0)],
)
def test_amount(value, expected):
    assert amount(value) == expected
    assert type(amount(value)) is type(expected)


def test_an_empty_day_is_zeros_and_nulls():
    summary = build_daily_summary(TUE, BERLIN, [], DayLog())
    assert summary == {
        "date": TUE,
        "timezone": "Europe/Berlin",
        "nutrition": {
            "totals": dict.fromkeys(
                (
                    "calories_kcal",
                    "protein_g",
                    "carbs_g",
                    "fat_g",
                    "fiber_g",
                    "sugar_g",
                    "sodium_mg",
                ),
                0,
            ),
            "targets": {"calories_kcal": 2000, "protein_g": None, "carbs_g": None, "fat_g": None},
            "meal_count": 0,
        },
        "activity": {"active_minutes": 0, "calories_kcal": 0, "sessions": 0},
        "metrics": {
            "steps": 0,
            "water_ml": 0,
            "sleep_minutes": 0,
            "weight_kg": None,
            "resting_heart_rate": None,
        },
        "goals": {"due": 0, "done": 0, "items": []},
    }


def test_daily_goal_items_list_the_due_goals_in_order():
    goals = [
        habit(goal_id="A", title="Meditate"),
        habit(goal_id="B", title="Gym", days_of_week=("mon",)),
        target("activeMinutes", 30, goal_id="C", title="Move"),
        target("caloriesKcal", 1800, "atMost", goal_id="D", title="Eat less"),
    ]
    log = DayLog(
        activities=[ActivityRecord(20, 100), ActivityRecord(15.5, 0)],
        meals=[{"calories_kcal": 1900}],
        checked_in={"A", "B"},
    )
    summary = build_daily_summary(TUE, BERLIN, goals, log)
    assert summary["activity"] == {"active_minutes": 35.5, "calories_kcal": 100, "sessions": 2}
    assert summary["goals"] == {
        "due": 3,
        "done": 2,
        "items": [
            {"goal_id": "A", "title": "Meditate", "done": True},
            {"goal_id": "C", "title": "Move", "done": True},
            {"goal_id": "D", "title": "Eat less", "done": False},
        ],
    }


def test_weekly_summary_has_seven_days_and_averages():
    monday = date(2026, 11, 23)
    logs = {
        monday: DayLog(
            meals=[{"calories_kcal": 1400, "protein_g": 70}],
            metrics=[
                MetricRecord("steps", 7000, at("2026-11-23T18:00:00Z")),
                MetricRecord("weight", 72.4, at("2026-11-23T06:00:00Z")),
            ],
        ),
        monday + timedelta(days=3): DayLog(
            activities=[ActivityRecord(60, 500)],
            metrics=[
                MetricRecord("weight", 72.1, at("2026-11-26T06:00:00Z")),
                MetricRecord("restingHeartRate", 61, at("2026-11-26T06:00:00Z")),
            ],
        ),
    }
    weekly = build_weekly_summary(monday, BERLIN, [], logs)
    assert weekly["week_start"] == monday
    assert [day["date"] for day in weekly["days"]] == [
        monday + timedelta(days=offset) for offset in range(7)
    ]
    averages = weekly["averages"]
    assert averages["nutrition"]["totals"]["calories_kcal"] == 200  # 1400 / 7
    assert averages["nutrition"]["totals"]["protein_g"] == 10
    assert averages["nutrition"]["meal_count"] == 0.14  # 1 / 7
    assert averages["activity"] == {
        "active_minutes": 8.57,
        "calories_kcal": 71.43,
        "sessions": 0.14,
    }
    assert averages["metrics"] == {
        "steps": 1000,
        "water_ml": 0,
        "sleep_minutes": 0,
        "weight_kg": 72.25,  # the mean of the two days that have one
        "resting_heart_rate": 61,  # one day has one
    }


def test_weekly_habit_is_due_until_its_quota_is_met():
    monday = date(2026, 11, 23)
    swim = habit(
        goal_id="S",
        title="Swim",
        frequency="weekly",
        times_per_week=2,
        check_ins=DaySet.of({monday, monday + timedelta(days=2)}),
    )
    logs = {day: DayLog(checked_in={"S"}) for day in swim.check_ins}
    weekly = build_weekly_summary(monday, BERLIN, [swim], logs)
    assert [(day["goals"]["due"], day["goals"]["done"]) for day in weekly["days"]] == [
        (1, 1),  # Monday: 0 of 2 before, checked in
        (1, 0),  # Tuesday: 1 of 2 before
        (1, 1),  # Wednesday: 1 of 2 before, checked in (meets the quota)
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
    ]
