"""Habit check-ins (API.md "Goals"): at most one per goal and local day. No Flask here.

The goal carries the days that have a check-in (`checkInDays`, a `DaySet`), so its progress
is derived from the goal alone. Every create and delete writes the check-in and the goal's
new day set in ONE TransactWrite, the goal's part conditioned on the version read (and, for
a create, on the goal still being active and covering the day). A writer that loses a race
to another check-in or a goal PATCH reads again and retries, as the retry policy allows,
then answers 409; nothing is ever written from a stale day set.

DynamoDB requests: create 2 (BatchGetItem goal + profile, TransactWriteItems); a second
check-in on the same day 3 (plus the GetItem of that check-in); delete 2 (GetItem of the
goal, TransactWriteItems); get 1; list 1 Query (plus a keys-only GetItem of the goal when
the first page is empty, to tell "no check-ins" from "no such goal").
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pynamodb.exceptions import TransactWriteError

from ..base_schemas import shared_instance
from ..db import transact_write
from ..db.errors import ITEM_CONDITION_FAILED, cancellation_codes, is_condition_failure
from ..db.keys import checkin_range, user_pk
from ..db.query import query_page
from ..db.reads import Presentation, get_owned, read_with_profile
from ..db.retry import retry_attempts
from ..exceptions import Conflict, InvalidInput, NotFound, PreconditionFailed
from ..timeutil import today_in, utc_now
from .models import CheckInItem, GoalItem
from .schemas import CheckInSchema
from .service import GOAL_NOT_FOUND, get_goal

CHECK_IN_NOT_FOUND = "No check-in on this day."


def create_check_in(
    sub: str, goal_id: str, data: dict[str, Any], *, now: datetime | None = None
) -> tuple[CheckInItem, bool]:
    """Record the goal's check-in for `data["day"]` (default: today in the user's timezone).

    Returns the check-in and whether it was created (`False`: that day already had one,
    and `value` / `note` given here replaced its own).
    """
    now = now or utc_now()
    for _attempt in retry_attempts():
        goal, timezone = _goal_and_timezone(sub, goal_id)
        today = today_in(timezone, now)
        day = data.get("day") or today
        _check_accepts(goal, day, today)
        try:
            if day in goal.checked_in:
                check_in = _update_existing(sub, goal, day, data, now)
                if check_in is not None:
                    return check_in, False
            # A new day (or one whose check-in was deleted since the goal was read).
            return _create_new(sub, goal, day, data, now), True
        except TransactWriteError as exc:
            # Someone else wrote this day or the goal since it was read: read again, decide anew.
            if not is_condition_failure(exc):
                raise
    raise Conflict()


def get_check_in(sub: str, goal_id: str, day: date) -> CheckInItem:
    """One check-in (one GetItem); another user's goal holds none in the caller's partition."""
    return get_owned(CheckInItem, CheckInItem.key(sub, goal_id, day), CHECK_IN_NOT_FOUND)


def list_check_ins(
    sub: str,
    goal_id: str,
    *,
    limit: int,
    start_key: dict[str, Any] | None = None,
    first: date | None = None,
    last: date | None = None,
) -> tuple[list[CheckInItem], dict[str, Any] | None]:
    """One page of the goal's check-ins from `first` to `last` (days, inclusive), newest first.

    A check-in exists only while its goal does, so a non-empty page proves the goal is the
    caller's; only an empty first page costs a second (keys-only) read to answer 404.
    """
    items, last_key = query_page(
        CheckInItem,
        user_pk(sub),
        CheckInItem.sk.between(*checkin_range(goal_id, first, last)),
        limit=limit,
        start_key=start_key,
    )
    if not items and start_key is None:
        _require_goal(sub, goal_id)
    return items, last_key


def delete_check_in(sub: str, goal_id: str, day: date, *, if_match: int | None = None) -> None:
    """Delete the day's check-in and take the day out of the goal's set, in one transaction."""
    for _attempt in retry_attempts():
        goal = get_goal(sub, goal_id, consistent_read=True)
        check_in = CheckInItem(*CheckInItem.key(sub, goal_id, day))
        condition = CheckInItem.pk.exists()
        if if_match is not None:
            condition &= CheckInItem.version == if_match
        try:
            with transact_write() as tx:
                tx.delete(check_in, condition=condition, add_version_condition=False)
                # Conditioned on the goal's version: the days written are the days read.
                remaining = goal.checked_in.without_day(day)
                tx.update(goal, actions=goal.check_in_days_actions(remaining))
            return
        except TransactWriteError as exc:
            check_in_reason = next(iter(cancellation_codes(exc)), None)
            if check_in_reason == ITEM_CONDITION_FAILED:
                if if_match is not None:
                    get_check_in(sub, goal_id, day)  # NotFound when it is missing
                    raise PreconditionFailed() from exc
                raise NotFound(CHECK_IN_NOT_FOUND) from exc
            # The goal changed (or went) since it was read: read it again.
            if not is_condition_failure(exc):
                raise
    raise Conflict()


def _create_new(
    sub: str, goal: GoalItem, day: date, data: dict[str, Any], now: datetime
) -> CheckInItem:
    check_in = CheckInItem(
        *CheckInItem.key(sub, goal.goal_id, day),
        goal_id=goal.goal_id,
        day=day,
        value=data.get("value"),
        note=data.get("note"),
        created_at=now,
        updated_at=now,
    )
    check_in.index_keys()
    with transact_write() as tx:
        # A new item: PynamoDB conditions the put on its version not existing yet.
        tx.save(check_in)
        # Conditioned on the goal's version too: the days written are the days read plus one.
        tx.update(
            goal,
            actions=goal.check_in_days_actions(goal.checked_in.with_day(day)),
            condition=_accepts_check_ins_on(day),
        )
    return check_in


def _update_existing(
    sub: str, goal: GoalItem, day: date, data: dict[str, Any], now: datetime
) -> CheckInItem | None:
    """Replace the given fields of the day's check-in; `None` if it vanished meanwhile."""
    try:
        check_in = CheckInItem.get(*CheckInItem.key(sub, goal.goal_id, day), consistent_read=True)
    except CheckInItem.DoesNotExist:
        return None
    for field in ("value", "note"):
        if field in data:
            setattr(check_in, field, data[field])
    check_in.updated_at = now
    check_in.index_keys()
    with transact_write() as tx:
        tx.condition_check(GoalItem, *GoalItem.key(sub, goal.goal_id), _accepts_check_ins_on(day))
        tx.save(check_in)  # conditioned on the version read
    return check_in


