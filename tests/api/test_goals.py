"""Goals through Flask's test client: lifecycle, validation, ownership, pagination, ETags."""

from __future__ import annotations

import pytest

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk

WALK = {"title": "Walk 30 minutes", "category": "fitness"}


def create_goal(client, **fields):
    response = client.post("/goals", json={**WALK, **fields})
    assert response.status_code == 201, response.json
    return response.json


def test_goal_lifecycle(alice):
    created = alice.post("/goals", json={**WALK, "description": "After lunch"})
    assert created.status_code == 201
    goal = created.json
    assert created.headers["Location"] == f"/goals/{goal['goalId']}"
    assert created.headers["ETag"] == '"1"'
    assert len(goal["goalId"]) == 26
    assert goal["type"] == "habit"
    assert goal["schedule"]["frequency"] == "daily"
    assert goal["status"] == "active"
    assert goal["progress"] == {
        "streakCurrent": 0,
        "streakLongest": 0,
        "lastCheckInDate": None,
        "checkInCount": 0,
    }
    assert goal["createdAt"].endswith("Z")

    fetched = alice.get(f"/goals/{goal['goalId']}")
    assert fetched.status_code == 200
    assert fetched.json == goal
    assert fetched.headers["ETag"] == '"1"'

    patched = alice.patch(f"/goals/{goal['goalId']}", json={"title": "Walk 45 minutes"})
    assert patched.status_code == 200
    assert patched.json["title"] == "Walk 45 minutes"
    assert patched.json["description"] == "After lunch"
    assert patched.headers["ETag"] == '"2"'

    listed = alice.get("/goals")
    assert listed.status_code == 200
    assert [g["goalId"] for g in listed.json["items"]] == [goal["goalId"]]
    assert listed.json["nextCursor"] is None

    deleted = alice.delete(f"/goals/{goal['goalId']}")
    assert deleted.status_code == 204
    assert deleted.data == b""
    assert alice.get(f"/goals/{goal['goalId']}").status_code == 404
    assert alice.get("/goals").json["items"] == []


def test_target_goal_needs_a_target_and_no_schedule(alice):
    missing = alice.post("/goals", json={"title": "Steps", "type": "target"})
    assert missing.status_code == 400
    assert missing.json["details"] == {"target": ["Target goals need a target."]}

    target = {"metric": "steps", "value": 8000, "direction": "atLeast"}
    both = alice.post(
        "/goals",
        json={
            "title": "Steps",
            "type": "target",
            "target": target,
            "schedule": {"frequency": "daily"},
        },
    )
    assert both.status_code == 400
    assert "schedule" in both.json["details"]

    ok = alice.post("/goals", json={"title": "Steps", "type": "target", "target": target})
    assert ok.status_code == 201
    assert ok.json["target"] == {"metric": "steps", "value": 8000, "direction": "atLeast"}
    assert ok.json["schedule"] is None


def test_weekly_habit_defaults_to_once_a_week(alice):
    goal = create_goal(alice, schedule={"frequency": "weekly"})
    assert goal["schedule"]["timesPerWeek"] == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "title"),
        ({"title": ""}, "title"),
        ({"title": "x" * 121}, "title"),
        ({"title": "ok", "description": "x" * 2001}, "description"),
        ({"title": "ok", "category": "gaming"}, "category"),
        ({"title": "ok", "type": "project"}, "type"),
        ({"title": "ok", "status": "done"}, "status"),
        ({"title": "ok", "startDate": "2026-13-01"}, "startDate"),
        ({"title": "ok", "startDate": "2026-11-26", "endDate": "2026-11-25"}, "endDate"),
        ({"title": "ok", "schedule": {"frequency": "hourly"}}, "schedule"),
        ({"title": "ok", "schedule": {"frequency": "daily", "daysOfWeek": ["funday"]}}, "schedule"),
        ({"title": "ok", "schedule": {"frequency": "daily", "timesPerWeek": 2}}, "schedule"),
        ({"title": "ok", "schedule": {"frequency": "weekly", "timesPerWeek": 8}}, "schedule"),
        ({"title": "ok", "schedule": {"frequency": "weekly", "daysOfWeek": ["mon"]}}, "schedule"),
        ({"title": "ok", "goalId": "01J00000000000000000000000"}, "goalId"),
        ({"title": "ok", "progress": {"streakCurrent": 9}}, "progress"),
        ({"title": "ok", "createdAt": "2026-11-26T07:30:00Z"}, "createdAt"),
        ({"title": "ok", "userId": "bob-sub"}, "userId"),
        ({"title": "ok", "version": 7}, "version"),
        ({"title": "ok", "PK": "USER#bob-sub"}, "PK"),
    ],
)
def test_invalid_goal_is_rejected_and_stores_nothing(alice, body, field):
    response = alice.post("/goals", json=body)
    assert response.status_code == 400
    assert response.json["error"] == "Validation Error"
    assert field in response.json["details"]
    assert list(TableItem.query(user_pk("alice-sub"))) == []


