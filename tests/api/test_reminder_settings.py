"""The contract's reminder settings: `reminder` on habit goals and `notifications` on the
profile, validated, stored and answered as API.md says."""

from __future__ import annotations

import pytest

from tests.support.resources import goal_body

DEFAULTS = {"enabled": True, "quietHours": None, "streakNudges": True}


def test_a_habit_takes_a_reminder_which_a_patch_changes_and_clears(alice):
    created = alice.post("/goals", json={**goal_body(), "reminder": {"time": "07:30"}})
    assert created.status_code == 201
    assert created.json["reminder"] == {"time": "07:30"}
    url = f"/goals/{created.json['goalId']}"

    changed = alice.patch(url, json={"reminder": {"time": "21:05"}})
    assert changed.json["reminder"] == {"time": "21:05"}
    assert alice.get(url).json["reminder"] == {"time": "21:05"}

    cleared = alice.patch(url, json={"reminder": None})
    assert cleared.status_code == 200
    assert cleared.json["reminder"] is None
    assert alice.get(url).json["reminder"] is None


def test_a_goal_without_a_reminder_answers_null(alice):
    assert alice.post("/goals", json=goal_body()).json["reminder"] is None


def test_only_habits_have_reminders(alice):
    target = {
        "title": "Walk 8,000 steps",
        "type": "target",
        "target": {"metric": "steps", "value": 8000, "direction": "atLeast"},
    }

    refused = alice.post("/goals", json={**target, "reminder": {"time": "08:00"}})
    assert refused.status_code == 400
    assert "reminder" in refused.json["details"]

    goal = alice.post("/goals", json=target).json
    patched = alice.patch(f"/goals/{goal['goalId']}", json={"reminder": {"time": "08:00"}})
    assert patched.status_code == 400
    assert "reminder" in patched.json["details"]
    assert alice.get(f"/goals/{goal['goalId']}").json["reminder"] is None


@pytest.mark.parametrize(
    "reminder",
    [
        {"time": "24:00"},
        {"time": "7:30"},
        {"time": "07:60"},
        {"time": "07:30:00"},
        {"time": "07:30\n"},
        {"time": "0730"},
        {"time": 730},
        {"time": None},
        {},
        {"time": "07:30", "days": ["mon"]},
        "07:30",
    ],
)
def test_invalid_reminders_are_400(alice, reminder):
    response = alice.post("/goals", json={**goal_body(), "reminder": reminder})

    assert response.status_code == 400
    assert "reminder" in response.json["details"]
    assert alice.get("/goals").json["items"] == []


def test_the_profile_answers_the_default_notification_settings(alice):
    assert alice.get("/me").json["notifications"] == DEFAULTS


def test_notification_settings_change_field_by_field(alice):
    quiet = {"start": "22:00", "end": "07:00"}

    first = alice.patch("/me", json={"notifications": {"quietHours": quiet}})
    assert first.status_code == 200
    assert first.json["notifications"] == {**DEFAULTS, "quietHours": quiet}

    second = alice.patch("/me", json={"notifications": {"streakNudges": False}})
    assert second.json["notifications"] == {
        "enabled": True,
        "quietHours": quiet,
        "streakNudges": False,
    }

    third = alice.patch("/me", json={"notifications": {"enabled": False, "quietHours": None}})
    assert third.json["notifications"] == {
        "enabled": False,
        "quietHours": None,
        "streakNudges": False,
    }
    assert alice.get("/me").json["notifications"] == third.json["notifications"]


@pytest.mark.parametrize(
    "notifications",
    [
        {"enabled": "true"},
        {"enabled": 1},
        {"enabled": None},
        {"streakNudges": "no"},
        {"quietHours": {"start": "22:00"}},
        {"quietHours": {"start": "22:00", "end": "22:00"}},
        {"quietHours": {"start": "22:00", "end": "7:00"}},
        {"quietHours": {"start": "22:00", "end": "07:00", "days": "weekdays"}},
        {"push": True},
        None,
    ],
)
def test_invalid_notification_settings_are_400_and_change_nothing(alice, notifications):
    alice.get("/me")

    response = alice.patch("/me", json={"notifications": notifications})

    assert response.status_code == 400
    assert "notifications" in response.json["details"]
    assert alice.get("/me").json["notifications"] == DEFAULTS
