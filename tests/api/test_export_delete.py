"""`GET /me/export` and `DELETE /me`: every kind exported and grouped, 10,000 items exported
completely in pages of at most 1,000 items / 4 MB, tamper-proof cursors; deletion of the
whole partition (and the Cognito user) but the account's tombstone, leaving other users
untouched (tests/api/test_erasure.py follows a deletion further)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from pynamodb.connection.table import TableConnection

from lifestyle_api.accounts import export
from lifestyle_api.db import retry
from tests.support import user_data
from tests.support.cognito import PASSWORD, create_user_pool, gateway_environ, sign_up_and_login
from tests.support.identity import authorizer_environ

GROUPS = ("goals", "checkIns", "activities", "meals", "metrics")
PAGE_BYTES = 4 * 1024 * 1024
# The retry policy's attempts without its waits: these tests count requests, not time.
NO_WAIT_RETRY = retry.WRITE_RETRY._replace(base_delay_seconds=0, max_delay_seconds=0)


@pytest.fixture
def table(app):
    return app.extensions["lifestyle_api.settings"].table_name


def export_all(client, aws_calls=None):
    """Every page of the caller's export, following `nextCursor`."""
    pages, cursor = [], None
    while True:
        if aws_calls is not None:
            aws_calls.reset()
        response = client.get("/me/export", query_string={"cursor": cursor} if cursor else {})
        assert response.status_code == 200, response.json
        if aws_calls is not None:
            assert aws_calls.dynamodb["Query"] == 1
            assert aws_calls.dynamodb_requests <= 2  # plus the profile, when not on the page
        pages.append(response)
        cursor = response.json["nextCursor"]
        if cursor is None:
            return pages


def exported_ids(pages, group, key):
    return [item[key] for page in pages for item in page.json[group]]


def test_export_holds_every_kind_grouped(alice, bob):
    alice.patch("/me", json={"name": "Alice", "timezone": "Europe/Paris"})
    seeded = user_data.every_kind("alice-sub")
    user_data.write(item for items in seeded.values() for item in items)
    user_data.write(user_data.many("bob-sub", 5))

    pages = export_all(alice)
    assert len(pages) == 1
    page = pages[0].json
    assert set(page) == {"profile", *GROUPS, "exportedAt", "nextCursor"}
    assert page["profile"]["name"] == "Alice"
    assert page["profile"]["timezone"] == "Europe/Paris"
    assert page["exportedAt"].endswith("Z")
    assert {group: len(page[group]) for group in GROUPS} == {
        "goals": 1,
        "checkIns": 2,
        "activities": 1,
        "meals": 1,
        "metrics": 1,
    }

    goal = seeded["goals"][0]
    assert page["goals"][0]["goalId"] == goal.goal_id
    assert page["goals"][0]["progress"]["checkInCount"] == 2
    assert page["goals"][0]["schedule"]["frequency"] == "daily"
    assert page["checkIns"][0] == {
        "goalId": goal.goal_id,
        "date": "2026-11-02",
        "value": 1.0,
        "note": "done",
        "createdAt": "2026-11-02T07:30:00Z",
        "updatedAt": "2026-11-02T07:30:00Z",
    }
    activity = seeded["activities"][0]
    assert page["activities"][0] == {
        "activityId": activity.activity_id,
        "type": "run",
        "startedAt": "2026-11-02T07:30:00Z",
        "durationMinutes": 30.0,
        "distanceM": 5000.0,
        "caloriesKcal": None,
        "intensity": "moderate",
        "notes": None,
        "goalId": None,
        "createdAt": "2026-11-02T07:30:00Z",
        "updatedAt": "2026-11-02T07:30:00Z",
    }
    meal = page["meals"][0]
    assert meal["mealId"] == seeded["meals"][0].meal_id
    assert meal["mealType"] == "breakfast"
    assert meal["items"][0]["name"] == "Oats"
    assert meal["items"][0]["caloriesKcal"] == 300
    assert meal["totals"]["proteinG"] == 10
    metric = seeded["metrics"][0]
    assert page["metrics"][0] == {
        "metricId": metric.metric_id,
        "type": "weight",
        "value": 72.46,
        "unit": "kg",
        "recordedAt": "2026-11-02T07:30:00Z",
        "source": {"name": "garmin", "externalId": "w-1"},
        "createdAt": "2026-11-02T07:30:00Z",
    }
    # Internal records (the metric's source marker) are not the user's data to export.
    assert "SOURCE" not in pages[0].get_data(as_text=True)


def test_export_of_a_user_with_nothing(alice):
    page = alice.get("/me/export").json
    assert page["profile"] is None
    assert all(page[group] == [] for group in GROUPS)
    assert page["nextCursor"] is None


