"""Habit check-ins through Flask's test client: create-or-update per local day, the rules
on which days and goals take one, list/get/delete, ownership, the goal's progress kept in
step (same transaction), concurrency and DynamoDB request counts."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import botocore.client
import pytest
from botocore.exceptions import ClientError
from pynamodb.exceptions import PutError

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.goals.models import CheckInItem, GoalItem
from tests.support.daily import set_clock, set_profile

ALICE = "alice-sub"
NOW = "2026-11-26T12:00:00Z"  # a Thursday
TODAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def clock(app, monkeypatch):
    set_clock(monkeypatch, NOW)
    return monkeypatch


def create_goal(client, **fields) -> dict:
    body = {"title": "Meditate", "startDate": "2026-11-01", **fields}
    response = client.post("/goals", json=body)
    assert response.status_code == 201, response.json
    return response.json


def check_ins_url(goal: dict) -> str:
    return f"/goals/{goal['goalId']}/check-ins"


def check_in(client, goal: dict, day: str | None = None, **fields):
    body = {**({"date": day} if day else {}), **fields}
    return client.post(check_ins_url(goal), json=body)


def stored_goal(goal: dict, sub: str = ALICE) -> GoalItem:
    return GoalItem.get(*GoalItem.key(sub, goal["goalId"]))


def stored_days(goal: dict, sub: str = ALICE) -> set[str] | None:
    """The goal's stored check-in days (`None` when it stores none)."""
    item = stored_goal(goal, sub)
    assert item.legacy_check_in_dates is None
    return {day.isoformat() for day in item.check_in_days} if item.check_in_days else None


def stored_check_ins(sub: str = ALICE) -> list[CheckInItem]:
    return list(CheckInItem.query(user_pk(sub), CheckInItem.sk.startswith("CHECKIN#")))


def progress(client, goal: dict) -> dict:
    return client.get(f"/goals/{goal['goalId']}").json["progress"]


def test_check_in_lifecycle(alice):
    goal = create_goal(alice)
    created = check_in(alice, goal, "2026-11-25", value=2, note="after lunch")
    assert created.status_code == 201
    body = created.json
    assert body == {
        "goalId": goal["goalId"],
        "date": "2026-11-25",
        "value": 2,
        "note": "after lunch",
        "createdAt": "2026-11-26T12:00:00Z",
        "updatedAt": "2026-11-26T12:00:00Z",
    }
    assert created.headers["Location"] == f"{check_ins_url(goal)}/2026-11-25"
    assert created.headers["ETag"] == '"1"'

    fetched = alice.get(created.headers["Location"])
    assert fetched.status_code == 200
    assert fetched.json == body
    assert fetched.headers["ETag"] == '"1"'

    assert stored_days(goal) == {"2026-11-25"}
    assert progress(alice, goal) == {
        "streakCurrent": 1,
        "streakLongest": 1,
        "lastCheckInDate": "2026-11-25",
        "checkInCount": 1,
    }

    deleted = alice.delete(created.headers["Location"])
    assert deleted.status_code == 204
    assert deleted.data == b""
    assert alice.get(created.headers["Location"]).status_code == 404
    assert alice.delete(created.headers["Location"]).status_code == 404
    assert stored_days(goal) is None
    assert stored_check_ins() == []
    assert progress(alice, goal)["checkInCount"] == 0


def test_second_check_in_on_a_day_updates_it(alice, monkeypatch):
    goal = create_goal(alice)
    first = check_in(alice, goal, value=1, note="morning")
    assert first.status_code == 201
    set_clock(monkeypatch, "2026-11-26T18:00:00Z")
    second = check_in(alice, goal, "2026-11-26", value=3)
    assert second.status_code == 200
    assert "Location" not in second.headers
    assert second.headers["ETag"] == '"2"'
    assert second.json == {
        **first.json,
        "value": 3,  # replaced
        "note": "morning",  # not sent: kept
        "updatedAt": "2026-11-26T18:00:00Z",
    }
    cleared = check_in(alice, goal, note=None)
    assert cleared.status_code == 200
    assert cleared.json["note"] is None
    assert len(stored_check_ins()) == 1
    assert stored_days(goal) == {"2026-11-26"}
    assert progress(alice, goal)["checkInCount"] == 1


