"""Activity rules: create, read, list, update and delete one user's activities. No Flask here.

An activity's local day is fixed when it is written, from `startedAt` and the profile's
timezone at that time, so creating one reads the profile (together with the named goal, in
one BatchGetItem, when there is one). A read is one GetItem, a list one Query on LSI1, an
update one BatchGetItem or GetItem and one conditional PutItem.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ulid import ULID

from ..base_schemas import shared_instance
from ..db.keys import ACTIVITY_PREFIX, goal_sk, time_range, user_pk
from ..db.query import page_by_time
from ..db.reads import Presentation, get_owned, read_with_profile
from ..db.writes import delete_existing, update_versioned
from ..exceptions import InvalidInput, NotFound
from ..timeutil import local_day, utc_now
from .models import ActivityItem
from .schemas import ActivitySchema

ACTIVITY_NOT_FOUND = "No activity with this id."
UNKNOWN_GOAL = {"goalId": ["No goal with this id."]}
FIELDS = (
    "activity_type",
    "started_at",
    "duration_minutes",
    "distance_m",
    "calories_kcal",
    "intensity",
    "notes",
    "goal_id",
)


def create_activity(sub: str, data: dict[str, Any], *, now: datetime | None = None) -> ActivityItem:
    now = now or utc_now()
    timezone = _timezone_checking_goal(sub, data.get("goal_id"))
    activity = ActivityItem(
        *ActivityItem.key(sub, activity_id := str(ULID())),
        activity_id=activity_id,
        created_at=now,
        updated_at=now,
    )
    _apply(activity, data, timezone)
    activity.save()
    return activity


def get_activity(sub: str, activity_id: str) -> ActivityItem:
    """The caller's activity (one GetItem); anyone else's is a `NotFound`."""
    return get_owned(ActivityItem, ActivityItem.key(sub, activity_id), ACTIVITY_NOT_FOUND)


def list_activities(
    sub: str,
    *,
    limit: int,
    start_key: dict[str, Any] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    activity_type: str | None = None,
) -> tuple[list[ActivityItem], dict[str, Any] | None]:
    """One page of the caller's activities, newest `startedAt` first (one Query on LSI1)."""
    low, high = time_range(ACTIVITY_PREFIX, start, end)
    return page_by_time(
        ActivityItem,
        sub,
        ActivityItem.lsi1_sk.between(low, high),
        limit=limit,
        start_key=start_key,
        filter_condition=ActivityItem.activity_type == activity_type if activity_type else None,
    )


def update_activity(
    sub: str,
    activity_id: str,
    changes: dict[str, Any],
    *,
    if_match: int | None = None,
    now: datetime | None = None,
) -> ActivityItem:
    """Apply a partial update in one conditional write; a concurrent write is retried, or
    412 when `If-Match` was given."""
    timezone: str | None = None

    def read() -> ActivityItem:
        nonlocal timezone
        activity, timezone = _read_for_update(sub, activity_id, changes)
        return activity

    def change(activity: ActivityItem) -> None:
        _apply(activity, changes, timezone)
        activity.updated_at = now or utc_now()

    return update_versioned(read, change, if_match=if_match)


def delete_activity(sub: str, activity_id: str, *, if_match: int | None = None) -> None:
    delete_existing(
        ActivityItem(*ActivityItem.key(sub, activity_id)),
        if_match=if_match,
        read=lambda: get_activity(sub, activity_id),
    )


def _timezone_checking_goal(sub: str, goal_id: str | None) -> str:
    """The profile's timezone; with a `goal_id`, read with the goal in one BatchGetItem and
    a 400 when the caller has no such goal."""
    goal_keys = [] if goal_id is None else [_goal_key(sub, goal_id)]
    read = read_with_profile(sub, None, also=goal_keys)
    if not all(read.has(key) for key in goal_keys):
        raise InvalidInput("The activity names a goal that does not exist.", UNKNOWN_GOAL)
    return read.timezone


def _read_for_update(
    sub: str, activity_id: str, changes: dict[str, Any]
) -> tuple[ActivityItem, str | None]:
    """The activity, plus what the changes need in the same request: the profile's timezone
    when `startedAt` moves, the goal when one is named."""
    goal_id = changes.get("goal_id")
    needs_timezone = "started_at" in changes
    if goal_id is None and not needs_timezone:
        return get_activity(sub, activity_id), None
    goal_keys = [] if goal_id is None else [_goal_key(sub, goal_id)]
    read = read_with_profile(
        sub, ActivityItem.key(sub, activity_id), also=goal_keys, with_profile=needs_timezone
    )
    if read.item is None:
        raise NotFound(ACTIVITY_NOT_FOUND)
    if not all(read.has(key) for key in goal_keys):
        raise InvalidInput("The activity names a goal that does not exist.", UNKNOWN_GOAL)
    return read.item, read.timezone if needs_timezone else None


def _goal_key(sub: str, goal_id: str) -> tuple[str, str]:
    return user_pk(sub), goal_sk(goal_id)


def _apply(activity: ActivityItem, changes: dict[str, Any], timezone: str | None) -> None:
    for field in FIELDS:
        if field in changes:
            setattr(activity, field, changes[field])
    if timezone is not None:
        activity.day = local_day(activity.started_at, timezone)
    activity.index_keys()


def export_activity(raw: dict[str, Any], _presentation: Presentation) -> dict[str, Any]:
    """An activity from a raw item, as `GET /activities/{activityId}` answers it."""
    return _ACTIVITY_SCHEMA.dump(ActivityItem.from_raw_data(raw))


_ACTIVITY_SCHEMA = shared_instance(ActivitySchema)
