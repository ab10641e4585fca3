"""DynamoDB throttling, service errors and an unreachable endpoint, injected below the SDK's
retries: after PynamoDB's bounded retries every route answers 503 with `Retry-After` and
the envelope, never a 500, and stores nothing half-done."""

from __future__ import annotations

import json
from datetime import date

import pytest
from flask import jsonify

from lifestyle_api.db import transact_write
from lifestyle_api.db.base import MAX_RETRY_ATTEMPTS
from lifestyle_api.goals.models import GoalItem
from tests.support.faults import AwsFaults
from tests.support.required_routes import require_route
from tests.support.resources import (
    LIST_QUERIES,
    Resources,
    check_in_body,
    days_ago,
    goal_body,
    partition,
    valid_body,
)
from tests.support.routes import Route, app_routes, request_schema

ALICE = "alice-sub"
ATTEMPTS = 1 + MAX_RETRY_ATTEMPTS
RETRIED_ERRORS = [
    ("ProvisionedThroughputExceededException", 400),
    ("ThrottlingException", 400),
    ("RequestLimitExceeded", 400),
    ("InternalServerError", 500),
    ("ServiceUnavailable", 503),
]


@pytest.fixture
def faults():
    with AwsFaults() as injector:
        yield injector


def assert_unavailable(response) -> None:
    assert response.status_code == 503, response.get_json()
    assert response.headers["Retry-After"] == "1"
    body = response.get_json()
    assert body["error"] == "Service Unavailable"
    assert body["message"] == "A service the API depends on is unavailable; try again shortly."
    assert body["requestId"] == response.headers["X-Request-Id"]
    assert "Injected" not in response.get_data(as_text=True)


def goal_url(client) -> str:
    return f"/goals/{Resources(client).create('goal_id', {})}"


# (how to call it, given a goal of Alice's; the DynamoDB operation that fails)
REQUESTS = {
    "read": (lambda c, url: c.get(url), "BatchGetItem"),
    "list": (lambda c, _url: c.get("/goals"), "Query"),
    "write": (lambda c, _url: c.post("/goals", json=goal_body()), "PutItem"),
    "update-read": (lambda c, url: c.patch(url, json={"title": "New"}), "GetItem"),
    "update-write": (lambda c, url: c.patch(url, json={"title": "New"}), "PutItem"),
    "delete": (lambda c, url: c.delete(url), "TransactWriteItems"),
    "idempotency-claim": (
        lambda c, _url: c.post("/goals", json=goal_body(), headers={"Idempotency-Key": "k"}),
        "PutItem",
    ),
}


# Throttling on every kind of request, and every retried error on a read.
CASES = [(kind, *RETRIED_ERRORS[0]) for kind in sorted(REQUESTS)] + [
    ("read", code, status) for code, status in RETRIED_ERRORS[1:]
]


@pytest.mark.parametrize(("kind", "code", "status"), CASES)
def test_retried_errors_end_in_503_after_bounded_retries(alice, faults, kind, code, status):
    call, operation = REQUESTS[kind]
    url = goal_url(alice)
    before = partition(ALICE)
    faults.fail("dynamodb", operation, code=code, status=status)

    response = call(alice, url)

    assert_unavailable(response)
    assert faults.injected[("dynamodb", operation)] == ATTEMPTS
    faults.clear()
    assert partition(ALICE) == before


def test_a_short_throttle_is_absorbed_by_the_sdk_retries(alice, faults):
    faults.fail(
        "dynamodb", "PutItem", code="ProvisionedThroughputExceededException", status=400, times=2
    )
    response = alice.post("/goals", json=goal_body())
    assert response.status_code == 201
    assert faults.attempts[("dynamodb", "PutItem")] == 3
    assert alice.get(response.headers["Location"]).status_code == 200


def test_an_unreachable_endpoint_is_503(alice, faults):
    url = goal_url(alice)
    faults.unreachable("dynamodb")
    assert_unavailable(alice.get(url))
    assert faults.injected[("dynamodb", "BatchGetItem")] == ATTEMPTS


@pytest.mark.parametrize("operation", ["BatchGetItem", "GetItem", "PutItem", "TransactWriteItems"])
def test_a_read_timeout_is_503_whichever_call_times_out(alice, faults, operation):
    """botocore's read timeout carries no AWS answer (its `response` is None), unlike
    AWS's own errors; the envelope still knows what it means."""
    goal_id = Resources(alice).create("goal_id", {})
    faults.times_out("dynamodb", operation)
    requests = {
        "BatchGetItem": lambda: alice.get(f"/goals/{goal_id}"),
        "GetItem": lambda: alice.get("/me"),
        "PutItem": lambda: alice.post("/goals", json=goal_body()),
        "TransactWriteItems": lambda: alice.post(
            f"/goals/{goal_id}/check-ins", json=check_in_body({})
        ),
    }
    assert_unavailable(requests[operation]())
    assert faults.injected[("dynamodb", operation)] == ATTEMPTS


