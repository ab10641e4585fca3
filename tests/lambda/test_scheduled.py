"""Scheduled events (`{"task": …}` from EventBridge Scheduler) through `wsgi.handler`: the
task named runs with the app's settings; HTTP events still go to the app."""

from __future__ import annotations

import pytest

from lifestyle_api import scheduled
from lifestyle_api.scheduled import UnknownTask, is_scheduled_task
from tests.support.events import make_v2_event


@pytest.fixture
def echo_task(monkeypatch):
    monkeypatch.setitem(scheduled.TASKS, "echo", "tests.support.tasks:echo")


def test_a_scheduled_event_runs_its_task_with_the_apps_settings(lambda_handler, echo_task):
    result = lambda_handler({"task": "echo", "value": 42})
    assert result == {"task": "echo", "echoed": 42, "table": "lifestyle-test"}


def test_an_unknown_task_fails_the_invocation(lambda_handler):
    with pytest.raises(UnknownTask):
        lambda_handler({"task": "no-such-task"})


def test_http_events_are_never_taken_for_tasks(lambda_handler, echo_task):
    event = make_v2_event("GET", "/health")
    event["task"] = "echo"
    assert not is_scheduled_task(event)
    assert lambda_handler(event)["statusCode"] == 200


@pytest.mark.parametrize("event", [None, [], "task", {"detail": {}}])
def test_other_events_are_not_tasks(event):
    assert not is_scheduled_task(event)
