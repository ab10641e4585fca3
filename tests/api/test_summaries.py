"""Daily and weekly summaries through Flask's test client: hand-computed totals of a seeded
day, a week's seven days and averages, defaults from the profile's timezone, validation,
isolation between users, and exactly three DynamoDB requests whatever the history holds.

Activities, meals and metrics are written straight through their models (their routes
live elsewhere); goals and check-ins go through the API.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lifestyle_api.dayset import DaySet
from lifestyle_api.goals.models import GoalItem
from tests.support.daily import (
    activity,
    check_in,
    meal,
    metric,
    save_all,
    set_clock,
    set_profile,
)

ALICE = "alice-sub"
BOB = "bob-sub"
DAY = date(2026, 11, 24)  # a Tuesday; its week starts on Monday 23 Nov
MONDAY = date(2026, 11, 23)


@pytest.fixture(autouse=True)
def clock(app, monkeypatch):
    set_clock(monkeypatch, "2026-11-26T12:00:00Z")


def create_goal(client, title: str, **fields) -> str:
    response = client.post("/goals", json={"title": title, "startDate": "2026-11-01", **fields})
    assert response.status_code == 201, response.json
    return response.json["goalId"]


def target(metric_name: str, value: float, direction: str = "atLeast") -> dict:
    return {
        "type": "target",
        "target": {"metric": metric_name, "value": value, "direction": direction},
    }


def post_check_in(client, goal_id: str, day: date) -> None:
    response = client.post(f"/goals/{goal_id}/check-ins", json={"date": day.isoformat()})
    assert response.status_code == 201, response.json


def seed_day(sub: str, day: date) -> None:
    """Berlin is UTC+1 in November: local 07:00 is 06:00Z."""
    d = day.isoformat()
    save_all(
        [
            meal(
                sub,
                day,
                f"{d}T06:30:00Z",
                meal_type="breakfast",
                calories_kcal=450,
                protein_g=20,
                carbs_g=60,
                fat_g=15,
                fiber_g=8,
            ),
            meal(
                sub,
                day,
                f"{d}T11:30:00Z",
                calories_kcal=720.5,
                protein_g=35.25,
                carbs_g=80,
                fat_g=25.5,
                sodium_mg=900,
            ),
            meal(
                sub,
                day,
                f"{d}T15:00:00Z",
                meal_type="snack",
                calories_kcal=180,
                protein_g=4,
                carbs_g=22.3,
                fat_g=9.1,
                sugar_g=12,
            ),
            activity(
                sub,
                day,
                f"{d}T06:00:00Z",
                duration_minutes=30,
                calories_kcal=310,
                activity_type="run",
            ),
            activity(sub, day, f"{d}T17:00:00Z", duration_minutes=45, activity_type="yoga"),
            activity(sub, day, f"{d}T19:00:00Z", duration_minutes=20.5, calories_kcal=80.25),
            metric(sub, day, f"{d}T12:00:00Z", "steps", 4200),
            metric(sub, day, f"{d}T20:00:00Z", "steps", 5100),
            metric(sub, day, f"{d}T08:00:00Z", "water", 500),
            metric(sub, day, f"{d}T12:00:00Z", "water", 750),
            metric(sub, day, f"{d}T16:00:00Z", "water", 250),
            metric(sub, day, f"{d}T05:30:00Z", "sleep", 420),
            # The evening weight is written first: "latest" is by recordedAt, not by order.
            metric(sub, day, f"{d}T20:00:00Z", "weight", 72.1),
            metric(sub, day, f"{d}T06:00:00Z", "weight", 72.4),
            metric(sub, day, f"{d}T06:00:00Z", "restingHeartRate", 58),
            metric(sub, day, f"{d}T17:10:00Z", "heartRate", 152),
            metric(sub, day, f"{d}T06:00:00Z", "bodyFat", 18.5),
        ]
    )


def seed_neighbours(sub: str, day: date) -> None:
    """Big numbers on the days around `day` (and the edges of their local days)."""
    before, after = day - timedelta(days=1), day + timedelta(days=1)
    save_all(
        [
            meal(sub, before, f"{before}T22:59:00Z", calories_kcal=999),  # 23:59 local
            metric(sub, before, f"{before}T22:00:00Z", "steps", 99999),
            meal(sub, after, f"{after}T00:30:00Z", calories_kcal=999),
            metric(sub, after, f"{after}T05:00:00Z", "weight", 99),
            activity(sub, after, f"{after}T07:00:00Z", duration_minutes=600),
        ]
    )


EXPECTED_DAY = {
    "date": "2026-11-24",
    "timezone": "Europe/Berlin",
    "nutrition": {
        "totals": {
            "caloriesKcal": 1350.5,
            "proteinG": 59.25,
            "carbsG": 162.3,
            "fatG": 49.6,
            "fiberG": 8,
            "sugarG": 12,
            "sodiumMg": 900,
        },
        "targets": {"caloriesKcal": 2000, "proteinG": 120, "carbsG": None, "fatG": None},
        "mealCount": 3,
    },
    "activity": {"activeMinutes": 95.5, "caloriesKcal": 390.25, "sessions": 3},
    "metrics": {
        "steps": 9300,
        "waterMl": 1500,
        "sleepMinutes": 420,
        "weightKg": 72.1,
        "restingHeartRate": 58,
    },
}


def test_a_seeded_day_adds_up(alice, bob):
    set_profile(ALICE, "Europe/Berlin", calories_kcal=2000, protein_g=120, steps=10000)
    seed_day(ALICE, DAY)
    seed_neighbours(ALICE, DAY)
    seed_day(BOB, DAY)

    meditate = create_goal(alice, "Meditate")
    stretch = create_goal(alice, "Stretch")
    create_goal(alice, "Gym", schedule={"frequency": "daily", "daysOfWeek": ["mon", "wed"]})
    swim = create_goal(alice, "Swim", schedule={"frequency": "weekly", "timesPerWeek": 2})
    read = create_goal(alice, "Read", schedule={"frequency": "weekly", "timesPerWeek": 1})
    steps = create_goal(alice, "Walk 8k", **target("steps", 8000))
    calories = create_goal(alice, "Eat lighter", **target("caloriesKcal", 1200, "atMost"))
    water = create_goal(alice, "Drink 2 l", **target("waterMl", 2000))
    create_goal(alice, "Lose weight", **target("weightKg", 70, "atMost"))
    create_goal(alice, "Paused", status="paused")
    create_goal(alice, "Not started", startDate="2026-11-25")
    create_goal(alice, "Ended", startDate="2026-11-01", endDate="2026-11-23")
    move = create_goal(alice, "Move 90 min", **target("activeMinutes", 90))
    sleep = create_goal(alice, "Sleep 8 h", **target("sleepMinutes", 480))

    post_check_in(alice, meditate, DAY)
    post_check_in(alice, meditate, DAY + timedelta(days=1))
    post_check_in(alice, swim, MONDAY)  # 1 of 2 before Tuesday: still due
    post_check_in(alice, read, MONDAY)  # 1 of 1 before Tuesday: not due

    response = alice.get("/summaries/daily", query_string={"date": "2026-11-24"})
    assert response.status_code == 200
    body = response.json
    assert {key: body[key] for key in EXPECTED_DAY} == EXPECTED_DAY
    assert body["goals"] == {
        "due": 8,
        "done": 3,
        "items": [
            {"goalId": meditate, "title": "Meditate", "done": True},
            {"goalId": stretch, "title": "Stretch", "done": False},
            {"goalId": swim, "title": "Swim", "done": False},
            {"goalId": steps, "title": "Walk 8k", "done": True},  # 9300 ≥ 8000
            {"goalId": calories, "title": "Eat lighter", "done": False},  # 1350.5 > 1200
            {"goalId": water, "title": "Drink 2 l", "done": False},  # 1500 < 2000
            {"goalId": move, "title": "Move 90 min", "done": True},  # 95.5 ≥ 90
            {"goalId": sleep, "title": "Sleep 8 h", "done": False},  # 420 < 480
        ],
    }
    assert set(body) == {"date", "timezone", "nutrition", "activity", "metrics", "goals"}

    # Bob logged the same day but has no goals and no profile: UTC, no targets.
    theirs = bob.get("/summaries/daily", query_string={"date": "2026-11-24"}).json
    assert theirs["timezone"] == "UTC"
    assert theirs["nutrition"]["targets"] == dict.fromkeys(
        ("caloriesKcal", "proteinG", "carbsG", "fatG")
    )
    assert theirs["metrics"] == EXPECTED_DAY["metrics"]
    assert theirs["goals"] == {"due": 0, "done": 0, "items": []}


def test_a_day_with_no_data_is_zeros(alice):
    response = alice.get("/summaries/daily", query_string={"date": "2020-02-29"})
    assert response.status_code == 200
    body = response.json
    assert body["date"] == "2020-02-29"
    assert body["nutrition"]["totals"]["caloriesKcal"] == 0
    assert body["nutrition"]["mealCount"] == 0
    assert body["activity"] == {"activeMinutes": 0, "caloriesKcal": 0, "sessions": 0}
    assert body["metrics"] == {
        "steps": 0,
        "waterMl": 0,
        "sleepMinutes": 0,
        "weightKg": None,
        "restingHeartRate": None,
    }
    assert body["goals"] == {"due": 0, "done": 0, "items": []}


def test_a_week_has_seven_days_and_averages(alice):
    set_profile(ALICE, "Europe/Berlin", calories_kcal=2000)
    swim = create_goal(alice, "Swim", schedule={"frequency": "weekly", "timesPerWeek": 2})
    post_check_in(alice, swim, MONDAY)
    post_check_in(alice, swim, MONDAY + timedelta(days=2))
    tue, thu, sun = (MONDAY + timedelta(days=n) for n in (1, 3, 6))
    save_all(
        [
            meal(ALICE, MONDAY, "2026-11-23T12:00:00Z", calories_kcal=1400, protein_g=70),
            metric(ALICE, MONDAY, "2026-11-23T20:00:00Z", "steps", 7000),
            metric(ALICE, MONDAY, "2026-11-23T06:00:00Z", "weight", 72.4),
            metric(ALICE, MONDAY, "2026-11-23T09:00:00Z", "water", 1000),
            meal(ALICE, tue, "2026-11-24T12:00:00Z", calories_kcal=2100),
            metric(ALICE, tue, "2026-11-24T20:00:00Z", "steps", 9300),
            metric(ALICE, tue, "2026-11-24T06:00:00Z", "restingHeartRate", 58),
            activity(ALICE, thu, "2026-11-26T17:00:00Z", duration_minutes=60, calories_kcal=500),
            metric(ALICE, thu, "2026-11-26T06:00:00Z", "weight", 72.0),
            metric(ALICE, thu, "2026-11-26T06:00:00Z", "restingHeartRate", 62),
            metric(ALICE, sun, "2026-11-29T20:00:00Z", "steps", 7700),
            metric(ALICE, sun, "2026-11-29T06:00:00Z", "sleep", 450),
            # Just outside the week, on both sides (Berlin local days).
            metric(ALICE, date(2026, 11, 22), "2026-11-22T22:59:00Z", "steps", 50000),
            metric(ALICE, date(2026, 11, 30), "2026-11-29T23:00:00Z", "steps", 50000),
        ]
    )

    response = alice.get("/summaries/weekly", query_string={"weekStart": "2026-11-23"})
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"weekStart", "days", "averages"}
    assert body["weekStart"] == "2026-11-23"
    days = body["days"]
    assert [day["date"] for day in days] == [
        (MONDAY + timedelta(days=n)).isoformat() for n in range(7)
    ]
    assert [day["metrics"]["steps"] for day in days] == [7000, 9300, 0, 0, 0, 0, 7700]
    assert [day["nutrition"]["totals"]["caloriesKcal"] for day in days] == [
        1400,
        2100,
        0,
        0,
        0,
        0,
        0,
    ]
    assert [day["metrics"]["weightKg"] for day in days] == [72.4, None, None, 72, None, None, None]
    assert [(day["goals"]["due"], day["goals"]["done"]) for day in days] == [
        (1, 1),
        (1, 0),
        (1, 1),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
    ]
    assert days[1] == alice.get("/summaries/daily", query_string={"date": "2026-11-24"}).json
    assert body["averages"] == {
        "nutrition": {
            "totals": {
                "caloriesKcal": 500,  # 3500 / 7
                "proteinG": 10,  # 70 / 7
                "carbsG": 0,
                "fatG": 0,
                "fiberG": 0,
                "sugarG": 0,
                "sodiumMg": 0,
            },
            "mealCount": 0.29,  # 2 / 7
        },
        "activity": {"activeMinutes": 8.57, "caloriesKcal": 71.43, "sessions": 0.14},
        "metrics": {
            "steps": 3428.57,  # 24000 / 7
            "waterMl": 142.86,  # 1000 / 7
            "sleepMinutes": 64.29,  # 450 / 7
            "weightKg": 72.2,  # (72.4 + 72.0) / 2 days that have one
            "restingHeartRate": 60,  # (58 + 62) / 2
        },
    }


def test_defaults_are_today_and_this_week_in_the_profile_timezone(alice, monkeypatch):
    # 23:30Z on Sunday 29 Nov is already Monday 30 Nov in Berlin: a new ISO week.
    set_clock(monkeypatch, "2026-11-29T23:30:00Z")
    set_profile(ALICE, "Europe/Berlin")
    assert alice.get("/summaries/daily").json["date"] == "2026-11-30"
    weekly = alice.get("/summaries/weekly").json
    assert weekly["weekStart"] == "2026-11-30"
    assert weekly["days"][0]["date"] == "2026-11-30"
    set_profile(ALICE, "America/New_York")  # still Sunday there
    assert alice.get("/summaries/daily").json["date"] == "2026-11-29"
    assert alice.get("/summaries/weekly").json["weekStart"] == "2026-11-23"


@pytest.mark.parametrize(
    ("path", "query", "field"),
    [
        ("/summaries/weekly", {"weekStart": "2026-11-24"}, "weekStart"),  # a Tuesday
        ("/summaries/weekly", {"weekStart": "2026-11-29"}, "weekStart"),  # a Sunday
        ("/summaries/weekly", {"weekStart": "23/11/2026"}, "weekStart"),
        ("/summaries/daily", {"date": "2026-11-31"}, "date"),
        ("/summaries/daily", {"date": "today"}, "date"),
    ],
)
def test_bad_arguments_are_400(alice, path, query, field):
    response = alice.get(path, query_string=query)
    assert response.status_code == 400
    assert field in response.json["details"]


def test_summaries_need_a_caller(client):
    assert client.get("/summaries/daily").status_code == 401
    assert client.get("/summaries/weekly").status_code == 401


def seed_history(sub: str, goal_ids: list[str], count: int) -> None:
    """`count` day-index items over the year up to DAY, the day itself included."""
    kinds = (
        lambda day, n: meal(sub, day, f"{day}T12:00:00Z", calories_kcal=n),
        lambda day, n: activity(sub, day, f"{day}T07:00:00Z", duration_minutes=30),
        lambda day, n: metric(sub, day, f"{day}T20:00:00Z", "steps", n),
        lambda day, n: metric(sub, day, f"{day}T06:00:00Z", "weight", 70 + n % 5),
    )
    items = []
    for n in range(count):
        day = DAY - timedelta(days=n % 365)
        if n % 5 == 4:
            items.append(check_in(sub, goal_ids[n % len(goal_ids)], day))
        else:
            items.append(kinds[n % 4](day, n))
    save_all(items)


@pytest.mark.parametrize("history", [10, 2000])
def test_exactly_three_requests_whatever_the_history(alice, aws_calls, history):
    set_profile(ALICE, "Europe/Berlin", steps=10000)
    goal_ids = [create_goal(alice, f"Habit {n}") for n in range(3)]
    seed_history(ALICE, goal_ids, history)

    aws_calls.reset()
    daily = alice.get("/summaries/daily", query_string={"date": DAY.isoformat()})
    assert daily.status_code == 200
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "Query": 2}
    assert daily.json["nutrition"]["mealCount"] >= 1

    aws_calls.reset()
    weekly = alice.get("/summaries/weekly", query_string={"weekStart": MONDAY.isoformat()})
    assert weekly.status_code == 200
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "Query": 2}

    aws_calls.reset()
    alice.get("/summaries/daily")  # default day: the profile is read first, then the day
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "Query": 2}


def test_many_goals_still_three_requests(alice, aws_calls):
    goals = []
    for n in range(300):
        goal = GoalItem(
            *GoalItem.key(ALICE, goal_id := f"01KB{n:022d}"),
            goal_id=goal_id,
            title=f"Goal {n}",
            category="other",
            goal_type="habit",
            status="active" if n % 3 else "archived",
            start_date=date(2026, 1, 1),
            check_in_days=DaySet.of(date(2026, 1, 1) + timedelta(days=d) for d in range(300)),
        )
        goals.append(goal)
    save_all(goals)

    aws_calls.reset()
    body = alice.get("/summaries/daily", query_string={"date": DAY.isoformat()}).json
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "Query": 2}
    assert body["goals"]["due"] == 200  # the 200 active ones; archived goals are not due


def test_a_day_beyond_one_query_page_is_still_read_in_full(alice, aws_calls):
    # ~1.2 MB of activities on one day: DynamoDB answers a Query with at most 1 MB, so the
    # summary follows the page (one more request) rather than answering wrong sums.
    activities = []
    for _ in range(1100):
        item = activity(ALICE, DAY, f"{DAY}T07:00:00Z", duration_minutes=1, calories_kcal=2)
        item.notes = "x" * 1000
        activities.append(item)
    save_all(activities)

    aws_calls.reset()
    body = alice.get("/summaries/daily", query_string={"date": DAY.isoformat()}).json
    assert body["activity"] == {"activeMinutes": 1100, "caloriesKcal": 2200, "sessions": 1100}
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "Query": 3}


def test_openapi_documents_the_summaries(client):
    spec = client.get("/openapi.json").json
    daily = spec["paths"]["/summaries/daily"]["get"]
    weekly = spec["paths"]["/summaries/weekly"]["get"]
    assert [p["name"] for p in daily["parameters"]] == ["date"]
    assert [p["name"] for p in weekly["parameters"]] == ["weekStart"]
    schemas = spec["components"]["schemas"]
    assert set(schemas["DailySummary"]["properties"]) == {
        "date",
        "timezone",
        "nutrition",
        "activity",
        "metrics",
        "goals",
    }
    assert set(schemas["WeeklySummary"]["properties"]) == {"weekStart", "days", "averages"}
