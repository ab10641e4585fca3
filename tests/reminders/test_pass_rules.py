"""Who gets what from a reminders pass, with an injected clock: reminders at the user's
local time across timezones, only for active habits due that day and not checked in;
quiet hours; notifications turned off; users without a profile and deleted accounts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lifestyle_api.goals.models import GoalItem
from lifestyle_api.goals.shape import WEEKDAYS
from lifestyle_api.notifications.delivery import devices_of
from tests.support.reminders import (
    add_habit,
    check_in,
    local,
    past_day,
    quarter_hours,
    register_device,
    set_profile,
    stored_notifications,
    utc,
)

ALICE = "alice-sub"
DAY = date(2026, 11, 26)


def notifications_by_pass(passes, timezone: str, day: date, first_hour: int, hours: int):
    """Run every pass of `hours` of a local day from `first_hour`; what each stored. (The
    planning of a whole day, pass by pass, is tested without DynamoDB in
    tests/unit/test_reminder_timing.py.)"""
    start = local(day, first_hour, 0, timezone)
    return passes(ALICE).over(quarter_hours(start, start + timedelta(hours=hours)), ALICE)


@pytest.mark.parametrize(
    ("timezone", "sent_at"),
    [
        ("Pacific/Kiritimati", utc(2026, 11, 25, 18, 0)),
        ("America/St_Johns", utc(2026, 11, 26, 11, 30)),
        ("Asia/Kathmandu", utc(2026, 11, 26, 2, 15)),
    ],
)
def test_a_reminder_is_sent_once_at_its_local_time(alice, passes, timezone, sent_at):
    set_profile(alice, timezone)
    goal_id = add_habit(alice, reminder="08:00")

    added = notifications_by_pass(passes, timezone, DAY, 6, 4)

    assert list(added) == [sent_at]
    (notification,) = added[sent_at]
    assert notification.notification_kind == "reminder"
    assert notification.goal_id == goal_id
    assert notification.day == DAY
    assert notification.created_at == sent_at
    assert notification.title == "Meditate 10 minutes"


def test_a_reminder_between_two_passes_goes_with_the_later_one(alice, passes):
    set_profile(alice, "Asia/Kathmandu")
    add_habit(alice, reminder="08:07")

    added = notifications_by_pass(passes, "Asia/Kathmandu", DAY, first_hour=7, hours=2)

    assert list(added) == [utc(2026, 11, 26, 2, 30)]


def test_a_habit_checked_in_that_day_is_not_reminded(alice, passes):
    day = past_day(3)
    set_profile(alice, "Europe/Paris")
    goal_id = add_habit(alice, reminder="18:00")
    check_in(alice, goal_id, day)

    assert notifications_by_pass(passes, "Europe/Paris", day, 17, 2) == {}


def test_only_active_habits_due_that_day_are_reminded(alice, passes):
    day = DAY
    other_days = [name for index, name in enumerate(WEEKDAYS) if index != day.weekday()]
    set_profile(alice, "UTC")
    due = add_habit(alice, reminder="09:00", title="Due today")
    add_habit(alice, reminder="09:00", schedule={"frequency": "daily", "daysOfWeek": other_days})
    add_habit(alice, reminder="09:00", status="paused")
    add_habit(alice, reminder="09:00", startDate=(day + timedelta(days=1)).isoformat())
    add_habit(alice, reminder="09:00", endDate=(day - timedelta(days=1)).isoformat())

    added = notifications_by_pass(passes, "UTC", day, 8, 2)

    assert [n.goal_id for found in added.values() for n in found] == [due]


def test_a_weekly_habit_is_reminded_until_its_quota_is_met(alice, passes):
    monday = past_day(14) - timedelta(days=past_day(14).weekday())
    set_profile(alice, "UTC")
    goal_id = add_habit(
        alice, reminder="10:00", schedule={"frequency": "weekly", "timesPerWeek": 2}
    )
    check_in(alice, goal_id, monday, monday + timedelta(days=1))
    wednesday = monday + timedelta(days=2)

    quota_met = notifications_by_pass(passes, "UTC", wednesday, 9, 2)
    next_monday = notifications_by_pass(passes, "UTC", monday + timedelta(days=7), 9, 2)

    assert quota_met == {}
    assert list(next_monday) == [local(monday + timedelta(days=7), 10, 0, "UTC")]


def test_the_reminder_time_the_goal_has_now_is_the_one_used(alice, passes):
    set_profile(alice, "UTC")
    goal_id = add_habit(alice, reminder="08:00")
    assert alice.patch(f"/goals/{goal_id}", json={"reminder": {"time": "09:30"}}).status_code == 200

    added = notifications_by_pass(passes, "UTC", DAY, 7, 4)

    assert list(added) == [utc(2026, 11, 26, 9, 30)]


@pytest.mark.parametrize("timezone", ["Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu"])
def test_quiet_hours_across_midnight_hold_a_morning_reminder_and_drop_a_late_one(
    alice, passes, timezone
):
    set_profile(alice, timezone, quietHours={"start": "22:00", "end": "07:00"})
    early = add_habit(alice, reminder="06:30", title="Stretch")
    add_habit(alice, reminder="23:00", title="Read")
    add_habit(alice, reminder="21:45", title="Journal")

    morning = notifications_by_pass(passes, timezone, DAY, 6, 2)
    evening = notifications_by_pass(passes, timezone, DAY, 21, 3)

    added = {**morning, **evening}
    sent = {n.title: at for at, found in added.items() for n in found}
    assert sent == {
        "Stretch": local(DAY, 7, 0, timezone),
        "Journal": local(DAY, 21, 45, timezone),
    }
    assert [n.goal_id for n in added[sent["Stretch"]]] == [early]


def test_quiet_hours_within_the_day_hold_a_reminder_until_they_end(alice, passes):
    set_profile(alice, "Asia/Kathmandu", quietHours={"start": "12:00", "end": "14:00"})
    add_habit(alice, reminder="13:00")

    added = notifications_by_pass(passes, "Asia/Kathmandu", DAY, 11, 4)

    assert list(added) == [local(DAY, 14, 0, "Asia/Kathmandu")]


def test_nothing_is_sent_while_notifications_are_off(alice, passes):
    day = past_day(2)
    set_profile(alice, "UTC", enabled=False)
    goal_id = add_habit(alice, reminder="08:00")
    check_in(alice, goal_id, *(day - timedelta(days=n) for n in range(1, 5)))

    reminder_and_nudge = [local(day, 8, 0, "UTC"), local(day, 20, 0, "UTC")]

    assert passes(ALICE).over(reminder_and_nudge, ALICE) == {}

    set_profile(alice, "UTC", enabled=True)
    added = passes(ALICE).over(reminder_and_nudge, ALICE)
    assert {at: [n.notification_kind for n in found] for at, found in added.items()} == {
        reminder_and_nudge[0]: ["reminder"],
        reminder_and_nudge[1]: ["streak_at_risk"],
    }


def test_a_user_without_a_profile_gets_nothing(alice, passes):
    add_habit(alice, reminder="08:00")
    assert alice.get("/goals").status_code == 200  # goals do not create the profile

    summary = passes(ALICE).run(utc(2026, 11, 26, 8, 0))

    assert stored_notifications(ALICE) == []
    assert summary["not_notified"] == 1
    assert summary["users"] == 1


def test_a_deleted_account_gets_nothing_and_its_devices_went_with_it(alice, passes):
    set_profile(alice, "UTC")
    add_habit(alice, reminder="08:00")
    register_device(alice)
    assert alice.delete("/me").status_code == 204

    summary = passes(ALICE).run(utc(2026, 11, 26, 8, 0))

    assert stored_notifications(ALICE) == []
    assert summary.get("reminder", 0) == 0
    assert devices_of(ALICE) == []


def test_a_habit_left_behind_by_a_deletion_is_not_reminded_and_the_pass_succeeds(alice, passes):
    """A write in flight during the deletion can leave a habit beside the account's
    tombstone until the second pass: the pass skips it like a user without a profile."""
    set_profile(alice, "UTC")
    goal_id = add_habit(alice, reminder="08:00")
    left_behind = GoalItem.get(*GoalItem.key(ALICE, goal_id))
    assert alice.delete("/me").status_code == 204
    left_behind.save(add_version_condition=False)

    summary = passes(ALICE).run(utc(2026, 11, 26, 8, 0))

    assert stored_notifications(ALICE) == []
    assert summary.get("users_failed", 0) == 0
    assert summary["not_notified"] == 1


def test_the_inbox_of_one_user_is_not_anothers(alice, bob, passes):
    set_profile(alice, "UTC")
    set_profile(bob, "Asia/Kathmandu")
    alice_goal = add_habit(alice, reminder="08:00")
    bob_goal = add_habit(bob, reminder="08:00")

    passes(ALICE, "bob-sub").run(utc(2026, 11, 26, 8, 0))
    passes(ALICE, "bob-sub").run(utc(2026, 11, 26, 2, 15))

    assert [n.goal_id for n in stored_notifications(ALICE)] == [alice_goal]
    assert [n.goal_id for n in stored_notifications("bob-sub")] == [bob_goal]