@pytest.mark.slow
def test_ten_thousand_items_export_completely(alice, aws_calls):
    alice.get("/me")
    # Metrics: the kind with the fewest attributes, since moto's responses cost per attribute.
    items = [
        user_data.metric("alice-sub", at=user_data.START + timedelta(minutes=index))
        for index in range(10_000)
    ]
    user_data.write(items)

    pages = export_all(alice, aws_calls)
    assert len(pages) >= 10
    for page in pages:
        assert sum(len(page.json[group]) for group in GROUPS) <= 1000
        assert page.json["profile"]["userId"] == "alice-sub"
    ids = exported_ids(pages, "metrics", "metricId")
    assert len(ids) == 10_000
    assert set(ids) == {item.metric_id for item in items}


def test_pages_stay_under_4_mb_when_json_outgrows_the_stored_items(alice):
    # Control characters take 1 byte stored and 6 in JSON (\u0001): one DynamoDB page
    # (1 MB) of such meals would be far over 4 MB of JSON.
    notes = "\u0001" * 190_000
    meals = [user_data.meal("alice-sub", notes=notes) for _ in range(8)]
    user_data.write(meals)

    pages = export_all(alice)
    assert len(pages) >= 3
    for page in pages:
        assert len(page.get_data()) <= PAGE_BYTES
    assert sorted(exported_ids(pages, "meals", "mealId")) == sorted(m.meal_id for m in meals)
    assert all(meal["notes"] == notes for page in pages for meal in page.json["meals"])


@pytest.mark.parametrize("cursor", ["garbage", "a.b", "x" * 2049, ""])
def test_bad_cursors_are_400(alice, cursor):
    response = alice.get("/me/export", query_string={"cursor": cursor})
    assert response.status_code == 400
    assert response.json["error"] == "Validation Error"
    assert "cursor" in response.json["details"]


def test_cursors_are_bound_to_the_caller_and_tamper_proof(alice, bob, monkeypatch):
    monkeypatch.setattr(export, "EXPORT_PAGE_ITEMS", 10)
    user_data.write(user_data.many("alice-sub", 15))
    user_data.write(user_data.many("bob-sub", 3))
    cursor = alice.get("/me/export").json["nextCursor"]
    assert cursor

    foreign = bob.get("/me/export", query_string={"cursor": cursor})
    assert foreign.status_code == 400
    payload, _, signature = cursor.partition(".")
    edited = payload[:-2] + ("AA" if payload[-2:] != "AA" else "BB") + "." + signature
    assert alice.get("/me/export", query_string={"cursor": edited}).status_code == 400
    assert alice.get("/goals", query_string={"cursor": cursor}).status_code == 400
    assert alice.get("/me/export", query_string={"cursor": cursor}).status_code == 200


def test_delete_removes_every_item_of_the_caller_only(alice, bob, table):
    for sub in ("alice-sub", "bob-sub"):
        seeded = user_data.every_kind(sub)
        user_data.write(item for items in seeded.values() for item in items)
        user_data.write(user_data.many(sub, 120))
    alice.get("/me")
    bob.get("/me")
    alice_count = user_data.count_partition(table, "alice-sub")
    bob_count = user_data.count_partition(table, "bob-sub")
    assert alice_count == bob_count == 128

    deleted = alice.delete("/me")
    assert deleted.status_code == 204
    assert deleted.data == b""
    assert user_data.count_partition(table, "alice-sub") == 1  # the tombstone
    assert user_data.count_partition(table, "bob-sub") == bob_count

    # The old identity never reads old data and never gets a new profile.
    assert alice.get("/goals").json["items"] == []
    assert alice.get("/me/export").status_code == 401
    assert alice.get("/me").status_code == 401
    assert bob.get("/me/export").json["metrics"]


def test_delete_if_match(alice, table):
    alice.get("/me")
    user_data.write(user_data.many("alice-sub", 30))
    stale = alice.delete("/me", headers={"If-Match": '"5"'})
    assert stale.status_code == 412
    assert user_data.count_partition(table, "alice-sub") == 31

    assert alice.delete("/me", headers={"If-Match": '"1"'}).status_code == 204
    assert user_data.count_partition(table, "alice-sub") == 1


def test_delete_if_match_without_a_profile(alice, table):
    user_data.write(user_data.many("alice-sub", 3))
    assert alice.delete("/me", headers={"If-Match": '"1"'}).status_code == 412
    assert alice.delete("/me", headers={"If-Match": '"0"'}).status_code == 204
    assert user_data.count_partition(table, "alice-sub") == 1


@pytest.mark.parametrize("if_match", ["0", "W/0", '"0', '"0"' + " " * 254, '"x", 0'])
def test_a_malformed_if_match_never_matches(alice, table, if_match):
    # An ETag is quoted (RFC 9110) and the header at most 256 characters (OpenAPI): "0"
    # unquoted is not the ETag of "no profile yet", and deletes nothing.
    user_data.write(user_data.many("alice-sub", 3))
    assert alice.delete("/me", headers={"If-Match": if_match}).status_code == 412
    assert user_data.count_partition(table, "alice-sub") == 3


