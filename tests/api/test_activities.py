"""Activities through Flask's test client: lifecycle, validation, goal ownership, local
days, list filters and pagination, ETags, ownership 404s and DynamoDB requests per route."""

from __future__ import annotations

import pytest

from lifestyle_api.activities.models import ActivityItem
from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from tests.support.logging_data import set_profile, stored, walk_pages

ALICE = "alice-sub"
RUN = {"type": "run", "startedAt": "2026-11-26T07:30:00+01:00", "durationMinutes": 30}


def create_activity(client, **fields):
    response = client.post("/activities", json={**RUN, **fields})
    assert response.status_code == 201, response.json
    return response.json


def create_goal(client) -> str:
    response = client.post("/goals", json={"title": "Run", "startDate": "2026-11-01"})
    assert response.status_code == 201, response.json
    return response.json["goalId"]


def test_activity_lifecycle(alice):
    created = alice.post(
        "/activities",
        json={
            **RUN,
            "distanceM": 5200.5,
            "caloriesKcal": 320,
            "intensity": "moderate",
            "notes": "Along the river",
        },
    )
    assert created.status_code == 201
    activity = created.json
    assert created.headers["Location"] == f"/activities/{activity['activityId']}"
    assert created.headers["ETag"] == '"1"'
    assert len(activity["activityId"]) == 26
    assert activity == {
        "activityId": activity["activityId"],
        "type": "run",
        "startedAt": "2026-11-26T06:30:00Z",
        "durationMinutes": 30,
        "distanceM": 5200.5,
        "caloriesKcal": 320,
        "intensity": "moderate",
        "notes": "Along the river",
        "goalId": None,
        "createdAt": activity["createdAt"],
        "updatedAt": activity["updatedAt"],
    }
    assert activity["createdAt"].endswith("Z")

    url = f"/activities/{activity['activityId']}"
    fetched = alice.get(url)
    assert fetched.status_code == 200
    assert fetched.json == activity
    assert fetched.headers["ETag"] == '"1"'

    patched = alice.patch(url, json={"durationMinutes": 45, "notes": None})
    assert patched.status_code == 200
    assert patched.headers["ETag"] == '"2"'
    assert patched.json["durationMinutes"] == 45
    assert patched.json["notes"] is None
    assert patched.json["distanceM"] == 5200.5
    assert alice.get(url).json == patched.json

    listed = alice.get("/activities")
    assert listed.json == {"items": [patched.json], "nextCursor": None}

    deleted = alice.delete(url)
    assert deleted.status_code == 204
    assert deleted.data == b""
    assert alice.get(url).status_code == 404
    assert alice.delete(url).status_code == 404
    assert stored(ALICE, ActivityItem) == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"startedAt": RUN["startedAt"], "durationMinutes": 30}, "type"),
        ({**RUN, "type": "dance"}, "type"),
        ({"type": "run", "durationMinutes": 30}, "startedAt"),
        ({**RUN, "startedAt": "2026-11-26T07:30:00"}, "startedAt"),
        ({**RUN, "startedAt": "yesterday"}, "startedAt"),
        ({"type": "run", "startedAt": RUN["startedAt"]}, "durationMinutes"),
        ({**RUN, "durationMinutes": 0}, "durationMinutes"),
        ({**RUN, "durationMinutes": 1441}, "durationMinutes"),
        ({**RUN, "durationMinutes": 12.5}, "durationMinutes"),
        ({**RUN, "distanceM": -1}, "distanceM"),
        ({**RUN, "caloriesKcal": -5}, "caloriesKcal"),
        ({**RUN, "caloriesKcal": "NaN"}, "caloriesKcal"),
        ({**RUN, "intensity": "extreme"}, "intensity"),
        ({**RUN, "notes": "x" * 2001}, "notes"),
        ({**RUN, "goalId": "not-a-goal"}, "goalId"),
        ({**RUN, "activityId": "01J00000000000000000000000"}, "activityId"),
        ({**RUN, "createdAt": "2026-11-26T07:30:00Z"}, "createdAt"),
        ({**RUN, "updatedAt": "2026-11-26T07:30:00Z"}, "updatedAt"),
        ({**RUN, "day": "2026-11-26"}, "day"),
        ({**RUN, "userId": "bob-sub"}, "userId"),
    ],
)
def test_invalid_activity_is_rejected_and_stores_nothing(alice, body, field):
    response = alice.post("/activities", json=body)
    assert response.status_code == 400
    assert response.json["error"] == "Validation Error"
    assert field in response.json["details"]
    assert list(TableItem.query(user_pk(ALICE))) == []