def test_patch_rules(alice):
    goal = create_goal(alice, startDate="2026-11-01")
    url = f"/goals/{goal['goalId']}"
    assert alice.patch(url, json={"endDate": "2026-10-01"}).status_code == 400
    assert alice.patch(url, json={"type": "target"}).status_code == 400
    assert alice.patch(url, json={"progress": {}}).status_code == 400
    unchanged = alice.get(url)
    assert unchanged.headers["ETag"] == '"1"'

    cleared = alice.patch(url, json={"endDate": "2026-12-31", "status": "paused"})
    assert cleared.json["endDate"] == "2026-12-31"
    assert cleared.json["status"] == "paused"
    assert alice.patch(url, json={"endDate": None}).json["endDate"] is None


def test_if_match(alice):
    goal = create_goal(alice)
    url = f"/goals/{goal['goalId']}"
    assert alice.patch(url, json={"title": "a"}, headers={"If-Match": '"1"'}).status_code == 200
    stale = alice.patch(url, json={"title": "b"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json["error"] == "Precondition Failed"
    assert alice.get(url).json["title"] == "a"
    assert alice.delete(url, headers={"If-Match": '"1"'}).status_code == 412
    assert alice.delete(url, headers={"If-Match": '"2"'}).status_code == 204


def test_another_user_gets_404_and_never_sees_the_goal(alice, bob):
    goal = create_goal(alice)
    url = f"/goals/{goal['goalId']}"
    assert bob.get(url).status_code == 404
    assert bob.patch(url, json={"title": "mine now"}).status_code == 404
    assert bob.delete(url).status_code == 404
    assert bob.get("/goals").json["items"] == []
    assert alice.get(url).json == goal


def test_filters(alice):
    create_goal(alice, category="sleep")
    create_goal(alice, category="fitness", status="paused")
    sleep = alice.get("/goals?category=sleep").json["items"]
    assert [g["category"] for g in sleep] == ["sleep"]
    paused = alice.get("/goals?status=paused").json["items"]
    assert [g["status"] for g in paused] == ["paused"]
    assert alice.get("/goals?status=nope").status_code == 400


def test_pagination_walks_every_goal_once(alice):
    created = [create_goal(alice, title=f"Goal {i}")["goalId"] for i in range(45)]
    seen, cursor, pages = [], None, 0
    while True:
        response = alice.get(
            "/goals", query_string={"limit": 20, **({"cursor": cursor} if cursor else {})}
        )
        assert response.status_code == 200
        seen += [g["goalId"] for g in response.json["items"]]
        pages += 1
        cursor = response.json["nextCursor"]
        if cursor is None:
            break
    assert pages == 3
    assert seen == list(reversed(created))  # newest first, no gaps, no duplicates


def test_cursors_are_bound_to_caller_and_query(alice, bob):
    for i in range(3):
        create_goal(alice, title=f"Goal {i}")
    cursor = alice.get("/goals?limit=1").json["nextCursor"]
    assert cursor
    assert bob.get("/goals", query_string={"cursor": cursor}).status_code == 400
    assert (
        alice.get("/goals", query_string={"cursor": cursor, "status": "paused"}).status_code == 400
    )
    tampered = cursor[:-2] + ("A" if cursor[-2] != "A" else "B") + cursor[-1]
    assert alice.get("/goals", query_string={"cursor": tampered}).status_code == 400
    assert alice.get("/goals", query_string={"cursor": "garbage"}).status_code == 400
    assert alice.get("/goals", query_string={"cursor": cursor}).status_code == 200


@pytest.mark.parametrize("limit", ["0", "101", "ten"])
def test_limit_bounds(alice, limit):
    response = alice.get("/goals", query_string={"limit": limit})
    assert response.status_code == 400
    assert "limit" in response.json["details"]


def test_dynamodb_requests_per_route(alice, aws_calls):
    goal = create_goal(alice, startDate="2026-11-01")
    aws_calls.reset()
    alice.get(f"/goals/{goal['goalId']}")
    assert aws_calls.dynamodb_requests == 1
    aws_calls.reset()
    alice.get("/goals")
    assert dict(aws_calls.dynamodb) == {"Query": 1}
    aws_calls.reset()
    create_goal(alice, startDate="2026-11-01")
    assert dict(aws_calls.dynamodb) == {"PutItem": 1}
    aws_calls.reset()
    create_goal(alice)  # startDate defaults to today in the profile's timezone
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "PutItem": 1}