def test_an_unexpected_aws_error_is_a_bare_500(alice, faults):
    faults.fail("dynamodb", "Query", code="ValidationException", status=400)
    response = alice.get("/goals")
    assert response.status_code == 500
    assert response.get_json()["message"] == "Internal server error."
    assert "Injected" not in response.get_data(as_text=True)
    assert faults.injected[("dynamodb", "Query")] == 1  # not retried


def test_a_failed_idempotent_request_gives_its_key_back(alice, faults):
    body = {**goal_body(), "startDate": days_ago(3)}
    # The claim goes through; the goal's own write is throttled until the SDK gives up.
    faults.fail("dynamodb", "PutItem", code="ThrottlingException", matching='"GOAL#')
    response = alice.post("/goals", json=body, headers={"Idempotency-Key": "key-1"})
    assert_unavailable(response)
    assert faults.injected[("dynamodb", "PutItem")] == ATTEMPTS
    assert partition(ALICE) == []  # no goal, and the claim was released

    faults.clear()
    retried = alice.post("/goals", json=body, headers={"Idempotency-Key": "key-1"})
    assert retried.status_code == 201
    assert "Idempotent-Replayed" not in retried.headers


def test_a_key_that_cannot_be_given_back_is_logged_and_freed_by_its_lease(
    alice, faults, log_output
):
    body = {**goal_body(), "startDate": days_ago(3)}
    faults.fail("dynamodb", "PutItem", code="ThrottlingException", matching='"GOAL#')
    faults.fail("dynamodb", "DeleteItem", code="ThrottlingException", matching="IDEMPOTENCY#")
    response = alice.post("/goals", json=body, headers={"Idempotency-Key": "key-1"})
    assert_unavailable(response)
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    assert {
        (line["level"], line["message"])
        for line in lines
        if line["message"].startswith("Idempotency record")
    } == {("WARNING", "Idempotency record not released; its lease will free the key")}

    faults.clear()
    busy = alice.post("/goals", json=body, headers={"Idempotency-Key": "key-1"})
    assert busy.status_code == 409  # the claim stands until its lease runs out


# Transactions: on a route that writes one (check-ins), and on a minimal view of our own so
# the mapping is proven whichever features exist.

TRANSACTION_ERRORS = [
    # (injected code, HTTP status of the fault, extra body, expected answer, SDK attempts)
    ("ProvisionedThroughputExceededException", 400, {}, 503, ATTEMPTS),
    ("TransactionInProgressException", 400, {}, 503, ATTEMPTS),
    ("InternalServerError", 500, {}, 503, ATTEMPTS),
    (
        "TransactionCanceledException",
        400,
        {"CancellationReasons": [{"Code": "ThrottlingError"}, {"Code": "None"}]},
        503,
        1,
    ),
    (
        "TransactionCanceledException",
        400,
        {"CancellationReasons": [{"Code": "None"}, {"Code": "TransactionConflict"}]},
        409,
        1,
    ),
    (
        "TransactionCanceledException",
        400,
        {"CancellationReasons": [{"Code": "ConditionalCheckFailed"}, {"Code": "None"}]},
        409,
        1,
    ),
]


@pytest.fixture
def transaction_route(app):
    """POST /test-transaction: two goals in one TransactWrite, as features write pairs."""

    def write_pair():
        first = GoalItem(*GoalItem.key(ALICE, "01JD000000000000000000000A"), **_goal_fields())
        second = GoalItem(*GoalItem.key(ALICE, "01JD000000000000000000000B"), **_goal_fields())
        with transact_write() as transaction:
            transaction.save(first)
            transaction.save(second)
        return jsonify({"written": 2}), 201

    app.add_url_rule("/test-transaction", "test_transaction", write_pair, methods=["POST"])
    return "/test-transaction"


def _goal_fields():
    return {
        "goal_id": "x",
        "title": "t",
        "category": "other",
        "goal_type": "habit",
        "status": "active",
        "start_date": date(2026, 1, 1),
    }


