"""The streak rules of API.md written the plain way, one day at a time, over a set of dates.

`lifestyle_api.goals.progress` computes the same on bit strings; property tests compare the
two on random histories, so this is the reference, kept deliberately naive.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from lifestyle_api.timeutil import iso_week_start

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)


def _previous_scheduled(day: date, weekdays: frozenset[int]) -> date:
    day -= ONE_DAY
    while day.weekday() not in weekdays:
        day -= ONE_DAY
    return day


def daily_streaks(check_ins: set[date], today: date, weekdays: frozenset[int]) -> tuple[int, int]:
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


def weekly_streaks(check_ins: set[date], today: date, quota: int) -> tuple[int, int]:
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