def test_date_defaults_to_today_in_the_profile_timezone(alice, monkeypatch):
    # 06:30Z on the 26th is 22:30 on the 25th in Los Angeles, 15:30 on the 26th in Tokyo.
    set_clock(monkeypatch, "2026-11-26T06:30:00Z")
    set_profile(ALICE, "America/Los_Angeles")
    goal = create_goal(alice)
    assert check_in(alice, goal).json["date"] == "2026-11-25"
    # Not after today: the 26th has not begun in Los Angeles.
    future = check_in(alice, goal, "2026-11-26")
    assert future.status_code == 400
    assert "date" in future.json["details"]
    assert progress(alice, goal)["streakCurrent"] == 1

    set_profile(ALICE, "Asia/Tokyo")
    assert check_in(alice, goal).json["date"] == "2026-11-26"
    assert progress(alice, goal)["streakCurrent"] == 2


def test_check_ins_across_a_dst_change_land_on_local_days(alice, monkeypatch):
    # Berlin springs forward on 2026-03-29; each check-in is sent at 23:30 or 00:30 local.
    set_profile(ALICE, "Europe/Berlin")
    set_clock(monkeypatch, "2026-03-27T12:00:00Z")
    goal = create_goal(alice, startDate="2026-03-27")
    sent = {
        "2026-03-27T22:30:00Z": "2026-03-27",  # 23:30 CET
        "2026-03-28T22:30:00Z": "2026-03-28",  # 23:30 CET, the last night before the change
        "2026-03-29T22:30:00Z": "2026-03-30",  # 00:30 CEST: already the 30th
    }
    for now, local_day in sent.items():
        set_clock(monkeypatch, now)
        response = check_in(alice, goal)
        assert response.status_code == 201
        assert response.json["date"] == local_day
    # The 29th (the 23-hour day) was skipped: the run restarted on the 30th.
    assert progress(alice, goal) == {
        "streakCurrent": 1,
        "streakLongest": 2,
        "lastCheckInDate": "2026-03-30",
        "checkInCount": 3,
    }
    set_clock(monkeypatch, "2026-03-30T21:59:00Z")  # 23:59 CEST on the 30th
    assert check_in(alice, goal, "2026-03-29").status_code == 201
    assert progress(alice, goal)["streakCurrent"] == 4
    set_clock(monkeypatch, "2026-03-31T22:00:00Z")  # 00:00 on 1 April: the 31st was missed
    assert progress(alice, goal)["streakCurrent"] == 0
    assert progress(alice, goal)["streakLongest"] == 4


def test_deleting_the_middle_check_in_splits_the_streak(alice):
    goal = create_goal(alice)
    for day in ("2026-11-22", "2026-11-23", "2026-11-24", "2026-11-25", "2026-11-26"):
        assert check_in(alice, goal, day).status_code == 201
    assert progress(alice, goal)["streakCurrent"] == 5
    assert alice.delete(f"{check_ins_url(goal)}/2026-11-24").status_code == 204
    assert progress(alice, goal) == {
        "streakCurrent": 2,
        "streakLongest": 2,
        "lastCheckInDate": "2026-11-26",
        "checkInCount": 4,
    }
    assert alice.delete(f"{check_ins_url(goal)}/2026-11-26").status_code == 204
    assert (progress(alice, goal)["streakCurrent"], progress(alice, goal)["streakLongest"]) == (
        1,
        2,
    )
    assert alice.delete(f"{check_ins_url(goal)}/2026-11-22").status_code == 204
    assert (progress(alice, goal)["streakCurrent"], progress(alice, goal)["streakLongest"]) == (
        1,
        1,
    )