def test_boundaries_are_accepted(alice):
    assert create_activity(alice, durationMinutes=1)["durationMinutes"] == 1
    assert create_activity(alice, durationMinutes=1440, distanceM=0)["distanceM"] == 0


def test_goal_id_must_be_one_of_the_callers_goals(alice, bob):
    missing = alice.post("/activities", json={**RUN, "goalId": "01J00000000000000000000000"})
    assert missing.status_code == 400
    assert missing.json["details"] == {"goalId": ["No goal with this id."]}

    bobs_goal = create_goal(bob)
    foreign = alice.post("/activities", json={**RUN, "goalId": bobs_goal})
    assert foreign.status_code == 400
    assert foreign.json["details"] == {"goalId": ["No goal with this id."]}
    assert stored(ALICE, ActivityItem) == []

    goal_id = create_goal(alice)
    activity = create_activity(alice, goalId=goal_id)
    assert activity["goalId"] == goal_id

    url = f"/activities/{activity['activityId']}"
    rejected = alice.patch(url, json={"goalId": bobs_goal})
    assert rejected.status_code == 400
    assert rejected.json["details"] == {"goalId": ["No goal with this id."]}
    assert alice.get(url).json == activity
    assert alice.patch(url, json={"goalId": None}).json["goalId"] is None


def test_local_day_comes_from_the_profile_timezone_and_moves_with_started_at(alice, aws_calls):
    set_profile(ALICE, timezone="Europe/Berlin")
    # 23:30 UTC is already the next day in Berlin.
    activity = create_activity(alice, startedAt="2026-11-25T23:30:00Z")
    activity_id = activity["activityId"]
    (item,) = stored(ALICE, ActivityItem)
    assert item.day.isoformat() == "2026-11-26"
    assert item.lsi1_sk == f"ACTIVITY#2026-11-25T23:30:00.000Z#{activity_id}"
    assert item.lsi2_sk == f"DAY#2026-11-26#ACTIVITY#{activity_id}"

    aws_calls.reset()
    moved = alice.patch(
        f"/activities/{activity_id}", json={"startedAt": "2026-11-27T22:15:00-05:00"}
    )
    assert moved.status_code == 200
    assert moved.json["startedAt"] == "2026-11-28T03:15:00Z"
    # One read of the activity and the profile, one write of both index keys.
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 1, "PutItem": 1}
    (item,) = stored(ALICE, ActivityItem)
    assert item.day.isoformat() == "2026-11-28"
    assert item.lsi1_sk == f"ACTIVITY#2026-11-28T03:15:00.000Z#{activity_id}"
    assert item.lsi2_sk == f"DAY#2026-11-28#ACTIVITY#{activity_id}"

    # The day is fixed when written: a later timezone change does not move it.
    set_profile(ALICE, timezone="America/Los_Angeles")
    assert alice.patch(f"/activities/{activity_id}", json={"notes": "x"}).status_code == 200
    (item,) = stored(ALICE, ActivityItem)
    assert item.day.isoformat() == "2026-11-28"


