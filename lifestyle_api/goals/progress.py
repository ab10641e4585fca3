"""A habit's progress, derived for "today" at read time (API.md "Streaks").

- daily habits: consecutive scheduled days with a check-in, counting back from today if
  today has one, else from the last scheduled day before today; unscheduled days neither
  count nor break the run;
- weekly habits: consecutive ISO weeks that reached `timesPerWeek` check-ins, counting back
  from last week; the current week adds one once it reaches the quota, and never breaks it;
- `streakLongest`: the longest run anywhere in the stored check-ins.

Pure functions of days, so a streak decays without any write. The days come as a `DaySet`
bit string and every rule is a string operation on it (a run of check-ins is a run of "1"s),
so the cost does not grow with years of history.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from ..dayset import DaySet, scheduled_bits
from ..records import Record
from ..timeutil import iso_week_start
from .shape import WEEKDAYS

ONE_DAY = timedelta(days=1)
EVERY_DAY = frozenset(range(7))


class Progress(Record):
    streak_current: int = 0
    streak_longest: int = 0
    last_check_in_date: date | None = None
    check_in_count: int = 0


def habit_progress(
    check_ins: DaySet | Iterable[date],
    today: date,
    *,
    frequency: str = "daily",
    days_of_week: Iterable[str] | None = None,
    times_per_week: int | None = None,
) -> Progress:
    days = check_ins if isinstance(check_ins, DaySet) else DaySet.of(check_ins)
    if not days:
        return Progress()
    if frequency == "weekly":
        current, longest = weekly_streaks(days, today, times_per_week or 1)
    else:
        current, longest = daily_streaks(days, today, scheduled_weekdays(days_of_week))
    return Progress(
        streak_current=current,
        streak_longest=longest,
        last_check_in_date=days.last,
        check_in_count=len(days),
    )


def scheduled_weekdays(days_of_week: Iterable[str] | None) -> frozenset[int]:
    """ISO weekday numbers (Monday = 0) a daily habit is due on; every day when unset."""
    if not days_of_week:
        return EVERY_DAY
    return frozenset(WEEKDAYS.index(day) for day in days_of_week)


def daily_streaks(days: DaySet, today: date, weekdays: frozenset[int]) -> tuple[int, int]:
    first, last = days.first, days.last
    # Runs of "1" over the scheduled days only: unscheduled days are left out, not zeros.
    longest = _longest_run(scheduled_bits(days.window(first, last), first, weekdays))

    # The scheduled days up to today; the run counts back from the last of them, or from
    # the one before when that last one is today and has no check-in yet.
    due = scheduled_bits(days.window(first, today), first, weekdays)
    if today.weekday() in weekdays and due.endswith("0"):
        due = due[:-1]
    current = _trailing_run(due)
    return current, max(longest, current)


def weekly_streaks(days: DaySet, today: date, quota: int) -> tuple[int, int]:
    monday = iso_week_start(days.first)
    this_week = iso_week_start(today)
    bits = days.window(monday, max(days.last, this_week + 6 * ONE_DAY))
    # One character per ISO week from `monday`: "1" when the week reached the quota.
    met = "".join(
        "1" if bits.count("1", week, week + 7) >= quota else "0" for week in range(0, len(bits), 7)
    )

    weeks_before = (this_week - monday).days // 7
    current = _trailing_run(met[: max(weeks_before, 0)])
    if weeks_before >= 0 and met[weeks_before] == "1":
        current += 1
    return current, max(_longest_run(met), current)


def _trailing_run(bits: str) -> int:
    return len(bits) - len(bits.rstrip("1"))


def _longest_run(bits: str) -> int:
    return max(map(len, bits.split("0")), default=0)