def test_weekly_habit_streak_through_the_api(alice):
    goal = create_goal(alice, schedule={"frequency": "weekly", "timesPerWeek": 2})
    for day in ("2026-11-09", "2026-11-12", "2026-11-16", "2026-11-20", "2026-11-23"):
        assert check_in(alice, goal, day).status_code == 201
    # Two weeks met; this week has 1 of 2, which never breaks the streak.
    assert progress(alice, goal)["streakCurrent"] == 2
    assert check_in(alice, goal, "2026-11-26").status_code == 201
    assert progress(alice, goal)["streakCurrent"] == 3
    # Last week falls short of its quota: the streak counts back from last week, so it ends.
    assert alice.delete(f"{check_ins_url(goal)}/2026-11-20").status_code == 204
    assert (progress(alice, goal)["streakCurrent"], progress(alice, goal)["streakLongest"]) == (
        1,
        1,
    )


@pytest.mark.parametrize(
    ("goal_fields", "body", "field"),
    [
        ({}, {"date": "2026-11-27"}, "date"),  # tomorrow
        ({}, {"date": "2026-10-31"}, "date"),  # before startDate
        ({"endDate": "2026-11-20"}, {"date": "2026-11-21"}, "date"),  # after endDate
        ({"status": "paused"}, {}, "goalId"),
        ({"status": "completed"}, {"date": "2026-11-20"}, "goalId"),
        (
            {"type": "target", "target": {"metric": "steps", "value": 1, "direction": "atLeast"}},
            {},
            "goalId",
        ),
        ({}, {"date": "26/11/2026"}, "date"),
        ({}, {"date": "2026-02-30"}, "date"),
        ({}, {"value": -1}, "value"),
        ({}, {"value": "lots"}, "value"),
        ({}, {"note": "x" * 1001}, "note"),
        ({}, {"goalId": "01J00000000000000000000000"}, "goalId"),
        ({}, {"createdAt": "2026-11-26T07:30:00Z"}, "createdAt"),
        ({}, {"streak": 3}, "streak"),
    ],
)
def test_invalid_check_ins_are_400_and_change_nothing(alice, goal_fields, body, field):
    goal = create_goal(alice, **goal_fields)
    response = alice.post(check_ins_url(goal), json=body)
    assert response.status_code == 400
    assert field in response.json["details"]
    assert response.json["message"]
    assert stored_check_ins() == []
    assert stored_goal(goal).version == 1
    assert stored_days(goal) is None


def test_check_ins_of_another_users_goal_are_404(alice, bob):
    goal = create_goal(alice)
    assert check_in(alice, goal, "2026-11-25").status_code == 201
    url = check_ins_url(goal)
    assert check_in(bob, goal).status_code == 404
    assert bob.get(url).status_code == 404
    assert bob.get(f"{url}/2026-11-25").status_code == 404
    assert bob.delete(f"{url}/2026-11-25").status_code == 404
    assert bob.delete(f"{url}/2026-11-25", headers={"If-Match": '"1"'}).status_code == 404
    assert list(TableItem.query(user_pk("bob-sub"))) == []
    assert [c.day for c in stored_check_ins()] == [date(2026, 11, 25)]
    assert stored_days(goal) == {"2026-11-25"}


def test_missing_goal_is_404(alice):
    url = "/goals/01J00000000000000000000000/check-ins"
    for response in (
        alice.post(url, json={}),
        alice.get(url),
        alice.get(f"{url}/2026-11-25"),
        alice.delete(f"{url}/2026-11-25"),
    ):
        assert response.status_code == 404
        assert response.json["error"] == "Not Found"


def test_deleting_the_goal_removes_its_check_ins(alice):
    goal = create_goal(alice)
    check_in(alice, goal, "2026-11-25")
    assert alice.delete(f"/goals/{goal['goalId']}").status_code == 204
    assert alice.get(check_ins_url(goal)).status_code == 404
    assert stored_check_ins() == []


def test_path_date_must_be_a_day(alice):
    goal = create_goal(alice)
    for bad in ("2026-11-32", "20261125", "2026-W48-4", "yesterday"):
        response = alice.delete(f"{check_ins_url(goal)}/{bad}")
        assert response.status_code == 400
        assert "date" in response.json["details"]


def test_if_match_on_delete(alice):
    goal = create_goal(alice)
    url = check_in(alice, goal, "2026-11-25").headers["Location"]
    check_in(alice, goal, "2026-11-25", note="edited")  # version 2
    stale = alice.delete(url, headers={"If-Match": '"1"'})
    assert stale.status_code == 412
    assert alice.get(url).status_code == 200
    assert stored_days(goal) == {"2026-11-25"}
    assert alice.delete(url, headers={"If-Match": '"2"'}).status_code == 204
    assert alice.delete(url, headers={"If-Match": '"2"'}).status_code == 404