def _goal_and_timezone(sub: str, goal_id: str) -> tuple[GoalItem, str]:
    """The goal and the profile's timezone in one consistent BatchGetItem."""
    read = read_with_profile(sub, GoalItem.key(sub, goal_id), consistent_read=True)
    if read.item is None:
        raise NotFound(GOAL_NOT_FOUND)
    return read.item, read.timezone


def _require_goal(sub: str, goal_id: str) -> None:
    get_owned(
        GoalItem, GoalItem.key(sub, goal_id), GOAL_NOT_FOUND, attributes_to_get=["PK", "SK", "kind"]
    )


def _check_accepts(goal: GoalItem, day: date, today: date) -> None:
    """API.md: only active habit goals, on days from startDate to endDate, not after today."""
    if goal.goal_type != "habit":
        raise InvalidInput(
            "Only habit goals take check-ins; target goals follow metrics.",
            details={"goalId": ["This goal is a target goal."]},
        )
    if goal.status != "active":
        raise InvalidInput(
            f"This goal is {goal.status}; only active goals take check-ins.",
            details={"goalId": [f"The goal's status is {goal.status}."]},
        )
    if day > today:
        raise InvalidInput(
            "A check-in cannot be in the future.",
            details={"date": [f"Must not be after today ({today.isoformat()})."]},
        )
    if day < goal.start_date:
        raise InvalidInput(
            "The goal had not started on that day.",
            details={"date": [f"Must not be before the goal's startDate ({goal.start_date})."]},
        )
    if goal.end_date is not None and day > goal.end_date:
        raise InvalidInput(
            "The goal had ended by that day.",
            details={"date": [f"Must not be after the goal's endDate ({goal.end_date})."]},
        )


def _accepts_check_ins_on(day: date):
    """The goal still exists, is active and covers `day` when the transaction commits.

    Days are stored as `YYYY-MM-DD`, so string order is day order. The type is not
    checked: it cannot change after creation.
    """
    return (
        GoalItem.pk.exists()
        & (GoalItem.status == "active")
        & (GoalItem.start_date <= day)
        & (GoalItem.end_date.does_not_exist() | (GoalItem.end_date >= day))
    )


def export_check_in(raw: dict[str, Any], _presentation: Presentation) -> dict[str, Any]:
    """A check-in from a raw item, as `GET /goals/{goalId}/check-ins/{day}` answers it."""
    return _CHECK_IN_SCHEMA.dump(CheckInItem.from_raw_data(raw))


_CHECK_IN_SCHEMA = shared_instance(CheckInSchema)
