"""The reminders pass as EventBridge Scheduler runs it: `{"task": "run-reminders", "at":
<scheduled time>, "shards": [...]}` through `wsgi.handler`, the same function that answers
HTTP; a retried invocation (same scheduled time) sends nothing twice."""

from __future__ import annotations

import pytest

from lifestyle_api.db.keys import status_shard
from lifestyle_api.reminders.service import InvalidTaskEvent
from tests.support.events import make_v2_event
from tests.support.reminders import stored_notifications

ALICE = "alice-sub"


@pytest.fixture
def alice_reminded(lambda_handler, bearer):
    """Alice (through HTTP events) in Kathmandu with a habit reminded at 08:00."""
    auth = bearer(ALICE)
    for method, path, body in [
        ("PATCH", "/me", {"timezone": "Asia/Kathmandu"}),
        (
            "POST",
            "/goals",
            {"title": "Stretch", "startDate": "2026-01-01", "reminder": {"time": "08:00"}},
        ),
    ]:
        response = lambda_handler(make_v2_event(method, path, body=body, headers=auth))
        assert response["statusCode"] in (200, 201), response["body"]


def scheduled(at: str, *shards: int) -> dict:
    event = {"task": "run-reminders", "at": at}
    if shards:
        event["shards"] = list(shards)
    return event


def test_the_scheduled_pass_sends_what_fell_due_at_its_scheduled_time(
    lambda_handler, alice_reminded
):
    result = lambda_handler(scheduled("2026-11-26T02:15:00Z", status_shard(ALICE)))

    assert result["task"] == "run-reminders"
    assert result["at"] == "2026-11-26T02:15:00Z"
    assert (result["shards"], result["reminder"]) == (1, 1)
    (notification,) = stored_notifications(ALICE)
    assert notification.title == "Stretch"


def test_a_retried_invocation_sends_nothing_twice(lambda_handler, alice_reminded):
    first = lambda_handler(scheduled("2026-11-26T02:15:00Z"))
    retried = lambda_handler(scheduled("2026-11-26T02:15:00Z"))

    assert first["shards"] == 16
    assert (first["reminder"], retried["already_sent"]) == (1, 1)
    assert "reminder" not in retried
    assert len(stored_notifications(ALICE)) == 1


def test_another_shard_does_not_send_it(lambda_handler, alice_reminded):
    other = (status_shard(ALICE) + 1) % 16

    result = lambda_handler(scheduled("2026-11-26T02:15:00Z", other))

    assert result["users"] == 0
    assert stored_notifications(ALICE) == []


@pytest.mark.parametrize(
    "event",
    [
        {"task": "run-reminders", "at": "2026-11-26T02:15:00"},
        {"task": "run-reminders", "at": "soon"},
        {"task": "run-reminders", "shards": [16]},
        {"task": "run-reminders", "shards": ["1"]},
    ],
)
def test_a_malformed_event_fails_the_invocation_and_sends_nothing(
    lambda_handler, alice_reminded, event
):
    with pytest.raises(InvalidTaskEvent):
        lambda_handler(event)

    assert stored_notifications(ALICE) == []