def test_list_newest_first_with_day_range(alice):
    goal = create_goal(alice)
    other = create_goal(alice, title="Read")
    for day in ("2026-11-20", "2026-11-22", "2026-11-24", "2026-11-26"):
        check_in(alice, goal, day)
    check_in(alice, other, "2026-11-23")
    url = check_ins_url(goal)

    listed = alice.get(url)
    assert listed.status_code == 200
    assert [c["date"] for c in listed.json["items"]] == [
        "2026-11-26",
        "2026-11-24",
        "2026-11-22",
        "2026-11-20",
    ]
    assert {c["goalId"] for c in listed.json["items"]} == {goal["goalId"]}
    assert listed.json["nextCursor"] is None

    ranged = alice.get(url, query_string={"from": "2026-11-22", "to": "2026-11-24"})
    assert [c["date"] for c in ranged.json["items"]] == ["2026-11-24", "2026-11-22"]
    since = alice.get(url, query_string={"from": "2026-11-24"})
    assert [c["date"] for c in since.json["items"]] == ["2026-11-26", "2026-11-24"]
    until = alice.get(url, query_string={"to": "2026-11-20"})
    assert [c["date"] for c in until.json["items"]] == ["2026-11-20"]
    empty = alice.get(url, query_string={"from": "2026-11-27"})
    assert empty.status_code == 200
    assert empty.json == {"items": [], "nextCursor": None}

    backwards = alice.get(url, query_string={"from": "2026-11-24", "to": "2026-11-22"})
    assert backwards.status_code == 400
    assert "from" in backwards.json["details"]
    assert alice.get(url, query_string={"from": "tuesday"}).status_code == 400


def test_list_pages_walk_every_check_in_once(alice, bob):
    goal = create_goal(alice)
    days = [(TODAY - timedelta(days=offset)).isoformat() for offset in range(25)]
    for day in days:
        assert check_in(alice, goal, day).status_code == 201
    seen, cursor = [], None
    while True:
        page = alice.get(
            check_ins_url(goal),
            query_string={"limit": 10, **({"cursor": cursor} if cursor else {})},
        )
        assert page.status_code == 200
        seen += [c["date"] for c in page.json["items"]]
        cursor = page.json["nextCursor"]
        if cursor is None:
            break
    assert seen == days  # newest first, no gaps, no repeats
    first = alice.get(check_ins_url(goal), query_string={"limit": 5}).json["nextCursor"]
    assert bob.get(check_ins_url(goal), query_string={"cursor": first}).status_code == 400
    other_range = {"cursor": first, "from": "2026-11-01"}
    assert alice.get(check_ins_url(goal), query_string=other_range).status_code == 400


