"""The coach through Flask's test client with the rules provider: shapes, validation, the
cache and its refresh limit, DynamoDB requests per call. The gatherer of the days' figures
is stood in for (see conftest); the rules, goals, profile and cache are real."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from lifestyle_api.coach.models import CoachCacheItem, CoachRefreshItem
from lifestyle_api.coach.playbook import PLAYBOOK_MODEL
from lifestyle_api.coach.service import DISCLAIMER
from lifestyle_api.dayset import DaySet
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import coach_refresh_sk, user_pk
from lifestyle_api.goals.models import GoalItem
from lifestyle_api.profile.models import DailyTargets, ProfileItem
from tests.coach.conftest import NOW
from tests.coach.days import day_figures

ALICE = "alice-sub"
BOB = "bob-sub"


def save_profile(sub: str, timezone: str = "UTC", **targets) -> None:
    ProfileItem(
        *ProfileItem.key(sub),
        user_id=sub,
        timezone=timezone,
        daily_targets=DailyTargets(**targets),
    ).save()


def log_alices_week(logged_days) -> None:
    logged_days.set(
        ALICE,
        day_figures("2026-11-23", steps=6000, sleep=400, water=1500),
        day_figures("2026-11-24", steps=4000, sleep=360, water=1000),
        day_figures("2026-11-25", steps=9000, sleep=450, water=2000),
    )


@pytest.fixture
def alice_week(app, clock, logged_days):
    save_profile(ALICE, "Europe/Berlin", steps=8000, sleep_minutes=450, water_ml=2000)
    log_alices_week(logged_days)
    return logged_days


def kinds(body: dict) -> list[str]:
    return [insight["kind"] for insight in body["insights"]]


def test_insights_for_this_week_by_default(alice, alice_week):
    response = alice.post("/coach/insights")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["source"] == "rules"
    assert body["model"] == PLAYBOOK_MODEL
    assert body["generatedAt"] == "2026-11-26T09:30:00Z"
    assert body["disclaimer"] == DISCLAIMER
    assert "not medical advice" in body["disclaimer"]
    assert kinds(body) == ["sleep", "steps", "hydration"]
    steps = body["insights"][1]
    assert steps["evidence"] == {
        "averageSteps": 6333,
        "targetSteps": 8000,
        "daysLogged": 3,
        "daysMet": 1,
        "targetSource": "profile",
        "status": "below",
    }
    # Thursday 10:30 in Berlin: this week began on Monday 2026-11-23.
    assert alice_week.requests == [(ALICE, "week", date(2026, 11, 23))]
    assert response.headers["Cache-Control"] == "no-store"


def test_insights_for_today(alice, alice_week):
    alice_week.set(ALICE, day_figures("2026-11-26", steps=2500, sleep=480))
    response = alice.post("/coach/insights", json={"period": "day"})
    assert response.status_code == 200
    assert kinds(response.json) == ["sleep", "steps"]
    assert response.json["insights"][0]["evidence"]["averageMinutes"] == 480
    assert response.json["insights"][1]["message"].startswith("You have 2,500 steps today")
    assert alice_week.requests == [(ALICE, "day", date(2026, 11, 26))]


def test_the_period_follows_the_profiles_timezone(alice, clock, logged_days):
    # Sunday 2026-11-29 12:00 UTC is already Monday 01:00 in Auckland: a new week there.
    save_profile(ALICE, "Pacific/Auckland")
    clock.now = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
    assert alice.post("/coach/insights", json={"period": "week"}).status_code == 200
    assert alice.post("/coach/insights", json={"period": "day"}).status_code == 200
    assert logged_days.requests == [
        (ALICE, "week", date(2026, 11, 30)),
        (ALICE, "day", date(2026, 11, 30)),
    ]


def test_a_new_user_gets_a_getting_started_answer(alice, clock, logged_days):
    insights = alice.post("/coach/insights", json={})
    assert insights.status_code == 200
    assert kinds(insights.json) == ["getting_started"]
    assert insights.json["insights"][0]["evidence"]["goals"] == 0

    suggestions = alice.post("/coach/goal-suggestions", json={})
    assert suggestions.status_code == 200
    assert len(suggestions.json["suggestions"]) == 3
    assert suggestions.json["source"] == "rules"
    assert suggestions.json["disclaimer"] == DISCLAIMER


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"period": "month"}, "period"),
        ({"period": None}, "period"),
        ({"period": "week", "sub": "bob-sub"}, "sub"),
    ],
)
def test_bad_insight_requests_are_400(alice, alice_week, body, field):
    response = alice.post("/coach/insights", json=body)
    assert response.status_code == 400
    assert response.json["error"] == "Validation Error"
    assert field in response.json["details"]


def test_bad_suggestion_requests_are_400(alice, alice_week):
    response = alice.post("/coach/goal-suggestions", json={"period": "week"})
    assert response.status_code == 400
    assert "period" in response.json["details"]
    refresh = alice.post("/coach/goal-suggestions?refresh=maybe", json={})
    assert refresh.status_code == 400
    assert "refresh" in refresh.json["details"]


@pytest.mark.parametrize("path", ["/coach/insights", "/coach/goal-suggestions"])
def test_the_optional_body_may_be_empty_even_announced_as_json(alice, alice_week, path):
    """What generated clients send when the optional body is left out."""
    without = alice.post(path)
    empty = alice.post(path, data=b"", content_type="application/json")

    assert (without.status_code, empty.status_code) == (200, 200), empty.json
    assert empty.json == without.json


def test_an_empty_insights_body_asks_for_this_week(alice, alice_week):
    empty = alice.post("/coach/insights", data=b"", content_type="application/json")
    week = alice.post("/coach/insights", json={"period": "week"})

    assert empty.status_code == 200
    assert empty.json == week.json


def test_a_body_that_is_not_json_is_415(alice, alice_week):
    response = alice.post("/coach/insights", data="period=day", content_type="text/plain")
    assert response.status_code == 415


def test_coach_routes_need_a_caller(client):
    for path in ("/coach/insights", "/coach/goal-suggestions"):
        response = client.post(path, json={})
        assert response.status_code == 401
        assert response.json["error"] == "Unauthorized"


def test_only_post_is_allowed(alice, alice_week):
    response = alice.get("/coach/insights")
    assert response.status_code == 405
    assert "POST" in response.headers["Allow"]


def test_every_suggestion_is_accepted_by_post_goals_unchanged(alice, alice_week):
    response = alice.post("/coach/goal-suggestions")
    assert response.status_code == 200
    suggestions = response.json["suggestions"]
    assert suggestions
    for suggestion in suggestions:
        assert suggestion["rationale"]
        created = alice.post("/goals", json=suggestion["goal"])
        assert created.status_code == 201, created.json
        for name, value in suggestion["goal"].items():
            assert created.json[name] == value
        assert created.json["status"] == "active"
    listed = alice.get("/goals").json["items"]
    assert sorted(g["title"] for g in listed) == sorted(s["goal"]["title"] for s in suggestions)


def test_suggestions_leave_out_areas_the_users_goals_already_cover(alice, alice_week):
    first = alice.post("/coach/goal-suggestions").json["suggestions"]
    metrics = [s["goal"].get("target", {}).get("metric") for s in first]
    assert "steps" in metrics
    goal = next(s["goal"] for s in first if s["goal"].get("target", {}).get("metric") == "steps")
    assert alice.post("/goals", json=goal).status_code == 201

    again = alice.post("/coach/goal-suggestions?refresh=true").json["suggestions"]
    assert "steps" not in [s["goal"].get("target", {}).get("metric") for s in again]


def test_streaks_come_from_the_users_goals(alice, alice_week):
    created = alice.post("/goals", json={"title": "Meditate", "category": "mindfulness"})
    goal = GoalItem.get(*GoalItem.key(ALICE, created.json["goalId"]))
    goal.check_in_days = DaySet.of(date(2026, 11, day) for day in (23, 24, 25, 26))
    goal.save()

    body = alice.post("/coach/insights").json
    kept = next(i for i in body["insights"] if i["kind"] == "streak_kept")
    assert kept["evidence"]["goalId"] == created.json["goalId"]
    assert kept["evidence"]["streakCurrent"] == 4
    assert "\u201cMeditate\u201d is on a 4-day streak" in kept["message"]


def test_a_repeated_call_is_answered_from_the_cache_in_one_request(alice, alice_week, aws_calls):
    aws_calls.reset()
    first = alice.post("/coach/insights")
    assert first.status_code == 200
    # Profile + cache lookup (1), goals (1), the answer stored (1); the stand-in gatherer
    # makes none here (the real summaries make 3 more: see the end-to-end tests).
    assert aws_calls.dynamodb == {"BatchGetItem": 1, "Query": 1, "PutItem": 1}

    alice_week.set(ALICE, day_figures("2026-11-26", steps=20000))
    aws_calls.reset()
    second = alice.post("/coach/insights")
    assert second.status_code == 200
    assert second.json == first.json
    assert aws_calls.dynamodb == {"BatchGetItem": 1}
    assert len(alice_week.requests) == 1


def test_the_cache_is_per_user_kind_and_period(alice, bob, alice_week):
    alice_week.set(BOB, day_figures("2026-11-24", steps=12000))
    alice_insights = alice.post("/coach/insights").json
    bob_insights = bob.post("/coach/insights").json
    assert bob_insights != alice_insights
    assert bob_insights["insights"][0]["evidence"]["averageSteps"] == 12000
    assert alice.post("/coach/insights").json == alice_insights

    today = alice.post("/coach/insights", json={"period": "day"}).json
    assert today != alice_insights
    suggestions = alice.post("/coach/goal-suggestions").json
    assert "suggestions" in suggestions

    stored = {
        item.sk
        for item in CoachCacheItem.query(user_pk(ALICE), CoachCacheItem.sk.startswith("COACH#"))
    }
    assert stored == {
        "COACH#insights#week#2026-11-23",
        "COACH#insights#day#2026-11-26",
        "COACH#suggestions#week#2026-11-23",
    }


def test_a_rules_answer_is_kept_ten_minutes(alice, alice_week, clock):
    first = alice.post("/coach/insights").json
    item = CoachCacheItem.get(*CoachCacheItem.key(ALICE, "insights", "week", date(2026, 11, 23)))
    assert item.expires_at == datetime(2026, 11, 26, 9, 40, tzinfo=UTC)
    assert item.body == first

    clock.advance(minutes=9)
    assert alice.post("/coach/insights").json == first
    clock.advance(minutes=2)
    alice_week.set(ALICE, day_figures("2026-11-26", steps=10000))
    fresh = alice.post("/coach/insights").json
    assert fresh["generatedAt"] == "2026-11-26T09:41:00Z"
    assert fresh["insights"] != first["insights"]


def test_refresh_bypasses_the_cache(alice, alice_week, clock, aws_calls):
    first = alice.post("/coach/insights").json
    alice_week.set(ALICE, day_figures("2026-11-26", steps=10000))
    clock.advance(minutes=1)

    aws_calls.reset()
    refreshed = alice.post("/coach/insights?refresh=true")
    assert refreshed.status_code == 200
    assert refreshed.json["generatedAt"] == "2026-11-26T09:31:00Z"
    assert refreshed.json["insights"] != first["insights"]
    # The refresh counter (1), the profile (1), goals (1), the answer stored (1).
    assert aws_calls.dynamodb == {"UpdateItem": 1, "GetItem": 1, "Query": 1, "PutItem": 1}
    # ...and the refreshed answer is what the cache now serves.
    assert alice.post("/coach/insights").json == refreshed.json


def test_refresh_is_limited_per_user_and_hour(alice, bob, alice_week, clock):
    for _ in range(5):
        assert alice.post("/coach/insights?refresh=true").status_code == 200
    assert alice.post("/coach/goal-suggestions?refresh=true", json={}).status_code == 429

    clock.advance(minutes=5)  # 09:35: 25 minutes to the next hour
    limited = alice.post("/coach/insights?refresh=true")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "1500"
    assert limited.json["error"] == "Too Many Requests"
    assert "Retry-After" in limited.headers["Access-Control-Expose-Headers"]
    # Without refresh the cached answer is still served, and other users are not limited.
    assert alice.post("/coach/insights").status_code == 200
    assert bob.post("/coach/insights?refresh=true").status_code == 200

    counter = TableItem.get(user_pk(ALICE), coach_refresh_sk(NOW))
    assert isinstance(counter, CoachRefreshItem)
    assert counter.count == 5
    assert counter.expires_at == datetime(2026, 11, 26, 11, 0, tzinfo=UTC)

    clock.now = datetime(2026, 11, 26, 10, 0, 1, tzinfo=UTC)
    assert alice.post("/coach/insights?refresh=true").status_code == 200


def test_the_coach_is_in_the_openapi_document(client):
    document = client.get("/openapi.json").json
    insights = document["paths"]["/coach/insights"]["post"]
    assert set(insights["responses"]) >= {"200", "400", "401", "429"}
    assert insights["requestBody"]["required"] is False
    assert [p["name"] for p in insights["parameters"]] == ["refresh"]
    suggestions = document["paths"]["/coach/goal-suggestions"]["post"]
    assert suggestions["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/GoalSuggestionsResponse"
    }
    schemas = document["components"]["schemas"]
    assert schemas["Insight"]["properties"]["kind"] == {"$ref": "#/components/schemas/InsightKind"}
    assert schemas["InsightKind"]["enum"][0] == "getting_started"
    assert set(schemas["InsightsResponse"]["required"]) == {
        "insights",
        "source",
        "model",
        "generatedAt",
        "disclaimer",
    }