def test_unprocessed_items_are_sent_again(alice, table, monkeypatch, aws_calls):
    user_data.write(user_data.many("alice-sub", 60))
    real_batch_write = TableConnection.batch_write_item
    left_over = []

    def process_half_the_first_time(self, *args, delete_items=None, **kwargs):
        if left_over or not delete_items:
            return real_batch_write(self, *args, delete_items=delete_items, **kwargs)
        half = len(delete_items) // 2
        left_over.extend(delete_items[half:])
        real_batch_write(self, *args, delete_items=delete_items[:half], **kwargs)
        table_requests = [{"DeleteRequest": {"Key": key}} for key in delete_items[half:]]
        return {"UnprocessedItems": {table: table_requests}}

    monkeypatch.setattr(TableConnection, "batch_write_item", process_half_the_first_time)
    monkeypatch.setattr(retry, "WRITE_RETRY", NO_WAIT_RETRY)
    aws_calls.reset()
    assert alice.delete("/me").status_code == 204
    assert left_over
    assert user_data.count_partition(table, "alice-sub") == 1
    assert aws_calls.dynamodb["BatchWriteItem"] == 4  # 3 batches of 25, 25, 10 + one resend


def test_items_never_processed_are_503_and_the_account_stays(aws, app, table, monkeypatch):
    pool = create_user_pool()
    settings = app.extensions["lifestyle_api.settings"]
    monkeypatch.setitem(
        app.extensions,
        "lifestyle_api.settings",
        type(settings).from_env({"TABLE_NAME": table, **pool.settings()}, {}),
    )
    tokens = sign_up_and_login(app.test_client(), "ada@example.com")
    caller = app.test_client()
    caller.environ_base.update(gateway_environ(tokens["accessToken"]))
    user_data.write(user_data.many(caller.get("/me").json["userId"], 3))

    def nothing_processed(self, *args, delete_items=None, **kwargs):
        table_requests = [{"DeleteRequest": {"Key": key}} for key in delete_items]
        return {"UnprocessedItems": {table: table_requests}}

    monkeypatch.setattr(TableConnection, "batch_write_item", nothing_processed)
    monkeypatch.setattr(retry, "WRITE_RETRY", NO_WAIT_RETRY)
    response = caller.delete("/me")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "1"
    assert response.json["message"] == "The account could not be deleted completely; try again."
    assert pool.user("ada@example.com") is not None


def test_delete_removes_the_cognito_user(aws, app, table, monkeypatch):
    pool = create_user_pool()
    settings = app.extensions["lifestyle_api.settings"]
    monkeypatch.setitem(
        app.extensions,
        "lifestyle_api.settings",
        type(settings).from_env({"TABLE_NAME": table, **pool.settings()}, {}),
    )
    public = app.test_client()
    tokens = sign_up_and_login(public, "ada@example.com")
    caller = app.test_client()
    caller.environ_base.update(gateway_environ(tokens["accessToken"]))
    caller.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {tokens['accessToken']}"
    sub = caller.get("/me").json["userId"]
    user_data.write(user_data.many(sub, 10))

    assert caller.delete("/me").status_code == 204
    assert pool.user("ada@example.com") is None
    assert user_data.count_partition(table, sub) == 1  # the tombstone
    login = public.post("/auth/login", json={"email": "ada@example.com", "password": PASSWORD})
    assert login.status_code == 401
    # The still-unexpired access token is refused: no profile comes back.
    assert caller.get("/me").status_code == 401


def test_a_claims_only_user_without_a_cognito_user_can_delete(aws, app, monkeypatch):
    pool = create_user_pool()
    settings = app.extensions["lifestyle_api.settings"]
    pool_settings = type(settings).from_env(
        {"TABLE_NAME": settings.table_name, **pool.settings()}, {}
    )
    monkeypatch.setitem(app.extensions, "lifestyle_api.settings", pool_settings)
    carol = app.test_client()
    carol.environ_base.update(
        authorizer_environ("carol-sub", client_id=pool.client_id, iss=pool_settings.jwt_issuer)
    )
    carol.get("/me")
    assert carol.delete("/me").status_code == 204
    assert carol.get("/me/export").status_code == 401


def test_requests_for_a_user_with_1000_items(alice, table, aws_calls):
    alice.patch("/me", json={"timezone": "Europe/Paris"})
    user_data.write(user_data.many("alice-sub", 999))
    assert user_data.count_partition(table, "alice-sub") == 1000
    figures = {}
    for name, call in (
        ("GET /me", lambda: alice.get("/me")),
        ("PATCH /me", lambda: alice.patch("/me", json={"unitSystem": "imperial"})),
        ("DELETE /me", lambda: alice.delete("/me")),
    ):
        aws_calls.reset()
        assert call().status_code < 300
        figures[name] = dict(aws_calls.dynamodb)
    print(json.dumps(figures))
    assert figures == {
        "GET /me": {"GetItem": 1},
        "PATCH /me": {"GetItem": 1, "PutItem": 1},
        # The profile read and replaced by the tombstone, the partition emptied, the
        # tombstone's Cognito username cleared.
        "DELETE /me": {
            "GetItem": 1,
            "PutItem": 1,
            "Query": 1,
            "BatchWriteItem": 40,
            "UpdateItem": 1,
        },
    }
    assert user_data.count_partition(table, "alice-sub") == 1
