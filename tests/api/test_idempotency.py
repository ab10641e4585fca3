"""`Idempotency-Key` (API.md "Conventions"): replay, 422 on reuse, 409 while running, leases,
expiry, scoping to the caller, failed requests, and the DynamoDB requests it costs."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import timedelta

import pytest

from lifestyle_api import idempotency
from lifestyle_api.db.keys import idempotency_sk, user_pk
from lifestyle_api.idempotency import IdempotencyItem
from lifestyle_api.timeutil import utc_now
from tests.support.required_routes import require_route
from tests.support.resources import Resources, goal_body, partition, valid_body
from tests.support.routes import Route, app_routes, idempotent_routes, openapi_operation

# Seconds a thread waits for the other side of the race: a bound against hanging, never a
# timing expectation (a busy machine may take a while between the steps).
WAIT_AT_MOST = 120
KEY = "retry-3f9c1c2e"
ALICE = "alice-sub"


def post_goal(client, body=None, key=KEY, **kwargs):
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post("/goals", json=body or goal_body(), headers=headers, **kwargs)


def records(sub):
    return [item for item in partition(sub) if item["_class"] == "IdempotencyItem"]


def move_clock(monkeypatch, delta: timedelta, start=None) -> None:
    """The idempotency clock at `start` (now, by default) plus `delta`."""
    start = start or utc_now()
    monkeypatch.setattr(idempotency, "utc_now", lambda: start + delta)


@pytest.mark.parametrize("route", sorted(idempotent_routes()), ids=" ".join)
def test_each_idempotent_route_replays_the_first_response(app, alice, route):
    method, rule = route
    require_route(app, method, rule)
    target = Route(method, rule)
    url, params = Resources(alice).fill(target)
    body = valid_body(target, params)

    first = alice.open(url, method=method, json=body, headers={"Idempotency-Key": KEY})
    assert first.status_code in (200, 201), first.get_json()
    assert "Idempotent-Replayed" not in first.headers
    stored = partition(ALICE)

    again = alice.open(url, method=method, json=body, headers={"Idempotency-Key": KEY})
    assert again.status_code == first.status_code
    assert again.get_json() == first.get_json()
    assert again.headers.get("Location") == first.headers.get("Location")
    assert again.headers.get("ETag") == first.headers.get("ETag")
    assert again.headers["Idempotent-Replayed"] == "true"
    assert partition(ALICE) == stored, "a replay must create or change nothing"

    other = alice.open(
        url, method=method, json={**body, "unexpected": 1}, headers={"Idempotency-Key": KEY}
    )
    assert other.status_code == 422
    assert other.get_json()["error"] == "Unprocessable Entity"
    assert partition(ALICE) == stored


def test_replay_carries_status_body_location_and_etag(alice):
    first = post_goal(alice)
    assert first.status_code == 201
    replay = post_goal(alice)
    assert replay.status_code == 201
    assert replay.json == first.json
    assert (
        replay.headers["Location"]
        == first.headers["Location"]
        == (f"/goals/{first.json['goalId']}")
    )
    assert replay.headers["ETag"] == first.headers["ETag"] == '"1"'
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.headers["Content-Type"] == "application/json"
    assert replay.headers["X-Request-Id"] != first.headers["X-Request-Id"]
    assert [g["goalId"] for g in alice.get("/goals").json["items"]] == [first.json["goalId"]]


def test_the_body_is_compared_canonically(alice):
    body = goal_body()
    first = alice.post("/goals", json=body, headers={"Idempotency-Key": KEY})
    reordered = dict(reversed(list(body.items())))
    spaced = alice.post(
        "/goals",
        data=json.dumps(reordered, indent=4),
        content_type="application/json",
        headers={"Idempotency-Key": KEY},
    )
    assert spaced.status_code == 201
    assert spaced.headers["Idempotent-Replayed"] == "true"
    assert spaced.json == first.json


def test_a_key_reused_for_another_body_is_422(alice):
    post_goal(alice, key="k1")
    reused = post_goal(alice, body={**goal_body(), "title": "Another goal"}, key="k1")
    assert reused.status_code == 422
    assert reused.json["message"] == (
        "This Idempotency-Key was already used with another request; "
        "use a new key for a new request."
    )


@pytest.mark.parametrize("key", ["", "x" * 256])
def test_key_length_is_1_to_255(alice, key):
    response = post_goal(alice, key=key)
    assert response.status_code == 400
    assert response.json["details"] == {"Idempotency-Key": ["Give between 1 and 255 characters."]}
    assert partition(ALICE) == []


@pytest.mark.parametrize("key", ["k", "x" * 255, "ключ-#%/\\ 1"])
def test_keys_of_any_characters_within_the_limit(alice, key):
    assert post_goal(alice, key=key.encode().decode("latin-1")).status_code == 201
    replay = post_goal(alice, key=key.encode().decode("latin-1"))
    assert replay.headers["Idempotent-Replayed"] == "true"


def test_keys_are_scoped_to_the_caller_and_live_in_their_partition(alice, bob):
    mine = post_goal(alice)
    theirs = post_goal(bob)
    assert theirs.status_code == 201
    assert "Idempotent-Replayed" not in theirs.headers
    assert theirs.json["goalId"] != mine.json["goalId"]

    [record] = records(ALICE)
    assert record["PK"] == {"S": user_pk(ALICE)}
    assert record["SK"] == {"S": idempotency_sk(hashlib.sha256(KEY.encode()).hexdigest())}
    assert KEY not in str(record), "the key itself is not stored, only its hash"
    lifetime = int(record["expiresAt"]["N"]) - int(utc_now().timestamp())
    assert timedelta(hours=23, minutes=59) < timedelta(seconds=lifetime) <= timedelta(hours=24)
    assert len(records("bob-sub")) == 1


def test_a_refused_request_does_not_keep_its_key(alice):
    refused = post_goal(alice, body={"title": ""})
    assert refused.status_code == 400
    assert records(ALICE) == []
    accepted = post_goal(alice, body={"title": "A different body"})
    assert accepted.status_code == 201
    assert "Idempotent-Replayed" not in accepted.headers


def test_a_crashed_view_does_not_keep_its_key(alice, monkeypatch):
    def explode(*_args, **_kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr("lifestyle_api.goals.service.create_goal", explode)
    failed = post_goal(alice)
    assert failed.status_code == 500
    assert records(ALICE) == []
    monkeypatch.undo()
    assert post_goal(alice).status_code == 201


def test_while_the_first_is_running_the_key_is_409(app, alice, monkeypatch):
    from lifestyle_api.goals import service

    entered, release = threading.Event(), threading.Event()
    create_goal = service.create_goal

    def slow_create(*args, **kwargs):
        entered.set()
        assert release.wait(timeout=WAIT_AT_MOST)
        return create_goal(*args, **kwargs)

    monkeypatch.setattr(service, "create_goal", slow_create)
    results = {}
    first = threading.Thread(target=lambda: results.update(first=post_goal(alice)))
    first.start()
    try:
        assert entered.wait(timeout=WAIT_AT_MOST)
        busy = post_goal(alice)
        assert busy.status_code == 409
        assert busy.headers["Retry-After"] == "1"
        assert busy.json["message"] == (
            "A request with this Idempotency-Key is still being processed; retry shortly."
        )
        other = post_goal(alice, body={"title": "Something else"})
        assert other.status_code == 422
    finally:
        release.set()
        first.join(timeout=WAIT_AT_MOST)
    assert results["first"].status_code == 201
    replay = post_goal(alice)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json == results["first"].json


def test_a_crashed_attempt_frees_the_key_when_its_lease_ends(alice, monkeypatch):
    # A request that claimed the key and then died (no response, no cleanup).
    path_fingerprint = idempotency.fingerprint("POST", "/goals", json.dumps(goal_body()).encode())
    claimed_at = utc_now()
    idempotency.claim(ALICE, KEY, path_fingerprint, now=claimed_at)

    # The clock moves from the claim, not from whenever the next request happens to run.
    move_clock(monkeypatch, timedelta(0), start=claimed_at)
    assert post_goal(alice).status_code == 409
    move_clock(monkeypatch, idempotency.LEASE - timedelta(seconds=1), start=claimed_at)
    assert post_goal(alice).status_code == 409
    move_clock(monkeypatch, idempotency.LEASE + timedelta(seconds=1), start=claimed_at)
    retried = post_goal(alice)
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers
    assert post_goal(alice).headers["Idempotent-Replayed"] == "true"


def test_records_expire_after_24_hours_even_before_ttl_deletes_them(alice, monkeypatch):
    created_at = utc_now()
    move_clock(monkeypatch, timedelta(0), start=created_at)
    first = post_goal(alice)
    move_clock(monkeypatch, idempotency.RECORD_LIFETIME - timedelta(minutes=1), start=created_at)
    assert post_goal(alice).headers["Idempotent-Replayed"] == "true"
    assert post_goal(alice, body={"title": "Other"}).status_code == 422

    move_clock(monkeypatch, idempotency.RECORD_LIFETIME + timedelta(seconds=1), start=created_at)
    assert len(records(ALICE)) == 1  # still stored: TTL deletion lags
    fresh = post_goal(alice, body={"title": "Other"})
    assert fresh.status_code == 201
    assert "Idempotent-Replayed" not in fresh.headers
    assert fresh.json["goalId"] != first.json["goalId"]


def test_routes_outside_the_set_ignore_the_header(alice):
    goal = post_goal(alice, key=None).json
    url = f"/goals/{goal['goalId']}"
    for version in (2, 3):
        patched = alice.patch(url, json={"title": "Same"}, headers={"Idempotency-Key": KEY})
        assert patched.status_code == 200
        assert patched.headers["ETag"] == f'"{version}"'
        assert "Idempotent-Replayed" not in patched.headers
    assert records(ALICE) == []


def test_dynamodb_requests_it_adds(alice, aws_calls):
    body = {**goal_body(), "startDate": "2026-01-01"}
    post_goal(alice, body=body, key=None)
    assert dict(aws_calls.dynamodb) == {"PutItem": 1}

    aws_calls.reset()
    post_goal(alice, body=body)
    assert dict(aws_calls.dynamodb) == {"PutItem": 3}  # claim, the goal, the stored response

    aws_calls.reset()
    post_goal(alice, body=body)
    assert dict(aws_calls.dynamodb) == {"PutItem": 1, "GetItem": 1}  # failed claim, read

    aws_calls.reset()
    post_goal(alice, body={"title": ""}, key="other")
    assert dict(aws_calls.dynamodb) == {"PutItem": 1, "DeleteItem": 1}  # claim, release


def test_every_authenticated_create_is_idempotent_and_documented():
    creates = [
        route
        for route in app_routes()
        if route.method == "POST"
        and not route.public
        and "201" in ((openapi_operation(route) or {}).get("responses") or {})
    ]
    assert creates, "POST /goals at least"
    for route in creates:
        assert route.idempotent, f"{route} creates something: declare its view @idempotent"
    for route in app_routes():
        if route.idempotent:
            parameters = (openapi_operation(route) or {}).get("parameters", [])
            assert {"in": "header", "name": "Idempotency-Key"}.items() <= next(
                p for p in parameters if p["name"] == "Idempotency-Key"
            ).items()
            assert {"409", "422"} <= set(openapi_operation(route)["responses"])


def test_record_is_an_idempotency_item(alice, monkeypatch):
    claimed_at = utc_now().replace(microsecond=0)
    move_clock(monkeypatch, timedelta(0), start=claimed_at)
    post_goal(alice)
    item = IdempotencyItem.get(*IdempotencyItem.key(ALICE, KEY))
    assert item.state == idempotency.COMPLETED
    assert item.response_status == 201
    assert item.created_at == claimed_at
    assert item.lease_expires_at == claimed_at + idempotency.LEASE
    assert item.expires_at == claimed_at + idempotency.RECORD_LIFETIME


def test_a_response_without_body_or_headers_replays_as_it_was(alice):
    request = idempotency.fingerprint("POST", "/goals", b"{}")
    record = idempotency.claim(ALICE, KEY, request)
    idempotency.complete(record, 204, "", {})
    assert idempotency.claim(ALICE, KEY, request) == idempotency.Replay(204, "", {})


def test_fingerprint_ignores_key_order_and_whitespace_but_not_path_or_content():
    fingerprint = idempotency.fingerprint
    assert fingerprint("POST", "/goals", b'{"a":1,"b":[2]}') == fingerprint(
        "POST", "/goals", b'{ "b": [2],\n "a": 1 }'
    )
    assert fingerprint("POST", "/goals", b'{"a":1}') != fingerprint("POST", "/meals", b'{"a":1}')
    assert fingerprint("POST", "/goals", b'{"a":1}') != fingerprint("POST", "/goals", b'{"a":2}')
    deep = b"[" * 100_000 + b"]" * 100_000  # not parseable: compared as bytes
    assert fingerprint("POST", "/goals", deep) == fingerprint("POST", "/goals", deep)
    assert fingerprint("POST", "/goals", deep) != fingerprint("POST", "/goals", b"[]")


def test_the_fingerprint_is_stable_across_deployments():
    # A record lives 24 hours, through deployments: the next version must compute the same
    # fingerprint for the same request, or a retry after a deployment would be a 422.
    body = '{"title": "Läufe", "category": "fitness"}'.encode()
    assert idempotency.fingerprint("POST", "/goals", body) == (
        "6969dfe56a974eb774f645e014b951f1afd133ff16aa82b8bdf3ac7cfa9b203a"
    )
    assert idempotency.fingerprint("POST", "/goals", b"not json") == (
        "994d66aaa46113f441cabb388035b38f76533a5d952298f06a2fdb5559a9b9b5"
    )


def test_a_request_that_fails_after_its_view_does_not_keep_its_key(app, alice):
    # A response hook that runs after the view (and before the one that stores the answer)
    # breaks, on the answer and again on the error answer: the key is released on teardown.
    failures = []
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as on AWS: the client gets a 500

    @app.after_request
    def broken_hook(response):
        if not failures:
            failures.append(response.status_code)
        raise RuntimeError("a broken response hook")

    failed = post_goal(alice)
    assert failed.status_code == 500
    assert failures == [201]
    assert records(ALICE) == []
