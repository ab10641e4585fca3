"""`GET /sync`: the initial download of every kind, deltas with upserts and deletes, the
settle window, paging and resuming, tokens (400 for invalid, 410 for expired), what stays
out of the feed, and the cost of a page."""

from __future__ import annotations

import base64
import json
from datetime import timedelta

import jsonschema
import pytest

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.db.tombstones import FEED_RETENTION, TOMBSTONE_RETENTION
from tests.support.resources import (
    activity_body,
    check_in_body,
    days_ago,
    goal_body,
    meal_body,
    metric_body,
)
from tests.support.sync import Clock, Replica, server_state

ALICE = "alice-sub"
KINDS = {"profile", "goal", "checkIn", "activity", "meal", "metric"}


@pytest.fixture
def clock(monkeypatch):
    clock = Clock()
    monkeypatch.setattr("lifestyle_api.db.changes.now", clock)
    return clock


def create(client, url: str, body: dict) -> dict:
    response = client.post(url, json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def one_of_each(client) -> dict[str, dict]:
    """A profile (imperial, Paris), a goal with a check-in, an activity, a meal, a weight."""
    profile = client.patch("/me", json={"timezone": "Europe/Paris", "unitSystem": "imperial"})
    goal = create(client, "/goals", goal_body())
    check_in = create(client, f"/goals/{goal['goalId']}/check-ins", check_in_body({}))
    return {
        "profile": profile.get_json(),
        "goal": client.get(f"/goals/{goal['goalId']}").get_json(),
        "checkIn": check_in,
        "activity": create(client, "/activities", activity_body()),
        "meal": create(client, "/meals", meal_body()),
        "metric": create(client, "/metrics", metric_body()),
    }


def sync(client, since: str | None = None, **query):
    if since is not None:
        query["since"] = since
    return client.get("/sync", query_string=query)


def test_the_initial_download_holds_every_kind_as_its_get_answers_it(alice, clock):
    made = one_of_each(alice)
    clock.settle()

    response = sync(alice)

    assert response.status_code == 200
    page = response.get_json()
    assert page["hasMore"] is False
    assert {change["kind"] for change in page["changes"]} == KINDS
    by_kind = {change["kind"]: change for change in page["changes"]}
    goal_id = made["goal"]["goalId"]
    assert by_kind["profile"]["id"] == ALICE
    assert by_kind["goal"]["id"] == goal_id
    assert by_kind["checkIn"]["id"] == f"{goal_id}/{made['checkIn']['date']}"
    assert by_kind["metric"]["data"]["unit"] == "lb"  # the profile's unit system, as GET
    assert by_kind["goal"]["data"]["progress"]["checkInCount"] == 1
    for kind, change in by_kind.items():
        assert change["op"] == "upsert"
        assert change["data"] == made[kind], kind
        assert change["changedAt"].endswith("Z")
    etag = alice.get(f"/goals/{goal_id}").headers["ETag"]
    assert f'"{by_kind["goal"]["version"]}"' == etag
    assert [c["changedAt"] for c in page["changes"]] == sorted(
        c["changedAt"] for c in page["changes"]
    )


def test_changes_wait_for_the_settle_window(alice, clock):
    replica = Replica()
    replica.pull(alice)
    goal = create(alice, "/goals", goal_body())

    held_back = replica.pull(alice)
    clock.settle()
    settled = replica.pull(alice)

    assert held_back == {"changes": [], "next": held_back["next"], "hasMore": False}
    assert [change["id"] for change in settled["changes"]] == [goal["goalId"]]


def test_a_delta_brings_edits_and_deletes_oldest_first(alice, clock):
    made = one_of_each(alice)
    clock.settle()
    replica = Replica()
    replica.pull_to_end(alice)
    goal_id, meal_id = made["goal"]["goalId"], made["meal"]["mealId"]

    clock.advance(timedelta(seconds=1))
    edited = alice.patch(f"/goals/{goal_id}", json={"title": "Walk an hour"}).get_json()
    clock.advance(timedelta(seconds=1))
    assert alice.delete(f"/meals/{meal_id}").status_code == 204
    clock.advance(timedelta(seconds=1))
    day = made["checkIn"]["date"]
    assert alice.delete(f"/goals/{goal_id}/check-ins/{day}").status_code == 204
    clock.settle()
    delta = replica.pull(alice)

    # The check-in's delete changed the goal's progress in the same transaction: the goal
    # comes once, in its latest state, at that transaction's instant.
    assert [(c["kind"], c["op"]) for c in delta["changes"]] == [
        ("meal", "delete"),
        ("goal", "upsert"),
        ("checkIn", "delete"),
    ]
    meal, goal, check_in = delta["changes"]
    assert goal["data"]["title"] == edited["title"] == "Walk an hour"
    assert goal["data"]["progress"]["checkInCount"] == 0
    assert goal["version"] == 4  # created, checked in on, edited, checked in on no more
    assert goal["changedAt"] == check_in["changedAt"] > meal["changedAt"]
    assert meal["data"] is None
    assert check_in["data"] is None
    assert replica.state() == server_state(alice)
    assert replica.pull(alice)["changes"] == []


def test_deleting_a_goal_deletes_its_check_ins_on_the_feed(alice, clock):
    alice.get("/me")
    goal = create(alice, "/goals", goal_body())
    days = [days_ago(n) for n in (1, 2, 3)]
    for day in days:
        create(alice, f"/goals/{goal['goalId']}/check-ins", {"date": day})
    clock.settle()
    replica = Replica()
    replica.pull_to_end(alice)
    assert len(replica.items) == 5  # the profile, the goal, three check-ins

    assert alice.delete(f"/goals/{goal['goalId']}").status_code == 204
    clock.settle()
    delta = replica.pull(alice)

    assert {(c["kind"], c["id"], c["op"]) for c in delta["changes"]} == {
        ("goal", goal["goalId"], "delete"),
        *{("checkIn", f"{goal['goalId']}/{day}", "delete") for day in days},
    }
    assert set(replica.items) == {("profile", ALICE)}


def test_a_check_in_deleted_then_made_again_ends_as_an_upsert(alice, clock):
    alice.get("/me")
    goal = create(alice, "/goals", goal_body())
    url = f"/goals/{goal['goalId']}/check-ins"
    clock.settle()
    replica = Replica()
    replica.pull_to_end(alice)
    day = days_ago(2)
    for note in ("first", "second"):
        create(alice, url, {"date": day, "note": note})
        clock.advance(timedelta(milliseconds=5))
        assert alice.delete(f"{url}/{day}").status_code == 204
        clock.advance(timedelta(milliseconds=5))
    create(alice, url, {"date": day, "note": "third"})
    clock.settle()

    replica.pull_to_end(alice, limit=1)

    assert replica.items[("checkIn", f"{goal['goalId']}/{day}")][1]["note"] == "third"
    assert replica.state() == server_state(alice)


def test_the_initial_download_leaves_out_what_was_deleted_before_it(alice, clock):
    kept = create(alice, "/activities", activity_body())
    gone = create(alice, "/activities", activity_body())
    assert alice.delete(f"/activities/{gone['activityId']}").status_code == 204
    clock.settle()

    page = sync(alice).get_json()

    assert [(c["kind"], c["id"], c["op"]) for c in page["changes"]] == [
        ("activity", kept["activityId"], "upsert")
    ]


def test_pages_resume_and_a_crash_mid_page_loses_nothing(alice, clock):
    alice.get("/me")
    for _ in range(7):
        create(alice, "/activities", activity_body())
    clock.settle()
    replica = Replica()
    first = replica.pull(alice, limit=3)
    assert first["hasMore"] is True
    assert len(first["changes"]) == 3

    # The device applies half of the next page, then dies before storing its token.
    stored = replica.token
    second = sync(alice, stored, limit=3).get_json()
    replica.apply({"changes": second["changes"][:1]})
    replica.token = stored

    pages = replica.pull_to_end(alice, limit=3)
    assert pages == 2
    assert replica.state() == server_state(alice)
    assert len(replica.items) == 8


def test_an_item_changed_twice_in_one_window_comes_once_in_its_latest_state(alice, clock):
    meal = create(alice, "/meals", meal_body())
    for notes in ("a", "b", "c"):
        alice.patch(f"/meals/{meal['mealId']}", json={"notes": notes})
    clock.settle()

    changes = [c for c in sync(alice).get_json()["changes"] if c["kind"] == "meal"]

    assert [(c["data"]["notes"], c["version"]) for c in changes] == [("c", 4)]


GARBAGE = ["x", "a.b", "e30", "e30.e30", "\u00e9t\u00e9.sig", "." * 10]


@pytest.mark.parametrize("token", GARBAGE)
def test_garbage_tokens_are_400(alice, token):
    response = sync(alice, token)
    assert response.status_code == 400
    assert response.get_json()["details"] == {
        "since": ["The token is not valid; start again without `since`."]
    }


def test_an_edited_token_is_400(alice, clock):
    token = sync(alice).get_json()["next"]
    payload, signature = token.split(".")
    position = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    position["p"] = "CHANGE#"
    edited = base64.urlsafe_b64encode(json.dumps(position).encode()).decode().rstrip("=")

    assert sync(alice, f"{edited}.{signature}").status_code == 400
    assert sync(alice, token[:-2] + ("AA" if not token.endswith("AA") else "BB")).status_code == 400


def test_another_users_token_is_400_and_never_their_data(alice, bob, clock):
    create(alice, "/goals", goal_body())
    clock.settle()
    alices_token = sync(alice).get_json()["next"]
    create(alice, "/goals", goal_body())
    clock.settle()

    response = sync(bob, alices_token)

    assert response.status_code == 400
    assert "goal" not in response.get_data(as_text=True)


def test_a_list_cursor_is_not_a_sync_token(alice, clock):
    for _ in range(2):
        create(alice, "/goals", goal_body())
    cursor = alice.get("/goals", query_string={"limit": 1}).get_json()["nextCursor"]
    assert sync(alice, cursor).status_code == 400


@pytest.mark.parametrize("limit", [0, 501, -1, "many"])
def test_limit_is_1_to_500(alice, limit):
    assert sync(alice, limit=limit).status_code == 400


def test_a_token_older_than_the_kept_deletes_is_410(alice, clock):
    create(alice, "/goals", goal_body())
    clock.settle()
    token = sync(alice).get_json()["next"]

    clock.advance(FEED_RETENTION - timedelta(hours=1))
    assert sync(alice, token).status_code == 200  # idle for 29 days: still good
    clock.advance(timedelta(hours=2))
    response = sync(alice, token)

    assert response.status_code == 410
    body = response.get_json()
    assert body["error"] == "Gone"
    assert body["details"] == {"resync": True}
    assert sync(alice).status_code == 200  # starting over works


def test_an_idle_client_keeps_a_fresh_token(alice, clock):
    token = sync(alice).get_json()["next"]
    for _ in range(3):
        clock.advance(FEED_RETENTION - timedelta(days=1))
        response = sync(alice, token)
        assert response.status_code == 200
        token = response.get_json()["next"]


def test_tombstones_are_kept_longer_than_tokens(alice, clock):
    activity = create(alice, "/activities", activity_body())
    alice.delete(f"/activities/{activity['activityId']}")
    (tombstone,) = [i for i in TableItem.query(user_pk(ALICE)) if i.sk.startswith("TOMBSTONE#")]

    assert tombstone.sk == f"TOMBSTONE#ACTIVITY#{activity['activityId']}"
    assert tombstone.expires_at - clock() >= TOMBSTONE_RETENTION - timedelta(seconds=1)
    assert TOMBSTONE_RETENTION > FEED_RETENTION >= timedelta(days=30)


def test_internal_records_stay_out_of_the_feed(alice, clock):
    alice.get("/me")
    alice.post("/goals", json=goal_body(), headers={"Idempotency-Key": "k-1"})  # a record
    create(alice, "/metrics", metric_body())  # with a source: a marker
    alice.post("/coach/insights", json={"period": "day"})  # a cached answer
    clock.settle()

    changes = sync(alice).get_json()["changes"]

    assert sorted(c["kind"] for c in changes) == ["goal", "metric", "profile"]
    unindexed = {i.sk.split("#")[0] for i in TableItem.query(user_pk(ALICE)) if not i.lsi3_sk}
    assert unindexed == {"IDEMPOTENCY", "SOURCE", "COACH"}


def test_a_page_is_one_query(alice, clock, aws_calls):
    one_of_each(alice)
    clock.settle()
    replica = Replica()
    aws_calls.reset()
    replica.pull(alice, limit=2)  # the profile is the first change: no read besides
    assert dict(aws_calls.dynamodb) == {"Query": 1}
    while True:
        aws_calls.reset()
        more = replica.pull(alice, limit=2)["hasMore"]
        assert dict(aws_calls.dynamodb) == {"Query": 1}
        if not more:
            break
    aws_calls.reset()
    replica.pull(alice)  # nothing new: still one Query
    assert dict(aws_calls.dynamodb) == {"Query": 1}


def test_a_first_page_without_the_profile_reads_it_once(alice, clock, aws_calls):
    alice.patch("/me", json={"unitSystem": "imperial"})
    clock.advance(timedelta(seconds=1))
    metric = create(alice, "/metrics", metric_body())
    clock.advance(timedelta(seconds=1))
    alice.patch("/me", json={"name": "Alice"})  # the profile is now after the metric
    clock.settle()
    aws_calls.reset()

    page = sync(alice, limit=1).get_json()

    assert page["changes"][0]["data"] == metric  # in pounds, as GET answers it
    assert dict(aws_calls.dynamodb) == {"Query": 1, "GetItem": 1}
    aws_calls.reset()
    sync(alice, page["next"], limit=1)
    assert dict(aws_calls.dynamodb) == {"Query": 1}


def test_the_change_is_typed_per_kind_in_the_openapi_document(client):
    document = client.get("/openapi.json").get_json()
    schemas = document["components"]["schemas"]
    page = schemas["SyncPage"]

    assert page["properties"]["changes"]["items"] == {"$ref": "#/components/schemas/Change"}
    change = schemas["Change"]
    mapping = change["discriminator"]["mapping"]
    assert change["discriminator"]["propertyName"] == "kind"
    assert set(mapping) == KINDS
    assert change["oneOf"] == [{"$ref": ref} for ref in mapping.values()]
    reads = {
        "profile": "Profile",
        "goal": "Goal",
        "checkIn": "CheckIn",
        "activity": "Activity",
        "meal": "Meal",
        "metric": "Metric",
    }
    for kind, ref in mapping.items():
        per_kind = schemas[ref.rsplit("/", 1)[1]]
        assert per_kind["properties"]["kind"]["enum"] == [kind]
        data = per_kind["properties"]["data"]
        assert data["nullable"] is True
        assert data["allOf"] == [{"$ref": f"#/components/schemas/{reads[kind]}"}]
    operation = document["paths"]["/sync"]["get"]
    assert operation["operationId"] == "listChanges"
    assert {"200", "400", "401", "410"} <= set(operation["responses"])


def json_schema(node):
    """An OpenAPI 3.0 schema as JSON Schema: `nullable: true` becomes "or null"."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: json_schema(value) for key, value in node.items() if key != "nullable"}
    return {"anyOf": [{"type": "null"}, converted]} if node.get("nullable") else converted


def test_pages_match_the_openapi_document(alice, client, clock):
    made = one_of_each(alice)
    clock.settle()
    document = json_schema(client.get("/openapi.json").get_json())
    validator = jsonschema.Draft4Validator({**document, "$ref": "#/components/schemas/SyncPage"})
    first = sync(alice).get_json()
    alice.delete(f"/meals/{made['meal']['mealId']}")
    alice.delete(f"/goals/{made['goal']['goalId']}")
    clock.settle()

    delta = sync(alice, first["next"]).get_json()

    assert {c["kind"] for c in first["changes"]} == KINDS
    assert {(c["kind"], c["op"]) for c in delta["changes"]} == {
        ("meal", "delete"),
        ("goal", "delete"),
        ("checkIn", "delete"),
    }
    for page in (first, delta):
        validator.validate(page)
        for change in page["changes"]:
            with pytest.raises(jsonschema.ValidationError):
                validator.validate({**page, "changes": [{**change, "kind": "other"}]})