def test_list_is_newest_first_with_inclusive_range_and_type(alice):
    runs = [
        create_activity(alice, startedAt=f"2026-11-{day}T07:00:00+01:00")["activityId"]
        for day in (20, 22, 24, 26)
    ]
    yoga = create_activity(alice, type="yoga", startedAt="2026-11-23T18:00:00Z")["activityId"]

    everything = alice.get("/activities").json["items"]
    assert [a["activityId"] for a in everything] == [runs[3], runs[2], yoga, runs[1], runs[0]]

    ranged = alice.get(
        "/activities",
        query_string={"from": "2026-11-22T07:00:00+01:00", "to": "2026-11-24T06:00:00Z"},
    ).json["items"]
    assert [a["activityId"] for a in ranged] == [runs[2], yoga, runs[1]]

    only_from = alice.get("/activities", query_string={"from": "2026-11-24T00:00:00Z"})
    assert [a["activityId"] for a in only_from.json["items"]] == [runs[3], runs[2]]
    only_to = alice.get("/activities", query_string={"to": "2026-11-20T06:00:00Z"})
    assert [a["activityId"] for a in only_to.json["items"]] == [runs[0]]

    typed = alice.get("/activities", query_string={"type": "yoga"}).json["items"]
    assert [a["activityId"] for a in typed] == [yoga]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"from": "2026-11-22T07:00:00"}, "from"),
        ({"to": "2026-11-22"}, "to"),
        ({"from": "2026-11-23T00:00:00Z", "to": "2026-11-22T00:00:00Z"}, "to"),
        ({"type": "dance"}, "type"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_list_filters_are_400(alice, query, field):
    response = alice.get("/activities", query_string=query)
    assert response.status_code == 400
    assert field in response.json["details"]


def test_pagination_walks_every_activity_once(alice):
    created = [
        create_activity(alice, startedAt=f"2026-11-{day:02d}T07:00:00Z")["activityId"]
        for day in range(1, 26)
    ]
    create_activity(alice, type="swim", startedAt="2026-11-30T07:00:00Z")
    items, pages = walk_pages(alice, "/activities", limit=10, type="run")
    assert pages == 3
    assert [a["activityId"] for a in items] == list(reversed(created))


def test_cursor_is_bound_to_the_caller_and_the_filters(alice, bob):
    for day in (1, 2, 3):
        create_activity(alice, startedAt=f"2026-11-{day:02d}T07:00:00Z")
    cursor = alice.get("/activities?limit=1").json["nextCursor"]
    assert cursor
    assert bob.get("/activities", query_string={"cursor": cursor}).status_code == 400
    assert (
        alice.get("/activities", query_string={"cursor": cursor, "type": "run"}).status_code == 400
    )
    assert alice.get("/activities", query_string={"cursor": cursor}).status_code == 200


def test_if_match(alice):
    url = f"/activities/{create_activity(alice)['activityId']}"
    assert alice.patch(url, json={"notes": "a"}, headers={"If-Match": '"1"'}).status_code == 200
    stale = alice.patch(url, json={"notes": "b"}, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert stale.json["error"] == "Precondition Failed"
    assert alice.get(url).json["notes"] == "a"
    assert alice.delete(url, headers={"If-Match": '"1"'}).status_code == 412
    assert alice.get(url).status_code == 200
    assert alice.delete(url, headers={"If-Match": '"2"'}).status_code == 204


def test_patch_rejects_bad_and_read_only_fields(alice):
    activity = create_activity(alice)
    url = f"/activities/{activity['activityId']}"
    for body in (
        {"durationMinutes": 0},
        {"type": None},
        {"startedAt": "2026-11-26T08:00:00"},
        {"activityId": "01J00000000000000000000000"},
        {"updatedAt": "2026-11-26T08:00:00Z"},
    ):
        response = alice.patch(url, json=body)
        assert response.status_code == 400, body
    assert alice.get(url).json == activity


def test_another_user_gets_404_and_never_sees_the_activity(alice, bob):
    activity = create_activity(alice)
    url = f"/activities/{activity['activityId']}"
    assert bob.get(url).status_code == 404
    assert bob.patch(url, json={"notes": "mine now"}).status_code == 404
    assert bob.delete(url).status_code == 404
    assert bob.get("/activities").json["items"] == []
    assert alice.get(url).json == activity


def test_dynamodb_requests_per_route(alice, aws_calls):
    goal_id = create_goal(alice)
    aws_calls.reset()
    activity = create_activity(alice)
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "PutItem": 1}  # profile, activity
    aws_calls.reset()
    create_activity(alice, goalId=goal_id)
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 1, "PutItem": 1}  # profile + goal
    url = f"/activities/{activity['activityId']}"
    aws_calls.reset()
    alice.get(url)
    assert dict(aws_calls.dynamodb) == {"GetItem": 1}
    aws_calls.reset()
    alice.get("/activities", query_string={"from": "2026-11-01T00:00:00Z", "type": "run"})
    assert dict(aws_calls.dynamodb) == {"Query": 1}
    aws_calls.reset()
    alice.patch(url, json={"notes": "x"})
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "PutItem": 1}
    aws_calls.reset()
    alice.delete(url)
    assert dict(aws_calls.dynamodb) == {"TransactWriteItems": 1}
