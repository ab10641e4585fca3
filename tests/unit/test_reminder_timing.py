"""When reminders and nudges fall due (lifestyle_api.reminders.timing): local times as
instants across timezones and both DST changes, quiet hours (within a day and across
midnight), and the window each pass covers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest

from lifestyle_api.reminders.timing import (
    REMINDER,
    STREAK_AT_RISK,
    QuietHours,
    Window,
    held_back,
    instant_of,
    planned_in_window,
)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.mark.parametrize(
    ("timezone", "day", "expected"),
    [
        # UTC+14: the local day starts while it is still the day before in UTC.
        ("Pacific/Kiritimati", date(2026, 11, 26), utc(2026, 11, 25, 18, 0)),
        # UTC-03:30 in winter, UTC-02:30 in summer.
        ("America/St_Johns", date(2026, 1, 15), utc(2026, 1, 15, 11, 30)),
        ("America/St_Johns", date(2026, 7, 15), utc(2026, 7, 15, 10, 30)),
        # UTC+05:45, no DST.
        ("Asia/Kathmandu", date(2026, 11, 26), utc(2026, 11, 26, 2, 15)),
    ],
)
def test_a_local_time_is_the_instant_it_happens_in_the_users_timezone(timezone, day, expected):
    assert instant_of(day, time(8, 0), timezone) == expected


@pytest.mark.parametrize(
    ("timezone", "day", "expected"),
    [
        # Clocks jump from 02:00 to 03:00: 02:30 does not happen; the first instant after it
        # is the jump itself, 03:00 local.
        ("Europe/Paris", date(2026, 3, 29), utc(2026, 3, 29, 1, 0)),
        ("America/New_York", date(2026, 3, 8), utc(2026, 3, 8, 7, 0)),
    ],
)
def test_a_time_that_does_not_exist_is_taken_at_the_first_instant_after_it(timezone, day, expected):
    assert instant_of(day, time(2, 30), timezone) == expected
    assert instant_of(day, time(2, 30), timezone) == instant_of(day, time(3, 0), timezone)


@pytest.mark.parametrize(
    ("timezone", "day", "local_time", "first"),
    [
        # Paris: 03:00 CEST becomes 02:00 CET, so 02:30 happens at 00:30Z and at 01:30Z.
        ("Europe/Paris", date(2026, 10, 25), time(2, 30), utc(2026, 10, 25, 0, 30)),
        # New York: 02:00 EDT becomes 01:00 EST, so 01:30 happens at 05:30Z and 06:30Z.
        ("America/New_York", date(2026, 11, 1), time(1, 30), utc(2026, 11, 1, 5, 30)),
    ],
)
def test_a_time_that_happens_twice_is_taken_at_its_first_occurrence(
    timezone, day, local_time, first
):
    assert instant_of(day, local_time, timezone) == first


def test_on_the_fall_back_day_new_yorks_0230_happens_once():
    assert instant_of(date(2026, 11, 1), time(2, 30), "America/New_York") == utc(2026, 11, 1, 7, 30)


def test_a_whole_missing_day_is_skipped_to_the_next_instant_that_exists():
    # Samoa skipped 2011-12-30 when it moved across the date line.
    assert instant_of(date(2011, 12, 30), time(9, 0), "Pacific/Apia") == utc(2011, 12, 30, 10, 0)


QUIET_EVENING = QuietHours(time(22, 0), time(7, 0))
QUIET_LUNCH = QuietHours(time(12, 0), time(14, 0))


@pytest.mark.parametrize(
    ("quiet", "planned", "sent"),
    [
        (None, time(23, 0), time(23, 0)),
        # Across midnight: early morning waits for the end, the same day.
        (QUIET_EVENING, time(6, 30), time(7, 0)),
        (QUIET_EVENING, time(0, 0), time(7, 0)),
        # ...but late evening would wait until the next day: not sent.
        (QUIET_EVENING, time(22, 0), None),
        (QUIET_EVENING, time(23, 59), None),
        (QUIET_EVENING, time(21, 59), time(21, 59)),
        (QUIET_EVENING, time(7, 0), time(7, 0)),
        # Within one day: [start, end).
        (QUIET_LUNCH, time(12, 0), time(14, 0)),
        (QUIET_LUNCH, time(13, 59), time(14, 0)),
        (QUIET_LUNCH, time(14, 0), time(14, 0)),
        (QUIET_LUNCH, time(11, 59), time(11, 59)),
    ],
)
def test_quiet_hours_hold_back_until_their_end_on_the_same_day(quiet, planned, sent):
    assert held_back(planned, quiet) == sent


def test_a_window_is_the_15_minutes_up_to_the_pass_with_its_end_included():
    window = Window.ending_at(utc(2026, 11, 26, 7, 0))

    assert utc(2026, 11, 26, 7, 0) in window
    assert utc(2026, 11, 26, 6, 45, 1) in window
    assert utc(2026, 11, 26, 6, 45) not in window
    assert utc(2026, 11, 26, 7, 0, 1) not in window


def plan(at: datetime, timezone: str, habits, **options):
    options = {"quiet": None, "streak_nudges": True, **options}
    return planned_in_window(Window.ending_at(at), timezone, habits, **options)


def test_a_reminder_is_planned_in_exactly_one_window_of_the_day():
    habits = [("goal-1", "08:00")]
    passes = [utc(2026, 11, 26) + timedelta(minutes=15 * n) for n in range(4 * 24 + 1)]

    found = [(at, p) for at in passes for p in plan(at, "Asia/Kathmandu", habits)]

    reminders = [(at, p) for at, p in found if p.kind == REMINDER]
    assert [(at, p.day, p.due_at) for at, p in reminders] == [
        (utc(2026, 11, 26, 2, 15), date(2026, 11, 26), utc(2026, 11, 26, 2, 15))
    ]
    nudges = [(at, p) for at, p in found if p.kind == STREAK_AT_RISK]
    assert [(at, p.goal_id, p.local_time) for at, p in nudges] == [
        (utc(2026, 11, 26, 14, 15), "goal-1", "20:00")
    ]


def test_a_reminder_between_passes_goes_with_the_next_pass():
    habits = [("goal-1", "08:07")]

    assert plan(utc(2026, 11, 26, 11, 30), "America/St_Johns", habits, streak_nudges=False) == []
    (planned,) = plan(utc(2026, 11, 26, 11, 45), "America/St_Johns", habits, streak_nudges=False)
    assert planned.due_at == utc(2026, 11, 26, 11, 37)


def test_the_local_day_is_the_users_even_when_utc_is_on_another():
    (planned,) = plan(utc(2026, 11, 25, 18, 0), "Pacific/Kiritimati", [("g", "08:00")])

    assert planned.day == date(2026, 11, 26)


def test_nothing_is_planned_for_habits_without_reminders_but_the_nudge():
    habits = [("goal-1", None), ("goal-2", None)]

    assert plan(utc(2026, 11, 26, 8, 0), "UTC", habits) == []
    nudges = plan(utc(2026, 11, 26, 20, 0), "UTC", habits)
    assert [(p.kind, p.goal_id) for p in nudges] == [
        (STREAK_AT_RISK, "goal-1"),
        (STREAK_AT_RISK, "goal-2"),
    ]
    assert plan(utc(2026, 11, 26, 20, 0), "UTC", habits, streak_nudges=False) == []


def test_quiet_hours_move_the_streak_nudge_or_drop_it():
    habits = [("goal-1", None)]
    until_half_past = QuietHours(time(19, 0), time(20, 30))

    assert plan(utc(2026, 11, 26, 20, 0), "UTC", habits, quiet=until_half_past) == []
    (moved,) = plan(utc(2026, 11, 26, 20, 30), "UTC", habits, quiet=until_half_past)
    assert moved.due_at == utc(2026, 11, 26, 20, 30)
    overnight = QuietHours(time(19, 0), time(6, 0))
    every_pass = [utc(2026, 11, 26) + timedelta(minutes=15 * n) for n in range(97)]
    assert [p for at in every_pass for p in plan(at, "UTC", habits, quiet=overnight)] == []


@pytest.mark.parametrize(
    ("timezone", "day"),
    [("Europe/Paris", date(2026, 3, 29)), ("America/New_York", date(2026, 3, 8))],
)
def test_on_the_spring_forward_day_a_0230_reminder_is_planned_once_at_0300(timezone, day):
    habits = [("goal-1", "02:30")]
    start = datetime.combine(day, time(0, 0), tzinfo=UTC) - timedelta(hours=12)
    passes = [start + timedelta(minutes=15 * n) for n in range(4 * 36)]

    found = [
        (at, p)
        for at in passes
        for p in plan(at, timezone, habits, streak_nudges=False)
        if p.day == day
    ]

    assert len(found) == 1
    at, planned = found[0]
    assert planned.due_at == instant_of(day, time(3, 0), timezone) == at


@pytest.mark.parametrize(
    ("timezone", "day", "local_time"),
    [
        ("Europe/Paris", date(2026, 10, 25), "02:30"),
        ("America/New_York", date(2026, 11, 1), "01:30"),
        ("America/New_York", date(2026, 11, 1), "02:30"),
    ],
)
def test_on_the_fall_back_day_a_reminder_is_planned_once(timezone, day, local_time):
    habits = [("goal-1", local_time)]
    start = datetime.combine(day, time(0, 0), tzinfo=UTC) - timedelta(hours=12)
    passes = [start + timedelta(minutes=15 * n) for n in range(4 * 36)]

    found = [
        p for at in passes for p in plan(at, timezone, habits, streak_nudges=False) if p.day == day
    ]

    assert len(found) == 1
