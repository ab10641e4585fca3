"""`Idempotency-Key` when requests race: a slow first attempt whose lease ran out while its
retry took the key (it must neither overwrite the retry's stored answer nor delete it), a
claim lost between the conditional write and the read that explains it, the lease and the
record's lifetime to the instant, and what a failure to store or release costs the client.

Races are set up two ways: a slow view on a thread (the request really is still running), or
a conditional write answered "condition failed" at botocore's `before-send` while DynamoDB
holds the record the test put there (another request got in between).
"""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest

from lifestyle_api import idempotency as idempotency_module
from lifestyle_api.db.retry import WRITE_RETRY
from lifestyle_api.goals import service as goals_service
from lifestyle_api.timeutil import utc_now
from tests.support.aws import counting_aws_calls
from tests.support.faults import AwsFaults
from tests.support.resources import goal_body, partition

# Seconds a thread waits for the other side of the race: a bound against hanging, never a
# timing expectation (a busy machine may take a while between the steps).
WAIT_AT_MOST = 120
KEY = "retry-7d1e"
ALICE = "alice-sub"
CLAIM_WRITE = '"IN_PROGRESS"'  # in the claim's PutItem only
STORE_WRITE = '"COMPLETED"'  # in the PutItem that stores the answer only
CONDITION_FAILED = "ConditionalCheckFailedException"


def post_goal(client, body=None):
    return client.post("/goals", json=body or goal_body(), headers={"Idempotency-Key": KEY})


def goals(sub=ALICE):
    return [item for item in partition(sub) if item["_class"] == "GoalItem"]


def stored_record(sub=ALICE):
    [record] = [item for item in partition(sub) if item["_class"] == "IdempotencyItem"]
    return record


