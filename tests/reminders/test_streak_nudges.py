"""`streak_at_risk`: at 20:00 local, an active habit on a streak of at least 3 that is due
today and not checked in gets one nudge, unless a reminder for it went out in the last two
hours; the streak is the goals' own (`progress.streakCurrent`)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.support.reminders import (
    add_habit,
    check_in,
    local,
    past_day,
    quarter_hours,
    set_profile,
    stored_notifications,
)

ALICE = "alice-sub"
TIMEZONE = "America/St_Johns"


def evening(passes, day, timezone=TIMEZONE):
    """The passes from 18:00 to 22:00 local; what each stored."""
    start = local(day, 18, 0, timezone)
    return passes(ALICE).over(quarter_hours(start, start + timedelta(hours=4)), ALICE)


def streak_before(day, length):
    return [day - timedelta(days=n) for n in range(1, length + 1)]


@pytest.mark.parametrize("timezone", ["Pacific/Kiritimati", "America/St_Johns", "Asia/Kathmandu"])
def test_a_three_day_streak_not_kept_today_gets_one_nudge_at_2000(alice, passes, timezone):
    day = past_day(2)
    set_profile(alice, timezone)
    goal_id = add_habit(alice, title="Walk")
    check_in(alice, goal_id, *streak_before(day, 3))

    added = evening(passes, day, timezone)

    at_eight = local(day, 20, 0, timezone)
    assert list(added) == [at_eight]
    (nudge,) = added[at_eight]
    assert (nudge.notification_kind, nudge.goal_id, nudge.day) == ("streak_at_risk", goal_id, day)
    assert nudge.body == "“Walk” is on a 3-day streak. Check in today to keep it."
    streak = alice.get(f"/goals/{goal_id}").json["progress"]
    assert streak["lastCheckInDate"] == (day - timedelta(days=1)).isoformat()


def test_no_nudge_for_a_shorter_streak_or_a_habit_kept_today(alice, passes):
    day = past_day(2)
    set_profile(alice, TIMEZONE)
    short = add_habit(alice, title="Short")
    check_in(alice, short, *streak_before(day, 2))
    kept = add_habit(alice, title="Kept")
    check_in(alice, kept, *streak_before(day, 5), day)

    assert evening(passes, day) == {}


def test_no_nudge_within_two_hours_of_a_reminder(alice, passes):
    day = past_day(2)
    set_profile(alice, TIMEZONE)
    recent = add_habit(alice, title="Recent", reminder="18:30")
    earlier = add_habit(alice, title="Earlier", reminder="17:45")
    for goal_id in (recent, earlier):
        check_in(alice, goal_id, *streak_before(day, 4))
    passes(ALICE).run(local(day, 17, 45, TIMEZONE))

    added = evening(passes, day)

    sent = sorted((n.title, n.notification_kind) for found in added.values() for n in found)
    assert sent == [("Keep your streak going", "streak_at_risk"), ("Recent", "reminder")]
    (nudge,) = [n for found in added.values() for n in found if n.notification_kind != "reminder"]
    assert nudge.goal_id == earlier


def test_a_reminder_at_2000_is_sent_instead_of_the_nudge(alice, passes):
    day = past_day(2)
    set_profile(alice, TIMEZONE)
    goal_id = add_habit(alice, reminder="20:00")
    check_in(alice, goal_id, *streak_before(day, 6))

    added = evening(passes, day)

    assert [n.notification_kind for found in added.values() for n in found] == ["reminder"]


def test_a_weekly_habit_on_a_three_week_streak_is_nudged_while_its_week_is_open(alice, passes):
    day = past_day(7)
    monday = day - timedelta(days=day.weekday())
    set_profile(alice, TIMEZONE)
    goal_id = add_habit(alice, title="Swim", schedule={"frequency": "weekly", "timesPerWeek": 1})
    check_in(alice, goal_id, *(monday - timedelta(weeks=n) for n in range(1, 4)))

    added = evening(passes, day)

    (nudge,) = [n for found in added.values() for n in found]
    assert nudge.body == "“Swim” is on a 3-week streak. Check in today to keep it."


def test_no_nudges_when_the_user_turned_them_off(alice, passes):
    day = past_day(2)
    set_profile(alice, TIMEZONE, streakNudges=False)
    goal_id = add_habit(alice, reminder="19:00")
    check_in(alice, goal_id, *streak_before(day, 5))

    added = evening(passes, day)

    assert [n.notification_kind for found in added.values() for n in found] == ["reminder"]
    assert [n.notification_kind for n in stored_notifications(ALICE)] == ["reminder"]
