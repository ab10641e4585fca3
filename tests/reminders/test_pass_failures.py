"""A pass meeting DynamoDB failures: one user's failure does not cost the others their
reminders; the scheduled invocation then fails so that it is retried for the same instant,
and the retry finishes the pass without sending anything twice."""

from __future__ import annotations

import pytest

from lifestyle_api.reminders.service import PassIncomplete, run_reminders_task
from tests.support.faults import AwsFaults
from tests.support.reminders import (
    add_habit,
    pushed_messages,
    register_device,
    set_profile,
    stored_notifications,
    utc,
)

ALICE, BOB = "alice-sub", "bob-sub"
EIGHT = utc(2026, 11, 26, 8, 0)


@pytest.fixture
def both_reminded(alice, bob):
    tokens = {}
    for sub, client in ((ALICE, alice), (BOB, bob)):
        set_profile(client, "UTC")
        add_habit(client, reminder="08:00")
        tokens[sub] = register_device(client)
    return tokens


def test_one_users_failure_leaves_the_others_reminded_and_the_retry_finishes(app, both_reminded):
    settings = app.extensions["lifestyle_api.settings"]
    event = {"task": "run-reminders", "at": "2026-11-26T08:00:00Z"}

    with AwsFaults() as faults:
        # Every attempt at reading Bob's devices fails, as a long throttling would.
        faults.fail(
            "dynamodb", "Query", code="InternalServerError", status=500, matching=f"USER#{BOB}"
        )
        with pytest.raises(PassIncomplete):
            run_reminders_task(event, settings)

    assert [n.day.isoformat() for n in stored_notifications(ALICE)] == ["2026-11-26"]
    assert stored_notifications(BOB) == []

    retried = run_reminders_task(event, settings)

    assert (retried["reminder"], retried["already_sent"]) == (1, 1)
    assert len(stored_notifications(BOB)) == 1
    assert {sub: len(pushed_messages()[token]) for sub, token in both_reminded.items()} == {
        ALICE: 1,
        BOB: 1,
    }
