"""The coach over the real summaries: items written with their own models (goals through
`POST /goals`), then the coach's answers and their DynamoDB cost, end to end."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from ulid import ULID

from lifestyle_api.activities.models import ActivityItem
from lifestyle_api.goals.models import CheckInItem, GoalItem
from lifestyle_api.meals.models import MealItem, Nutrition
from lifestyle_api.metrics.models import MetricItem
from lifestyle_api.profile.models import DailyTargets, ProfileItem
from tests.coach.conftest import MODEL_ID
from tests.support.coach import converse_answer

ALICE = "alice-sub"
BERLIN = "Europe/Berlin"  # UTC+1 in November


def at(day: str, hour: int) -> datetime:
    """`hour` o'clock UTC on `day` (an hour later in Berlin, the same local day)."""
    return datetime.fromisoformat(f"{day}T{hour:02d}:00:00+00:00").astimezone(UTC)


def meal(day: str, hour: int, kcal: float, protein: float) -> None:
    item = MealItem(
        *MealItem.key(ALICE, meal_id := str(ULID())),
        meal_id=meal_id,
        meal_type="lunch",
        eaten_at=at(day, hour),
        totals=Nutrition(calories_kcal=kcal, protein_g=protein, carbs_g=100, fat_g=30),
        day=date.fromisoformat(day),
    )
    item.index_keys()
    item.save()


def activity(day: str, minutes: int, kind: str = "walk") -> None:
    item = ActivityItem(
        *ActivityItem.key(ALICE, activity_id := str(ULID())),
        activity_id=activity_id,
        activity_type=kind,
        started_at=at(day, 16),
        duration_minutes=minutes,
        day=date.fromisoformat(day),
    )
    item.index_keys()
    item.save()


def metric(day: str, kind: str, value: float, hour: int = 20) -> None:
    item = MetricItem(
        *MetricItem.key(ALICE, metric_id := str(ULID())),
        metric_id=metric_id,
        metric_type=kind,
        value=value,
        recorded_at=at(day, hour),
        day=date.fromisoformat(day),
    )
    item.index_keys()
    item.save()


def check_in(goal_id: str, day: str) -> None:
    item = CheckInItem(
        *CheckInItem.key(ALICE, goal_id, date.fromisoformat(day)),
        goal_id=goal_id,
        day=date.fromisoformat(day),
    )
    item.index_keys()
    item.save()
    goal = GoalItem.get(*GoalItem.key(ALICE, goal_id))
    goal.check_in_days = goal.checked_in.with_day(date.fromisoformat(day))
    goal.save()


@pytest.fixture
def alices_week(app, alice, clock):
    """Monday to Thursday 2026-11-23..26 in Berlin; "now" is Thursday 10:30 there."""
    ProfileItem(
        *ProfileItem.key(ALICE),
        user_id=ALICE,
        timezone=BERLIN,
        daily_targets=DailyTargets(
            calories_kcal=2000,
            protein_g=90,
            water_ml=2000,
            steps=8000,
            sleep_minutes=450,
            active_minutes=30,
        ),
    ).save()
    meditate = alice.post(
        "/goals", json={"title": "Meditate", "category": "mindfulness", "startDate": "2026-11-01"}
    ).json["goalId"]
    alice.post(
        "/goals",
        json={
            "title": "Walk 8000 steps",
            "category": "fitness",
            "type": "target",
            "target": {"metric": "steps", "value": 8000, "direction": "atLeast"},
            "startDate": "2026-11-01",
        },
    )
    for day in ("2026-11-23", "2026-11-24", "2026-11-25"):
        check_in(meditate, day)

    meal("2026-11-23", 7, 600, 25)
    meal("2026-11-23", 11, 800, 30)
    meal("2026-11-23", 18, 900, 15)
    meal("2026-11-24", 11, 1200, 30)
    meal("2026-11-24", 18, 1300, 30)
    meal("2026-11-25", 12, 2100, 65)
    activity("2026-11-23", 30)
    activity("2026-11-25", 45, "run")
    for day, steps in (
        ("2026-11-23", 2500),
        ("2026-11-23", 3500),
        ("2026-11-24", 4000),
        ("2026-11-25", 9000),
    ):
        metric(day, "steps", steps)
    for day, water in (("2026-11-23", 1500), ("2026-11-24", 1000), ("2026-11-25", 2000)):
        metric(day, "water", water)
    for day, sleep in (
        ("2026-11-23", 400),
        ("2026-11-24", 360),
        ("2026-11-25", 450),
        ("2026-11-26", 420),
    ):
        metric(day, "sleep", sleep, hour=6)  # recorded at the wake time
    metric("2026-11-23", "weight", 80.4, hour=6)
    metric("2026-11-25", "weight", 80.0, hour=6)
    metric("2026-11-26", "weight", 80.1, hour=6)
    metric("2026-11-26", "weight", 79.8, hour=7)  # the day's latest counts
    metric("2026-11-23", "restingHeartRate", 58, hour=6)
    return meditate