class Clock:
    """The idempotency module's clock, set by the test. It starts on a whole second: a
    record's expiry is kept in whole seconds (a TTL attribute)."""

    def __init__(self, monkeypatch) -> None:
        self.now = utc_now().replace(microsecond=0)
        monkeypatch.setattr(idempotency_module, "utc_now", lambda: self.now)

    def move(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


class SlowFirstRequest:
    """The first `POST /goals` waits inside the view until `finish()`; later ones run."""

    def __init__(self, monkeypatch, *, fails: bool = False) -> None:
        self.entered = threading.Event()
        self.released = threading.Event()
        self.fails = fails
        self.response = None
        self._calls = 0
        create_goal = goals_service.create_goal

        def slow_create(*args, **kwargs):
            self._calls += 1
            if self._calls == 1:
                self.entered.set()
                assert self.released.wait(timeout=WAIT_AT_MOST)
                if self.fails:
                    raise RuntimeError("the first attempt breaks after all")
            return create_goal(*args, **kwargs)

        monkeypatch.setattr(goals_service, "create_goal", slow_create)

    def start(self, client) -> None:
        self._thread = threading.Thread(target=self._run, args=(client,))
        self._thread.start()
        assert self.entered.wait(timeout=WAIT_AT_MOST)

    def _run(self, client) -> None:
        self.response = post_goal(client)

    def finish(self):
        self.released.set()
        self._thread.join(timeout=WAIT_AT_MOST)
        return self.response


@pytest.fixture
def slow_first(monkeypatch, make_client):
    first = SlowFirstRequest(monkeypatch)
    yield first
    first.released.set()


def test_a_slow_request_that_lost_its_claim_keeps_the_retrys_answer(
    make_client, alice, clock, slow_first, log_output
):
    slow_first.start(make_client(ALICE))
    # The first attempt is still running when its lease runs out; the retry takes the key.
    clock.move(idempotency_module.LEASE + timedelta(seconds=1))
    retry = post_goal(alice)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers
    stored = stored_record()

    first = slow_first.finish()
    assert first.status_code == 201, "the slow request's own client still gets its answer"
    assert first.json["goalId"] != retry.json["goalId"]
    assert stored_record() == stored, "the slow request must not overwrite the retry's answer"
    replay = post_goal(alice)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json == retry.json
    assert replay.headers["Location"] == retry.headers["Location"]
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    not_stored = [line for line in lines if line["message"] == "Idempotency record not stored"]
    assert [line["condition_failed"] for line in not_stored] == [True]


def test_a_slow_request_that_lost_its_claim_and_failed_leaves_the_retrys_record(
    monkeypatch, make_client, alice, clock, log_output
):
    slow = SlowFirstRequest(monkeypatch, fails=True)
    slow.start(make_client(ALICE))
    try:
        clock.move(idempotency_module.LEASE + timedelta(seconds=1))
        retry = post_goal(alice)
        assert retry.status_code == 201
        stored = stored_record()
    finally:
        first = slow.finish()
    assert first.status_code == 500
    assert stored_record() == stored, "the failed request must not delete the retry's record"
    assert [goal["SK"] for goal in goals()] == [{"S": f"GOAL#{retry.json['goalId']}"}]
    replay = post_goal(alice)
    assert replay.headers["Idempotent-Replayed"] == "true"
    assert replay.json == retry.json
    assert "not released" not in log_output.getvalue(), "losing the claim is not an error"


def test_a_retry_while_the_first_still_holds_its_lease_is_409(
    make_client, alice, clock, slow_first
):
    slow_first.start(make_client(ALICE))
    clock.move(idempotency_module.LEASE - timedelta(microseconds=1))
    busy = post_goal(alice)
    assert busy.status_code == 409
    assert busy.headers["Retry-After"] == "1"
    assert slow_first.finish().status_code == 201
    assert post_goal(alice).headers["Idempotent-Replayed"] == "true"


def test_the_lease_ends_at_its_instant(make_client, alice, clock, slow_first):
    slow_first.start(make_client(ALICE))
    clock.move(idempotency_module.LEASE)
    retry = post_goal(alice)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers
    slow_first.finish()


def test_a_record_lives_until_its_instant(alice, clock):
    first = post_goal(alice)
    clock.move(idempotency_module.RECORD_LIFETIME - timedelta(seconds=1))
    assert post_goal(alice).json == first.json
    clock.move(timedelta(seconds=1))
    fresh = post_goal(alice)
    assert fresh.status_code == 201
    assert "Idempotent-Replayed" not in fresh.headers
    assert fresh.json["goalId"] != first.json["goalId"]


def test_the_record_is_read_consistently(alice):
    post_goal(alice)
    with counting_aws_calls() as calls:
        assert post_goal(alice).headers["Idempotent-Replayed"] == "true"
    [read] = calls.parameters("dynamodb", "GetItem")
    assert read["ConsistentRead"] is True


# A claim lost between the conditional write and the read: the write is refused (another
# request held the key at that instant), then the read finds the key free again.


def fail_claims(faults: AwsFaults, times: int | None = 1):
    return faults.fail(
        "dynamodb", "PutItem", code=CONDITION_FAILED, matching=CLAIM_WRITE, times=times
    )


def test_a_key_released_between_the_write_and_the_read_is_claimed_again(alice):
    with AwsFaults() as faults:
        fail_claims(faults)
        created = post_goal(alice)
    assert created.status_code == 201
    # The refused claim, the claim, the goal, the stored answer.
    assert faults.attempts[("dynamodb", "PutItem")] == 4
    assert len(goals()) == 1
    assert post_goal(alice).headers["Idempotent-Replayed"] == "true"


def test_a_record_that_expired_between_the_write_and_the_read_is_claimed_again(alice, clock):
    stale = post_goal(alice)
    clock.move(idempotency_module.RECORD_LIFETIME)
    with AwsFaults() as faults:
        fail_claims(faults)
        fresh = post_goal(alice, body={**goal_body(), "title": "A new request"})
    assert fresh.status_code == 201
    assert "Idempotent-Replayed" not in fresh.headers
    assert fresh.json["goalId"] != stale.json["goalId"]


def test_a_lease_that_ran_out_between_the_write_and_the_read_is_claimed_again(
    make_client, alice, clock, slow_first
):
    slow_first.start(make_client(ALICE))
    clock.move(idempotency_module.LEASE)
    with AwsFaults() as faults:
        fail_claims(faults)
        retry = post_goal(alice)
    assert retry.status_code == 201
    assert "Idempotent-Replayed" not in retry.headers
    slow_first.finish()


def test_a_key_that_stays_contended_is_409_busy(alice):
    with AwsFaults() as faults:
        fail_claims(faults, times=None)
        busy = post_goal(alice)
    assert busy.status_code == 409
    assert busy.headers["Retry-After"] == "1"
    assert busy.json["message"] == "This Idempotency-Key is busy; retry shortly."
    assert faults.injected[("dynamodb", "PutItem")] == WRITE_RETRY.attempts
    assert partition(ALICE) == []


def test_a_claim_write_that_fails_otherwise_is_an_error_not_a_retry(alice):
    with AwsFaults() as faults:
        faults.fail("dynamodb", "PutItem", code="ValidationException", matching=CLAIM_WRITE)
        refused = post_goal(alice)
    assert refused.status_code >= 500
    assert faults.injected[("dynamodb", "PutItem")] == 1
    assert partition(ALICE) == []


# What failing to keep or give back the key costs: never the response itself.


def test_an_answer_that_cannot_be_stored_is_still_sent_and_the_key_waits_for_its_lease(
    alice, clock, log_output
):
    with AwsFaults() as faults:
        faults.fail(
            "dynamodb", "PutItem", code="InternalServerError", status=500, matching=STORE_WRITE
        )
        created = post_goal(alice)
    assert created.status_code == 201
    assert created.json["title"] == goal_body()["title"]
    lines = [json.loads(line) for line in log_output.getvalue().splitlines()]
    not_stored = [line for line in lines if line["message"] == "Idempotency record not stored"]
    assert [line["condition_failed"] for line in not_stored] == [False]

    assert post_goal(alice).status_code == 409  # the claim holds the key until its lease ends
    clock.move(idempotency_module.LEASE)
    assert post_goal(alice).status_code == 201


def test_a_key_that_cannot_be_released_waits_for_its_lease(alice, clock, log_output):
    with AwsFaults() as faults:
        faults.fail("dynamodb", "DeleteItem", code="InternalServerError", status=500)
        refused = post_goal(alice, body={"title": ""})
    assert refused.status_code == 400
    assert "Idempotency record not released" in log_output.getvalue()

    assert post_goal(alice, body={"title": ""}).status_code == 409
    clock.move(idempotency_module.LEASE)
    assert post_goal(alice, body={"title": ""}).status_code == 400
