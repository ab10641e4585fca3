"""When a reminder or nudge is due, in the user's own day: pure functions of instants, local
times, timezones and quiet hours (no DynamoDB).

- A pass at instant `at` covers the window (`at` − 15 minutes, `at`]: what falls in it is
  sent by this pass, what falls before was the previous pass's.
- A local time on a day becomes an instant in the user's timezone. A time that happens
  twice (clocks going back) counts once, at its first occurrence; a time that does not
  happen (clocks going forward) is taken at the first instant after it, when the clocks
  jump (02:30 on the spring-forward day in Paris is 03:00 CEST).
- Quiet hours `[start, end)` hold back what falls in them until `end`, on the same day;
  quiet hours that run across midnight (`start` after `end`) hold back what falls after
  `start` to the next day, so that is not sent at all.
- `streak_at_risk` is due at 20:00 local, under the same quiet-hours rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta

from ..records import Record
from ..timeutil import local_day, zone

PASS_INTERVAL = timedelta(minutes=15)
STREAK_NUDGE_TIME = time(20, 0)
REMINDER = "reminder"
STREAK_AT_RISK = "streak_at_risk"


class Window(Record):
    """The instants one pass covers: after `start`, up to and including `end`."""

    start: datetime
    end: datetime

    @classmethod
    def ending_at(cls, at: datetime) -> Window:
        return cls(at - PASS_INTERVAL, at)

    def __contains__(self, instant: object) -> bool:
        return isinstance(instant, datetime) and self.start < instant <= self.end


class QuietHours(Record):
    start: time
    end: time


class Planned(Record):
    """A notification this pass should consider: its kind, the habit, the local day it is
    for, the local time it was planned at (`HH:MM`), and the instant it falls due."""

    kind: str
    goal_id: str
    day: date
    local_time: str
    due_at: datetime


def parse_time(text: str) -> time:
    """`HH:MM` as a time of day."""
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def instant_of(day: date, local_time: time, timezone: str) -> datetime:
    """The UTC instant at which `local_time` happens on `day` in `timezone`: its first
    occurrence when it happens twice, the first instant after it when it does not happen."""
    tz = zone(timezone)
    wall = datetime.combine(day, local_time)
    first = wall.replace(tzinfo=tz).astimezone(UTC)
    if first.astimezone(tz).replace(tzinfo=None) == wall:
        return first
    return _end_of_gap(wall, timezone)


def _end_of_gap(wall: datetime, timezone: str) -> datetime:
    """The instant the clocks jump over `wall` (a local time that does not exist): the first
    instant whose local time is later than `wall`. zoneinfo reads `wall` with the offset
    from before the jump (`fold=0`, an instant after the jump) and from after it (`fold=1`,
    an instant before the jump); the jump lies between, found to the second."""
    tz = zone(timezone)
    before = int(wall.replace(tzinfo=tz, fold=1).timestamp())
    after = int(wall.replace(tzinfo=tz, fold=0).timestamp())
    low, high = min(before, after), max(before, after)
    while low < high:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, tz).replace(tzinfo=None) > wall:
            high = middle
        else:
            low = middle + 1
    return datetime.fromtimestamp(low, UTC)


def held_back(local_time: time, quiet: QuietHours | None) -> time | None:
    """When something planned at `local_time` may be sent that day: at that time outside
    quiet hours, at their end inside them, and not that day (`None`) when they end on the
    next day."""
    if quiet is None:
        return local_time
    start, end = quiet
    if start < end:
        return end if start <= local_time < end else local_time
    if local_time >= start:
        return None
    return end if local_time < end else local_time


def days_around(window: Window, timezone: str) -> list[date]:
    """The local days whose planned times can fall in the window: those the window touches,
    and the one before (a time in a gap at the end of a day falls on the next one)."""
    first = local_day(window.start, timezone) - timedelta(days=1)
    last = local_day(window.end, timezone)
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def planned_in_window(
    window: Window,
    timezone: str,
    habits: Iterable[tuple[str, str | None]],
    *,
    quiet: QuietHours | None,
    streak_nudges: bool,
) -> list[Planned]:
    """What falls due in the window for one user: each habit's reminder (`(goal_id,
    "HH:MM" | None)` pairs) and, with `streak_nudges`, a `streak_at_risk` candidate for
    every habit at 20:00, all after quiet hours. Reminders come first."""
    habits = list(habits)
    planned: list[Planned] = []
    nudges: list[Planned] = []
    for day in days_around(window, timezone):
        due = _due_instants(day, timezone, quiet)
        for goal_id, reminder in habits:
            if reminder is not None and (at := due(parse_time(reminder))) in window:
                planned.append(Planned(REMINDER, goal_id, day, reminder, at))
        if streak_nudges and (at := due(STREAK_NUDGE_TIME)) in window:
            nudge_time = STREAK_NUDGE_TIME.strftime("%H:%M")
            nudges += [
                Planned(STREAK_AT_RISK, goal_id, day, nudge_time, at) for goal_id, _ in habits
            ]
    return planned + nudges


def _due_instants(day: date, timezone: str, quiet: QuietHours | None):
    """`due(local_time)`: the instant something planned at that time on `day` is sent,
    `None` when quiet hours hold it past the day."""
    cache: dict[time, datetime | None] = {}

    def due(local_time: time) -> datetime | None:
        if local_time not in cache:
            sent_at = held_back(local_time, quiet)
            cache[local_time] = None if sent_at is None else instant_of(day, sent_at, timezone)
        return cache[local_time]

    return due
