"""Reminders across clock changes and timezone changes, pass by pass: a 02:30 reminder on the
spring-forward day fires once, at 03:00; on the fall-back day a time that happens twice
fires once; a user who changes timezone between passes gets one reminder per local day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.support.reminders import (
    add_habit,
    local,
    quarter_hours,
    set_profile,
    stored_notifications,
    utc,
)

ALICE = "alice-sub"


def night(passes, day: date, timezone: str):
    """Every pass from 00:00 to 05:00 local (a DST change happens in there)."""
    start = local(day, 0, 0, timezone)
    return passes(ALICE).over(quarter_hours(start, start + timedelta(hours=5)), ALICE)


@pytest.mark.parametrize(
    ("timezone", "day", "sent_at"),
    [
        ("Europe/Paris", date(2026, 3, 29), utc(2026, 3, 29, 1, 0)),
        ("America/New_York", date(2026, 3, 8), utc(2026, 3, 8, 7, 0)),
    ],
)
def test_a_0230_reminder_on_the_spring_forward_day_fires_once_at_0300(
    alice, passes, timezone, day, sent_at
):
    set_profile(alice, timezone)
    add_habit(alice, reminder="02:30")

    added = night(passes, day, timezone)

    assert list(added) == [sent_at]
    assert sent_at == local(day, 3, 0, timezone)
    assert [n.day for n in added[sent_at]] == [day]


@pytest.mark.parametrize(
    ("timezone", "day", "reminder", "sent_at"),
    [
        # 02:30 happens at 00:30Z (CEST) and again at 01:30Z (CET).
        ("Europe/Paris", date(2026, 10, 25), "02:30", utc(2026, 10, 25, 0, 30)),
        # 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST).
        ("America/New_York", date(2026, 11, 1), "01:30", utc(2026, 11, 1, 5, 30)),
        # 02:30 happens once, in EST.
        ("America/New_York", date(2026, 11, 1), "02:30", utc(2026, 11, 1, 7, 30)),
    ],
)
def test_a_reminder_on_the_fall_back_day_fires_once(
    alice, passes, timezone, day, reminder, sent_at
):
    set_profile(alice, timezone)
    add_habit(alice, reminder=reminder)

    added = night(passes, day, timezone)

    assert list(added) == [sent_at]


def test_moving_west_the_same_day_is_not_reminded_twice(alice, passes):
    day = date(2026, 11, 26)
    set_profile(alice, "Asia/Kathmandu")
    goal_id = add_habit(alice, reminder="08:00")
    kathmandu = passes(ALICE).over([utc(2026, 11, 26, 2, 15)], ALICE)
    set_profile(alice, "America/St_Johns")

    # 08:00 in St. John's the same local day (11:30Z), and the next day's.
    same_day = passes(ALICE).over(
        quarter_hours(utc(2026, 11, 26, 11), utc(2026, 11, 26, 12)), ALICE
    )
    next_day = passes(ALICE).over([utc(2026, 11, 27, 11, 30)], ALICE)

    assert [n.day for n in kathmandu[utc(2026, 11, 26, 2, 15)]] == [day]
    assert same_day == {}
    assert [(n.goal_id, n.day) for n in next_day[utc(2026, 11, 27, 11, 30)]] == [
        (goal_id, day + timedelta(days=1))
    ]


def test_moving_east_the_next_reminder_is_the_next_local_days(alice, passes):
    set_profile(alice, "America/St_Johns")
    add_habit(alice, reminder="08:00")
    passes(ALICE).run(utc(2026, 11, 26, 11, 30))
    set_profile(alice, "Asia/Kathmandu")

    # Noon UTC (17:45 in Kathmandu), then around the next 08:00 there, at 02:15Z.
    instants = [utc(2026, 11, 26, 12), *quarter_hours(utc(2026, 11, 27, 2), utc(2026, 11, 27, 3))]
    added = passes(ALICE).over(instants, ALICE)

    assert list(added) == [utc(2026, 11, 27, 2, 15)]
    assert sorted(n.day for n in stored_notifications(ALICE)) == [
        date(2026, 11, 26),
        date(2026, 11, 27),
    ]


def test_crossing_the_date_line_westwards_keeps_one_reminder_per_local_day(alice, passes):
    set_profile(alice, "Pacific/Kiritimati")
    add_habit(alice, reminder="08:00")
    passes(ALICE).run(utc(2026, 11, 25, 18, 0))  # 08:00 on the 26th in Kiritimati
    set_profile(alice, "America/St_Johns")  # where it is still the 25th, 14:30

    added = passes(ALICE).over([utc(2026, 11, 26, 11, 30), utc(2026, 11, 27, 11, 30)], ALICE)

    # The 26th had its reminder (in Kiritimati); the 27th gets its own.
    assert list(added) == [utc(2026, 11, 27, 11, 30)]
    assert sorted(n.day for n in stored_notifications(ALICE)) == [
        date(2026, 11, 26),
        date(2026, 11, 27),
    ]
