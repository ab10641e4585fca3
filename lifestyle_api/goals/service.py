"""Goal rules: create, read, list, update and delete one user's goals. No Flask here.

Reads cost one request: a goal with the caller's timezone is one BatchGetItem (goal and
profile), a list is one Query (plus the profile only when some goal's progress depends on
"today"). Updates are conditional on the version read; `If-Match` makes that version the
client's. `active_habits` reads one shard of the cross-user status index (GSI1), for the
reminders pass.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

from ulid import ULID

from ..base_schemas import shared_instance
from ..db import TableItem
from ..db.keys import checkin_prefix, goal_id_of, status_gsi_pk, user_pk
from ..db.query import query_page
from ..db.reads import Presentation, get_owned, read_with_profile, user_timezone
from ..db.writes import delete_existing, delete_with_tombstones, update_versioned
from ..exceptions import InvalidInput, NotFound
from ..records import Record
from ..timeutil import DEFAULT_TIMEZONE, today_in, utc_now
from .models import GoalItem, Reminder, Schedule, Target
from .progress import Progress, habit_progress
from .schemas import GoalSchema
from .shape import goal_shape_errors, normalize_schedule

GOAL_NOT_FOUND = "No goal with this id."


def create_goal(sub: str, data: dict[str, Any], *, now: datetime | None = None) -> GoalItem:
    now = now or utc_now()
    start_date = data.get("start_date") or today_in(user_timezone(sub), now)
    goal = GoalItem(
        *GoalItem.key(sub, goal_id := str(ULID())),
        goal_id=goal_id,
        title=data["title"],
        description=data.get("description"),
        category=data["category"],
        goal_type=data["goal_type"],
        status=data["status"],
        start_date=start_date,
        end_date=data.get("end_date"),
        created_at=now,
    )
    assign_shape(goal, data.get("schedule"), data.get("target"))
    goal.reminder = _reminder(data.get("reminder"))
    check_shape(goal)
    goal.touch(now)
    goal.save()
    goal.progress = Progress()
    return goal


def get_goal(sub: str, goal_id: str, *, consistent_read: bool = False) -> GoalItem:
    """The caller's goal (one GetItem); anyone else's is a `NotFound`."""
    return get_owned(
        GoalItem, GoalItem.key(sub, goal_id), GOAL_NOT_FOUND, consistent_read=consistent_read
    )


def get_goal_with_progress(sub: str, goal_id: str, *, now: datetime | None = None) -> GoalItem:
    """The goal and the profile's timezone in one BatchGetItem, progress derived for today."""
    read = read_with_profile(sub, GoalItem.key(sub, goal_id))
    if read.item is None:
        raise NotFound(GOAL_NOT_FOUND)
    attach_progress([read.item], read.timezone, now=now)
    return read.item


def list_goals(
    sub: str,
    *,
    limit: int,
    start_key: dict[str, Any] | None = None,
    status: str | None = None,
    category: str | None = None,
    now: datetime | None = None,
) -> tuple[list[GoalItem], dict[str, Any] | None]:
    """One page of the caller's goals, newest first (goal ids are time-ordered ULIDs)."""
    condition = None
    if status:
        condition &= GoalItem.status == status
    if category:
        condition &= GoalItem.category == category
    goals, last_key = query_page(
        GoalItem,
        user_pk(sub),
        GoalItem.list_range(),
        limit=limit,
        start_key=start_key,
        filter_condition=condition,
    )
    # Progress depends on "today" only for goals with check-ins.
    timezone = user_timezone(sub) if any(g.checked_in for g in goals) else DEFAULT_TIMEZONE
    attach_progress(goals, timezone, now=now)
    return goals, last_key


def update_goal(
    sub: str,
    goal_id: str,
    changes: dict[str, Any],
    *,
    if_match: int | None = None,
    now: datetime | None = None,
) -> GoalItem:
    """Apply a partial update; a concurrent write is retried, or 412 when `If-Match` was given."""

    def change(goal: GoalItem) -> None:
        _apply_changes(goal, changes)
        goal.touch(now or utc_now())

    goal = update_versioned(lambda: get_goal(sub, goal_id), change, if_match=if_match)
    attach_progress([goal], user_timezone(sub) if goal.checked_in else DEFAULT_TIMEZONE, now=now)
    return goal