class TransactionHook:
    """Sees every TransactWriteItems call: counts them, can run something just before the
    next one (another writer getting in first), and can cancel the next ones with a
    TransactionConflict, as DynamoDB does when another transaction holds an item."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.sent = 0
        self.conflicts = 0
        self.before_next = None

    def arm(self, *, conflicts: int = 0, before_next=None) -> TransactionHook:
        self.sent, self.conflicts, self.before_next = 0, conflicts, before_next
        return self

    def intercept(self, api_params) -> None:
        with self.lock:
            self.sent += 1
            before, self.before_next = self.before_next, None
            conflict = self.conflicts > 0
            self.conflicts -= conflict
        if before:
            before()
        if conflict:
            reasons = [{"Code": "None"} for _ in api_params["TransactItems"]]
            reasons[-1] = {"Code": "TransactionConflict", "Message": "Conflict"}
            raise ClientError(
                {
                    "Error": {"Code": "TransactionCanceledException", "Message": "cancelled"},
                    "CancellationReasons": reasons,
                },
                "TransactWriteItems",
            )


@pytest.fixture
def transactions(monkeypatch):
    hook = TransactionHook()
    original = botocore.client.BaseClient._make_api_call
    emulator_lock = threading.Lock()

    def make_api_call(client, operation_name, api_params):
        if operation_name == "TransactWriteItems":
            hook.intercept(api_params)
        # DynamoDB applies each request atomically; moto's in-process backend does not (a
        # transaction deep-copies the table while other threads write), so requests reach
        # it one at a time. Concurrent API calls still interleave between their requests.
        with emulator_lock:
            return original(client, operation_name, api_params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", make_api_call)
    return hook


def test_concurrent_check_ins_on_different_days_all_succeed(alice, transactions):
    goal = create_goal(alice)
    days = [(TODAY - timedelta(days=offset)).isoformat() for offset in range(20)]

    def check_in_until_it_lands(day: str) -> list[int]:
        statuses = [check_in(alice, goal, day).status_code]
        while statuses[-1] == 409 and len(statuses) < 50:  # lost every retry: the client's turn
            statuses.append(check_in(alice, goal, day).status_code)
        return statuses

    with ThreadPoolExecutor(max_workers=20) as pool:
        outcomes = list(pool.map(check_in_until_it_lands, days))
    assert all(statuses[-1] == 201 for statuses in outcomes)
    assert all(set(statuses) <= {201, 409} for statuses in outcomes)
    # Each check-in is conditioned on the goal's version: losers of a race re-read and retry.
    assert transactions.sent >= 20
    stored = stored_goal(goal)
    assert {day.isoformat() for day in stored.checked_in} == set(days)
    assert stored.version == 21  # one increment per check-in, none lost
    assert len(stored_check_ins()) == 20
    assert progress(alice, goal)["streakCurrent"] == 20


def test_a_check_in_makes_a_stale_goal_write_fail_instead_of_dropping_the_day(alice):
    goal = create_goal(alice)
    stale = stored_goal(goal)  # read before the check-in
    assert check_in(alice, goal, "2026-11-25").status_code == 201
    stale.title = "Overwrite"
    with pytest.raises(PutError):
        stale.save()
    # A PATCH reads afresh and keeps the set; the goal's ETag moved with the check-in.
    assert alice.get(f"/goals/{goal['goalId']}").headers["ETag"] == '"2"'
    patched = alice.patch(f"/goals/{goal['goalId']}", json={"title": "Meditate daily"})
    assert patched.status_code == 200
    assert patched.json["progress"]["checkInCount"] == 1
    assert stored_days(goal) == {"2026-11-25"}


def test_check_in_on_a_goal_paused_meanwhile_is_refused(alice):
    goal = create_goal(alice)
    check_in(alice, goal, "2026-11-25")
    alice.patch(f"/goals/{goal['goalId']}", json={"status": "paused"})
    assert check_in(alice, goal, "2026-11-26").status_code == 400
    assert check_in(alice, goal, "2026-11-25", note="again").status_code == 400
    # Deleting one of a paused goal's check-ins is still allowed.
    assert alice.delete(f"{check_ins_url(goal)}/2026-11-25").status_code == 204


def pause_goal(goal: dict):
    def pause() -> None:
        stored = stored_goal(goal)
        stored.status = "paused"
        stored.save()

    return pause


def test_goal_paused_between_read_and_write_stops_the_check_in(alice, transactions):
    goal = create_goal(alice)
    transactions.arm(before_next=pause_goal(goal))
    response = check_in(alice, goal, "2026-11-25")
    assert response.status_code == 400  # the transaction's condition failed; the re-read says why
    assert "paused" in response.json["message"]
    assert transactions.sent == 1
    assert stored_check_ins() == []
    assert stored_days(goal) is None


def test_goal_deleted_between_read_and_write_is_404(alice, transactions):
    goal = create_goal(alice)
    transactions.arm(before_next=lambda: stored_goal(goal).delete())
    assert check_in(alice, goal, "2026-11-25").status_code == 404
    assert list(TableItem.query(user_pk(ALICE))) == []


def test_same_day_created_meanwhile_becomes_an_update(alice, make_client, transactions):
    goal = create_goal(alice)
    other_device = make_client(ALICE)

    def other_device_checks_in() -> None:
        transactions.arm()  # let the other device's own transaction through
        assert check_in(other_device, goal, "2026-11-25", note="phone").status_code == 201

    transactions.arm(before_next=other_device_checks_in)
    response = check_in(alice, goal, "2026-11-25", value=5)
    assert response.status_code == 200
    assert (response.json["note"], response.json["value"]) == ("phone", 5)
    assert len(stored_check_ins()) == 1
    assert stored_days(goal) == {"2026-11-25"}


def test_transaction_conflicts_are_retried(alice, transactions):
    goal = create_goal(alice)
    transactions.arm(conflicts=2)
    assert check_in(alice, goal, "2026-11-25").status_code == 201
    assert transactions.sent == 3
    transactions.arm(conflicts=1)
    assert alice.delete(f"{check_ins_url(goal)}/2026-11-25").status_code == 204
    assert transactions.sent == 2
    assert stored_days(goal) is None


def test_endless_conflicts_end_in_409_and_store_nothing(alice, transactions):
    goal = create_goal(alice)
    transactions.arm(conflicts=100)
    response = check_in(alice, goal, "2026-11-25")
    assert response.status_code == 409
    assert response.json["error"] == "Conflict"
    assert stored_check_ins() == []


def test_dynamodb_requests_per_route(alice, aws_calls):
    goal = create_goal(alice)
    url = check_ins_url(goal)

    aws_calls.reset()
    assert alice.get(url).status_code == 200  # no check-ins yet: Query, then the goal
    assert dict(aws_calls.dynamodb) == {"Query": 1, "GetItem": 1}

    aws_calls.reset()
    assert check_in(alice, goal, "2026-11-25").status_code == 201
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 1, "TransactWriteItems": 1}

    aws_calls.reset()
    assert check_in(alice, goal).status_code == 201  # today, from the profile's timezone
    assert dict(aws_calls.dynamodb) == {"BatchGetItem": 1, "TransactWriteItems": 1}

    aws_calls.reset()
    assert check_in(alice, goal, "2026-11-25", value=1).status_code == 200
    assert dict(aws_calls.dynamodb) == {
        "BatchGetItem": 1,
        "GetItem": 1,
        "TransactWriteItems": 1,
    }

    aws_calls.reset()
    assert alice.get(url).status_code == 200
    assert dict(aws_calls.dynamodb) == {"Query": 1}

    aws_calls.reset()
    assert alice.get(f"{url}/2026-11-25").status_code == 200
    assert dict(aws_calls.dynamodb) == {"GetItem": 1}

    aws_calls.reset()
    assert alice.delete(f"{url}/2026-11-25").status_code == 204
    # The goal's version is read, so the day set written is the one read minus the day.
    assert dict(aws_calls.dynamodb) == {"GetItem": 1, "TransactWriteItems": 1}


def test_openapi_documents_the_check_in_routes(client):
    paths = client.get("/openapi.json").json["paths"]
    collection = paths["/goals/{goal_id}/check-ins"]
    assert set(collection) >= {"get", "post"}
    assert set(collection["post"]["responses"]) >= {"200", "201", "400"}
    one = paths["/goals/{goal_id}/check-ins/{day}"]
    assert set(one) >= {"get", "delete"}
    day_params = [p for p in one.get("parameters", []) if p["name"] == "day"]
    assert len(day_params) == 1
    assert day_params[0]["schema"]["format"] == "date"


def test_a_goal_stored_before_the_day_set_counts_its_old_days_and_converts_on_write(alice):
    goal = create_goal(alice)
    # As goals were written before migration 0002: the days as a string set.
    TableItem._get_connection().update_item(
        user_pk(ALICE),
        f"GOAL#{goal['goalId']}",
        actions=[GoalItem.legacy_check_in_dates.set({"2026-11-24", "2026-11-25"})],
    )
    assert progress(alice, goal) == {
        "streakCurrent": 2,
        "streakLongest": 2,
        "lastCheckInDate": "2026-11-25",
        "checkInCount": 2,
    }

    assert check_in(alice, goal, "2026-11-26").status_code == 201

    assert stored_days(goal) == {"2026-11-24", "2026-11-25", "2026-11-26"}  # set removed
    assert progress(alice, goal)["streakCurrent"] == 3
