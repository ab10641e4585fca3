"""A habit's progress, derived for "today" at read time (API.md "Streaks").

- daily habits: consecutive scheduled days with a check-in, counting back from today if
  today has one, else from the last scheduled day before today; unscheduled days neither
  count nor break the run;
- weekly habits: consecutive ISO weeks that reached `timesPerWeek` check-ins, counting back
  from last week; the current week adds one once it reaches the quota, and never breaks it;
- `streakLongest`: the longest run anywhere in the stored check-ins.

Pure functions of days, so a streak decays without any write.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from ..timeutil import iso_week_start
from .rules import WEEKDAYS

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Progress:
    streak_current: int = 0
    streak_longest: int = 0
    last_check_in_date: date | None = None
    check_in_count: int = 0


def habit_progress(
    check_ins: Collection[date],
    today: date,
    *,
    frequency: str = "daily",
    days_of_week: Iterable[str] | None = None,
    times_per_week: int | None = None,
) -> Progress:
    if not check_ins:
        return Progress()
    if frequency == "weekly":
        current, longest = weekly_streaks(check_ins, today, times_per_week or 1)
    else:
        current, longest = daily_streaks(check_ins, today, scheduled_weekdays(days_of_week))
    return Progress(
        streak_current=current,
        streak_longest=longest,
        last_check_in_date=max(check_ins),
        check_in_count=len(check_ins),
    )


def scheduled_weekdays(days_of_week: Iterable[str] | None) -> frozenset[int]:
    """ISO weekday numbers (Monday = 0) a daily habit is due on; every day when unset."""
    if not days_of_week:
        return frozenset(range(7))
    return frozenset(WEEKDAYS.index(day) for day in days_of_week)


def _previous_scheduled(day: date, weekdays: frozenset[int]) -> date:
    day -= ONE_DAY
    while day.weekday() not in weekdays:
        day -= ONE_DAY
    return day


def daily_streaks(
    check_ins: Collection[date], today: date, weekdays: frozenset[int]
) -> tuple[int, int]:
    done = {day for day in check_ins if day.weekday() in weekdays}
    if today.weekday() in weekdays and today in done:
        day = today
    else:
        day = _previous_scheduled(today, weekdays)
    current = 0
    while day in done:
        current += 1
        day = _previous_scheduled(day, weekdays)

    longest = run = 0
    previous: date | None = None
    for day in sorted(done):
        run = (
            run + 1
            if previous is not None and _previous_scheduled(day, weekdays) == previous
            else 1
        )
        longest = max(longest, run)
        previous = day
    return current, max(longest, current)


def weekly_streaks(check_ins: Collection[date], today: date, quota: int) -> tuple[int, int]:
    per_week = Counter(iso_week_start(day) for day in check_ins)
    met = {week for week, count in per_week.items() if count >= quota}
    this_week = iso_week_start(today)

    current = 0
    week = this_week - ONE_WEEK
    while week in met:
        current += 1
        week -= ONE_WEEK
    if this_week in met:
        current += 1

    longest = run = 0
    previous: date | None = None
    for week in sorted(met):
        run = run + 1 if previous is not None and week - previous == ONE_WEEK else 1
        longest = max(longest, run)
        previous = week
    return current, max(longest, current)