@pytest.mark.parametrize(
    ("code", "status", "extra", "expected", "attempts"),
    TRANSACTION_ERRORS,
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_transaction_faults(
    alice, faults, transaction_route, code, status, extra, expected, attempts
):
    faults.fail("dynamodb", "TransactWriteItems", code=code, status=status, **extra)
    response = alice.post(transaction_route, json={})
    assert response.status_code == expected, response.get_json()
    if expected == 503:
        assert_unavailable(response)
    assert faults.injected[("dynamodb", "TransactWriteItems")] == attempts
    faults.clear()
    assert partition(ALICE) == []
    assert alice.post(transaction_route, json={}).status_code == 201


@pytest.mark.parametrize(
    ("code", "status", "extra", "expected", "attempts"),
    TRANSACTION_ERRORS[:1] + TRANSACTION_ERRORS[3:4],
)
def test_check_in_transaction_faults(app, alice, faults, code, status, extra, expected, attempts):
    require_route(app, "POST", "/goals/<ulid:goal_id>/check-ins")
    goal_id = Resources(alice).create("goal_id", {})
    before = partition(ALICE)
    faults.fail("dynamodb", "TransactWriteItems", code=code, status=status, **extra)
    response = alice.post(f"/goals/{goal_id}/check-ins", json=check_in_body({}))
    assert_unavailable(response)
    assert faults.injected[("dynamodb", "TransactWriteItems")] == attempts
    faults.clear()
    assert partition(ALICE) == before


CHECK_INS_DELETE = [
    # (the check-ins' transaction fails once with; the goal's DELETE answers)
    ({"CancellationReasons": [{"Code": "TransactionConflict"}, {"Code": "None"}]}, 204),
    ({"CancellationReasons": [{"Code": "ThrottlingError"}, {"Code": "None"}]}, 503),
]


def goal_whose_check_ins_delete_fails_once(alice, faults, cancellation: dict) -> str:
    """A goal of Alice's with one check-in, whose check-ins' delete transaction fails once
    with `cancellation`."""
    goal_id = Resources(alice).create("goal_id", {})
    assert alice.post(f"/goals/{goal_id}/check-ins", json=check_in_body({})).status_code == 201
    faults.fail(
        "dynamodb",
        "TransactWriteItems",
        code="TransactionCanceledException",
        times=1,
        matching='"CHECKIN#',
        **cancellation,
    )
    return goal_id


@pytest.mark.parametrize(("extra", "expected"), CHECK_INS_DELETE, ids=["conflict", "throttled"])
def test_a_goals_check_ins_delete_retries_a_conflict_and_not_a_fault(
    app, alice, faults, extra, expected
):
    """Another transaction holding a check-in is read again and retried; a throttled
    transaction is a 503."""
    goal_id = goal_whose_check_ins_delete_fails_once(alice, faults, extra)
    response = alice.delete(f"/goals/{goal_id}")
    assert response.status_code == expected, response.get_json()
    assert faults.injected[("dynamodb", "TransactWriteItems")] == 1
    if expected == 503:
        assert_unavailable(response)
        return
    assert not [item for item in partition(ALICE) if item["SK"]["S"].startswith("CHECKIN#")]


def test_a_goal_delete_stopped_before_its_check_ins_is_finished_by_the_retry(alice, faults):
    """The goal goes first; when its check-ins' batch then fails, the client's retry (which
    finds the goal gone: 404) deletes the check-ins left behind, each with its tombstone."""
    goal_id = goal_whose_check_ins_delete_fails_once(alice, faults, CHECK_INS_DELETE[1][0])
    assert alice.delete(f"/goals/{goal_id}").status_code == 503
    assert [item for item in partition(ALICE) if item["SK"]["S"].startswith("CHECKIN#")]

    retry = alice.delete(f"/goals/{goal_id}")

    assert retry.status_code == 404, retry.get_json()
    assert not [item for item in partition(ALICE) if item["SK"]["S"].startswith("CHECKIN#")]
    deleted = [item["SK"]["S"] for item in partition(ALICE) if item["SK"]["S"].startswith("TOMB")]
    assert any(f"CHECKIN#{goal_id}#" in sk for sk in deleted), deleted


# Every route, under a complete DynamoDB outage.

OUTAGE_ROUTES = [route for route in app_routes() if not route.public]


@pytest.mark.parametrize("route", OUTAGE_ROUTES, ids=str)
def test_every_route_answers_503_in_a_dynamodb_outage(alice, faults, route: Route):
    url, params = Resources(alice).fill(route)
    body = valid_body(route, params) if request_schema(route) else None  # logout takes none
    faults.fail("dynamodb", code="ServiceUnavailable", status=503)

    response = alice.open(
        url, method=route.method, json=body, query_string=LIST_QUERIES.get(route.shape)
    )

    if faults.total_injected:
        assert_unavailable(response)
    else:  # a route that needs no DynamoDB (signing out, for instance) is unaffected
        assert response.status_code < 500, response.get_json()
