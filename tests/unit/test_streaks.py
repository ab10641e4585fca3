"""Streak rules (API.md "Streaks") as pure functions of days, table-driven.

"Today" is the user's local day: the timezone and DST cases derive it from an instant,
as the API does, and then apply the same rules.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lifestyle_api.goals.progress import Progress, habit_progress
from lifestyle_api.timeutil import today_in
from tests.support.daily import instant

THU = date(2026, 11, 26)  # a Thursday; its ISO week starts on Monday 2026-11-23


def days(*texts: str) -> set[date]:
    return {date.fromisoformat(text) for text in texts}


def back(*offsets: int, today: date = THU) -> set[date]:
    """Days `offsets` before `today` (0 = today)."""
    return {today - timedelta(days=offset) for offset in offsets}


DAILY_CASES = [
    # id, check-ins, today, daysOfWeek, (streakCurrent, streakLongest)
    ("none", set(), THU, None, (0, 0)),
    ("today only", back(0), THU, None, (1, 1)),
    ("three in a row ending today", back(0, 1, 2), THU, None, (3, 3)),
    ("not yet today: the run up to yesterday stands", back(1, 2), THU, None, (2, 2)),
    ("missed yesterday: broken", back(2, 3), THU, None, (0, 2)),
    ("gap: current run shorter than an older one", back(0, 1, 4, 5, 6), THU, None, (2, 3)),
    ("single days between gaps", back(0, 2, 4, 6), THU, None, (1, 1)),
    ("old run only", back(10, 11, 12, 13), THU, None, (0, 4)),
    # Mon/Wed/Fri habit; Thursday is unscheduled, so the run counts back from Wednesday.
    ("unscheduled today", days("2026-11-23", "2026-11-25"), THU, ["mon", "wed", "fri"], (2, 2)),
    (
        "unscheduled days neither count nor break",
        days("2026-11-20", "2026-11-23", "2026-11-24", "2026-11-25"),
        THU,
        ["mon", "wed", "fri"],
        (3, 3),
    ),
    (
        "a missed scheduled day breaks",
        days("2026-11-20", "2026-11-23"),
        THU,
        ["mon", "wed", "fri"],
        (0, 2),
    ),
    (
        "scheduled today, not yet checked in",
        days("2026-11-23", "2026-11-25"),
        date(2026, 11, 27),
        ["mon", "wed", "fri"],
        (2, 2),
    ),
    (
        "scheduled today, checked in",
        days("2026-11-23", "2026-11-25", "2026-11-27"),
        date(2026, 11, 27),
        ["mon", "wed", "fri"],
        (3, 3),
    ),
    (
        "weekends only, across weeks",
        days("2026-11-14", "2026-11-15", "2026-11-21", "2026-11-22"),
        THU,
        ["sat", "sun"],
        (4, 4),
    ),
    (
        "only unscheduled check-ins",
        days("2026-11-24", "2026-11-26"),
        THU,
        ["mon", "wed", "fri"],
        (0, 0),
    ),
]


@pytest.mark.parametrize(
    ("check_ins", "today", "days_of_week", "expected"),
    [case[1:] for case in DAILY_CASES],
    ids=[case[0] for case in DAILY_CASES],
)
def test_daily_streaks(check_ins, today, days_of_week, expected):
    progress = habit_progress(check_ins, today, frequency="daily", days_of_week=days_of_week)
    assert (progress.streak_current, progress.streak_longest) == expected
    assert progress.check_in_count == len(check_ins)
    assert progress.last_check_in_date == max(check_ins, default=None)


def nov(*day_numbers: int) -> set[date]:
    return {date(2026, 11, number) for number in day_numbers}


# Weeks before THU's week (Monday 23 Nov): W-1 = 16–22 Nov, W-2 = 9–15, W-3 = 2–8.
WEEKLY_CASES = [
    # id, check-ins, timesPerWeek, (streakCurrent, streakLongest)
    ("quota met the last two weeks", nov(16, 18, 9, 15), 2, (2, 2)),
    ("this week reaching the quota adds one", nov(23, 26, 16, 18, 9, 15), 2, (3, 3)),
    ("this week short of the quota never breaks", nov(24, 16, 18, 9, 15), 2, (2, 2)),
    ("last week missed: broken", nov(17, 9, 15, 2, 3), 2, (0, 2)),
    ("last week missed, this week met", nov(23, 25, 17, 10, 11), 2, (1, 1)),
    ("Sunday belongs to the week before Monday", nov(22, 16, 23), 2, (1, 1)),
    ("once a week by default", nov(20, 12, 2), None, (3, 3)),
    ("a gap week", nov(20, 2), 1, (1, 1)),
    ("over the quota counts once", nov(16, 17, 18, 19), 2, (1, 1)),
]


@pytest.mark.parametrize(
    ("check_ins", "times_per_week", "expected"),
    [case[1:] for case in WEEKLY_CASES],
    ids=[case[0] for case in WEEKLY_CASES],
)
def test_weekly_streaks(check_ins, times_per_week, expected):
    progress = habit_progress(check_ins, THU, frequency="weekly", times_per_week=times_per_week)
    assert (progress.streak_current, progress.streak_longest) == expected


ZONE_CASES = [
    # id, instant, timezone, check-ins, (today, streakCurrent)
    (
        "06:30Z is still yesterday evening in Los Angeles",
        "2026-11-26T06:30:00Z",
        "America/Los_Angeles",
        days("2026-11-24", "2026-11-25"),
        (date(2026, 11, 25), 2),
    ),
    (
        "06:30Z is already afternoon in Tokyo: 25th not checked in, the run broke",
        "2026-11-26T06:30:00Z",
        "Asia/Tokyo",
        days("2026-11-24"),
        (date(2026, 11, 26), 0),
    ),
    (
        "same instant, same check-ins, Los Angeles keeps the streak",
        "2026-11-26T06:30:00Z",
        "America/Los_Angeles",
        days("2026-11-24"),
        (date(2026, 11, 25), 1),
    ),
    (
        "UTC+14 is a day ahead of UTC",
        "2026-11-26T10:30:00Z",
        "Pacific/Kiritimati",
        days("2026-11-26", "2026-11-27"),
        (date(2026, 11, 27), 2),
    ),
    # Berlin springs forward on 2026-03-29 (CET +1 → CEST +2): 22:30Z is 00:30 next day.
    (
        "after spring-forward 22:30Z is past midnight in Berlin",
        "2026-03-29T22:30:00Z",
        "Europe/Berlin",
        days("2026-03-28", "2026-03-29", "2026-03-30"),
        (date(2026, 3, 30), 3),
    ),
    (
        "before spring-forward 22:30Z is still 23:30 in Berlin",
        "2026-03-28T22:30:00Z",
        "Europe/Berlin",
        days("2026-03-27", "2026-03-28"),
        (date(2026, 3, 28), 2),
    ),
    # Berlin falls back on 2026-10-25 (CEST +2 → CET +1): 22:30Z is 23:30, same day.
    (
        "after fall-back 22:30Z is 23:30 in Berlin",
        "2026-10-25T22:30:00Z",
        "Europe/Berlin",
        days("2026-10-24", "2026-10-25"),
        (date(2026, 10, 25), 2),
    ),
    # New York springs forward on 2026-03-08: 04:30Z is 23:30 EST on the 7th before,
    # 00:30 EDT on the 9th after (04:30Z on the 9th).
    (
        "New York, the night after spring-forward",
        "2026-03-09T04:30:00Z",
        "America/New_York",
        days("2026-03-07", "2026-03-08", "2026-03-09"),
        (date(2026, 3, 9), 3),
    ),
]


@pytest.mark.parametrize(
    ("now", "timezone", "check_ins", "expected"),
    [case[1:] for case in ZONE_CASES],
    ids=[case[0] for case in ZONE_CASES],
)
def test_today_is_the_local_day(now, timezone, check_ins, expected):
    today = today_in(timezone, instant(now))
    progress = habit_progress(check_ins, today)
    assert (today, progress.streak_current) == expected


def test_weekly_quota_across_a_dst_week():
    # The week of the fall-back (Mon 19 – Sun 25 Oct 2026) has 7 local days, one of 25 hours.
    today = today_in("Europe/Berlin", instant("2026-10-25T22:30:00Z"))
    progress = habit_progress(
        days("2026-10-19", "2026-10-25", "2026-10-12", "2026-10-18"),
        today,
        frequency="weekly",
        times_per_week=2,
    )
    assert (progress.streak_current, progress.streak_longest) == (2, 2)


DELETION_CASES = [
    # id, check-ins, deleted, (before), (after)  — daily habit, today = THU
    ("delete the middle of the current run", back(0, 1, 2), back(1), (3, 3), (1, 1)),
    ("delete today's check-in", back(0, 1, 2), back(0), (3, 3), (2, 2)),
    ("delete inside the longest old run", back(0, 5, 6, 7, 8), back(7), (1, 4), (1, 2)),
    ("delete everything", back(0, 1), back(0, 1), (2, 2), (0, 0)),
]


@pytest.mark.parametrize(
    ("check_ins", "deleted", "before", "after"),
    [case[1:] for case in DELETION_CASES],
    ids=[case[0] for case in DELETION_CASES],
)
def test_streaks_follow_deletions(check_ins, deleted, before, after):
    progress = habit_progress(check_ins, THU)
    assert (progress.streak_current, progress.streak_longest) == before
    progress = habit_progress(check_ins - deleted, THU)
    assert (progress.streak_current, progress.streak_longest) == after


def test_no_check_ins_is_empty_progress():
    assert habit_progress(set(), THU, frequency="weekly") == Progress()