def evidence(body: dict) -> dict[str, dict]:
    return {insight["kind"]: insight["evidence"] for insight in body["insights"]}


def test_insights_from_a_logged_week(alice, alices_week, aws_calls):
    aws_calls.reset()
    response = alice.post("/coach/insights")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["source"] == "rules"
    assert [i["kind"] for i in body["insights"]] == [
        "goal_completion",
        "streak_kept",
        "sleep",
        "steps",
        "activity",
        "hydration",
        "calories",
        "macros",
        "weight_trend",
    ]
    found = evidence(body)
    # Due each day: Meditate and the steps target (8); done: Meditate Mon-Wed, steps Wed.
    assert found["goal_completion"] == {
        "due": 8,
        "done": 4,
        "completionPercent": 50,
        "daysCounted": 4,
    }
    assert found["streak_kept"] == {
        "goalId": alices_week,
        "streakCurrent": 3,
        "streakLongest": 3,
        "unit": "day",
        "habitsOnStreak": 1,
    }
    assert found["sleep"]["averageMinutes"] == 408  # (400 + 360 + 450 + 420) / 4
    assert found["steps"]["averageSteps"] == 6333  # (2500 + 3500 + 4000 + 9000) / 3
    assert found["steps"]["daysMet"] == 1
    assert found["activity"]["totalMinutes"] == 75
    assert found["activity"]["sessions"] == 2
    assert found["hydration"]["averageMl"] == 1500
    assert found["calories"] == {
        "averageKcal": 2300,
        "daysLogged": 3,
        "targetKcal": 2000,
        "status": "above",
    }
    assert found["macros"]["averageProteinG"] == 65
    assert found["weight_trend"]["firstKg"] == 80.4
    assert found["weight_trend"]["lastKg"] == 79.8
    # The profile with the cache lookup (1), the summaries (3), the goals (1), the answer (1).
    assert aws_calls.dynamodb_requests == 6
    assert aws_calls.dynamodb["BatchGetItem"] == 1
    assert aws_calls.dynamodb["PutItem"] == 1
    assert "Scan" not in aws_calls.dynamodb

    aws_calls.reset()
    assert alice.post("/coach/insights").json == body
    assert aws_calls.dynamodb == {"BatchGetItem": 1}

    aws_calls.reset()
    assert alice.post("/coach/insights?refresh=true").status_code == 200
    assert aws_calls.dynamodb_requests == 7
    assert aws_calls.dynamodb["UpdateItem"] == 1


def test_insights_for_today_from_the_daily_summary(alice, alices_week):
    body = alice.post("/coach/insights", json={"period": "day"}).json
    found = evidence(body)
    assert found["sleep"]["averageMinutes"] == 420
    assert found["goal_completion"] == {
        "due": 2,
        "done": 0,
        "completionPercent": 0,
        "daysCounted": 1,
    }
    assert "steps" not in found  # nothing walked yet today


def test_suggestions_from_a_logged_week_are_accepted_by_post_goals(alice, alices_week):
    body = alice.post("/coach/goal-suggestions").json
    titles = [s["goal"]["title"] for s in body["suggestions"]]
    # Activity 18.75 / 30, protein 65 / 90, water 1500 / 2000; steps has a goal already.
    assert titles == [
        "Be active 25 minutes a day",
        "Add a protein source to every meal",
        "Drink 2,000 ml of water a day",
    ]
    for suggestion in body["suggestions"]:
        assert alice.post("/goals", json=suggestion["goal"]).status_code == 201


def test_a_user_with_nothing_logged_gets_started(make_client, clock):
    newcomer = make_client("newcomer-sub")
    body = newcomer.post("/coach/insights").json
    assert [i["kind"] for i in body["insights"]] == ["getting_started"]
    suggestions = newcomer.post("/coach/goal-suggestions").json["suggestions"]
    for suggestion in suggestions:
        assert newcomer.post("/goals", json=suggestion["goal"]).status_code == 201


@pytest.mark.parametrize(
    "settings_overrides", [{"COACH_PROVIDER": "bedrock", "BEDROCK_MODEL_ID": MODEL_ID}]
)
def test_the_model_sees_the_summaries_numbers(alice, alices_week, bedrock):
    answer = {
        "insights": [
            {
                "kind": "steps",
                "title": "Steps",
                "message": "Steps averaged 6,333.",
                "evidence": {"averageSteps": 6333},
            }
        ]
    }
    bedrock.answer(converse_answer("record_insights", answer))
    body = alice.post("/coach/insights").json
    assert body["source"] == "bedrock"
    data = bedrock.requests[0]["messages"][0]["content"][1]["text"]
    document = json.loads(data.removeprefix("<user_data>").removesuffix("</user_data>"))
    monday = document["days"][0]
    assert monday["date"] == "2026-11-23"
    assert monday["steps"] == 6000
    assert monday["meals"] == 3
    assert monday["caloriesKcal"] == 2300
    assert [goal["title"] for goal in document["goals"]] == ["Walk 8000 steps", "Meditate"]