def delete_goal(sub: str, goal_id: str, *, if_match: int | None = None) -> None:
    """Delete the goal at once, then its check-ins in batches (each leaving its tombstone).

    A delete that failed between the two (a check-ins batch throttled: 503) is finished by
    the client's retry: it finds the goal gone (404), and deletes what is left of its
    check-ins first, so no check-in outlives its goal."""
    try:
        delete_existing(
            GoalItem(*GoalItem.key(sub, goal_id)),
            if_match=if_match,
            read=lambda: get_goal(sub, goal_id),
        )
    except NotFound:
        delete_partition_range(sub, checkin_prefix(goal_id))
        raise
    delete_partition_range(sub, checkin_prefix(goal_id))


def delete_partition_range(sub: str, sk_prefix: str) -> int:
    """Delete every item of the user whose sort key starts with `sk_prefix`."""
    # Consistent: a check-in committed just before its goal went must not be left behind.
    items = list(
        TableItem.query(
            user_pk(sub),
            TableItem.sk.startswith(sk_prefix),
            attributes_to_get=["PK", "SK", "kind"],
            consistent_read=True,
        )
    )
    delete_with_tombstones(items)
    return len(items)


def attach_progress(goals: list[GoalItem], timezone: str, *, now: datetime | None = None) -> None:
    """Set each goal's `progress` for today in `timezone` (read-time, no write)."""
    today = today_in(timezone, now)
    for goal in goals:
        days = goal.checked_in
        if goal.goal_type != "habit" or not days:
            goal.progress = Progress(last_check_in_date=days.last, check_in_count=len(days))
            continue
        schedule = goal.schedule
        goal.progress = habit_progress(
            days,
            today,
            frequency=schedule.frequency if schedule else "daily",
            days_of_week=schedule.days_of_week if schedule else None,
            times_per_week=int(schedule.times_per_week)
            if schedule and schedule.times_per_week
            else None,
        )


def _apply_changes(goal: GoalItem, changes: dict[str, Any]) -> None:
    for field in ("title", "description", "category", "status", "start_date", "end_date"):
        if field in changes:
            setattr(goal, field, changes[field])
    if "schedule" in changes or "target" in changes:
        assign_shape(
            goal,
            changes.get("schedule", _as_dict(goal.schedule)),
            changes.get("target", _as_dict(goal.target)),
        )
    if "reminder" in changes:
        goal.reminder = _reminder(changes["reminder"])
    check_shape(goal)


def assign_shape(goal: GoalItem, schedule: dict | None, target: dict | None) -> None:
    """Set the goal's schedule (a habit's, with its defaults) and target."""
    if goal.goal_type == "habit" and target is None:
        schedule = normalize_schedule(schedule)
    goal.schedule = Schedule(**schedule) if schedule else None
    goal.target = Target(**target) if target else None


def check_shape(goal: GoalItem) -> None:
    """`InvalidInput` when the goal's type, schedule, target and dates do not fit together."""
    errors = goal_shape_errors(
        goal.goal_type,
        _as_dict(goal.schedule),
        _as_dict(goal.target),
        goal.start_date,
        goal.end_date,
        _as_dict(goal.reminder),
    )
    if errors:
        raise InvalidInput("The goal's fields do not fit together; see details.", details=errors)


def _reminder(reminder: dict | None) -> Reminder | None:
    return Reminder(time=reminder["time"]) if reminder else None


def _as_dict(attribute) -> dict | None:
    if attribute is None:
        return None
    return {
        name: getattr(attribute, name)
        for name in attribute.get_attributes()
        if getattr(attribute, name) is not None
    }


def export_goal(raw: dict[str, Any], presentation: Presentation) -> dict[str, Any]:
    """A goal from a raw item, as `GET /goals/{goalId}` answers it."""
    goal = GoalItem.from_raw_data(raw)
    attach_progress([goal], presentation.timezone)
    return _GOAL_SCHEMA.dump(goal)


# Built once: a schema instance per exported item would be thousands per page.
_GOAL_SCHEMA = shared_instance(GoalSchema)


class HabitEntry(Record):
    """An active habit as the status index shows it: whose, which, and its reminder time."""

    sub: str
    goal_id: str
    reminder_time: str | None


def active_habits(shard: int) -> Iterator[HabitEntry]:
    """Every active habit of the users in one shard of the status index (GSI1, which projects
    `type` and `reminder`): paged Queries of the index, no user's partition read. The index is
    eventually consistent; whoever acts on an entry reads the goal itself first."""
    entries = GoalItem.by_status.query(
        status_gsi_pk("active", shard), filter_condition=GoalItem.goal_type == "habit"
    )
    for goal in entries:
        yield HabitEntry(
            goal.owner, goal_id_of(goal.sk), goal.reminder.time if goal.reminder else None
        )
