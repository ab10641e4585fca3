"""Goal and check-in shapes, one schema per direction: what a client sends to create
(`GoalCreateSchema`) or change (`GoalUpdateSchema`) a goal, what it gets back (`GoalSchema`),
and the list filters.

Fields are snake_case in Python and camelCase on the wire (`data_key`). Read-only fields
(ids, `progress`, timestamps) are only in the read schemas, so sending one is an "Unknown
field." 400. A read schema is a `ResponseSchema`: every field is `required` in the document
(the server always sends it), and a field it may send as null is `allow_none`: OpenAPI
clients are generated from these.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from ..base_schemas import ListArgs, ResponseSchema, StrictSchema, page_schema
from ..fields import Day, Instant, LocalTime, Number, Text
from .shape import (
    CATEGORIES,
    DIRECTIONS,
    FREQUENCIES,
    GOAL_TYPES,
    STATUSES,
    TARGET_METRICS,
    WEEKDAYS,
    goal_shape_errors,
)

TITLE_MAX = 120
DESCRIPTION_MAX = 2000


class ScheduleInputSchema(StrictSchema):
    """How often a habit is due; the server fills in what is left out."""

    frequency = ma.fields.String(required=True, validate=validate.OneOf(FREQUENCIES))
    days_of_week = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(WEEKDAYS)),
        data_key="daysOfWeek",
        validate=validate.Length(min=1, max=7),
        metadata={"description": "Daily habits only; absent means every day."},
    )
    times_per_week = ma.fields.Integer(
        strict=True,
        data_key="timesPerWeek",
        validate=validate.Range(min=1, max=7),
        metadata={"description": "Weekly habits only; default 1."},
    )


class ScheduleSchema(ResponseSchema):
    """How often a habit is due, as stored: `daysOfWeek` is null for every day,
    `timesPerWeek` is null for daily habits."""

    frequency = ma.fields.String(validate=validate.OneOf(FREQUENCIES))
    days_of_week = ma.fields.List(
        ma.fields.String(validate=validate.OneOf(WEEKDAYS)),
        data_key="daysOfWeek",
        allow_none=True,
    )
    times_per_week = ma.fields.Integer(data_key="timesPerWeek", allow_none=True)


class TargetSchema(StrictSchema):
    """A number to reach from metrics (target goals); sent and answered alike."""

    metric = ma.fields.String(required=True, validate=validate.OneOf(TARGET_METRICS))
    value = Number(required=True, validate=validate.Range(min=0, max=1_000_000))
    direction = ma.fields.String(required=True, validate=validate.OneOf(DIRECTIONS))


class ReminderSchema(StrictSchema):
    """A habit's daily reminder; sent and answered alike."""

    time = LocalTime(
        required=True,
        metadata={"description": "Local time in the profile's timezone, `HH:MM`."},
    )


def _reminder_field(**kwargs) -> ma.fields.Nested:
    return ma.fields.Nested(
        ReminderSchema,
        allow_none=True,
        **kwargs,
        metadata={
            "description": "Habits only: a daily reminder (push and inbox) on the days the "
            "habit is due and not yet checked in; `null` for none."
        },
    )


class ProgressSchema(ResponseSchema):
    streak_current = ma.fields.Integer(data_key="streakCurrent")
    streak_longest = ma.fields.Integer(data_key="streakLongest")
    last_check_in_date = Day(data_key="lastCheckInDate", allow_none=True)
    check_in_count = ma.fields.Integer(data_key="checkInCount")


class GoalCreateSchema(StrictSchema):
    """A new goal. `title` is required; `category` defaults to `other`, `type` to `habit`
    (with a daily schedule), `status` to `active`, `startDate` to today in the user's
    timezone."""

    title = Text(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    description = Text(allow_none=True, validate=validate.Length(max=DESCRIPTION_MAX))
    category = ma.fields.String(load_default="other", validate=validate.OneOf(CATEGORIES))
    goal_type = ma.fields.String(
        data_key="type", load_default="habit", validate=validate.OneOf(GOAL_TYPES)
    )
    schedule = ma.fields.Nested(
        ScheduleInputSchema,
        allow_none=True,
        metadata={"description": "Habits only; default every day."},
    )
    target = ma.fields.Nested(
        TargetSchema, allow_none=True, metadata={"description": "Target goals only (required)."}
    )
    status = ma.fields.String(load_default="active", validate=validate.OneOf(STATUSES))
    start_date = Day(data_key="startDate", metadata={"description": "Default today."})
    end_date = Day(data_key="endDate", allow_none=True)
    reminder = _reminder_field()

    @ma.validates_schema
    def fields_fit_together(self, data, **_kwargs):
        errors = goal_shape_errors(
            data["goal_type"],
            data.get("schedule"),
            data.get("target"),
            data.get("start_date"),
            data.get("end_date"),
            data.get("reminder"),
        )
        if errors:
            raise ma.ValidationError(errors)


class GoalUpdateSchema(StrictSchema):
    """Partial update: any of these fields; `type` cannot change. `null` clears
    `description`, `endDate` and `reminder`."""

    title = Text(validate=validate.Length(min=1, max=TITLE_MAX))
    description = Text(allow_none=True, validate=validate.Length(max=DESCRIPTION_MAX))
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES))
    schedule = ma.fields.Nested(ScheduleInputSchema)
    target = ma.fields.Nested(TargetSchema)
    status = ma.fields.String(validate=validate.OneOf(STATUSES))
    start_date = Day(data_key="startDate")
    end_date = Day(data_key="endDate", allow_none=True)
    reminder = _reminder_field()


class GoalSchema(ResponseSchema):
    """A goal. `schedule` is null for target goals, `target` for habits; `progress` is as
    of today in the caller's timezone."""

    goal_id = ma.fields.String(data_key="goalId")
    title = ma.fields.String(validate=validate.Length(min=1, max=TITLE_MAX))
    description = ma.fields.String(allow_none=True, validate=validate.Length(max=DESCRIPTION_MAX))
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES))
    goal_type = ma.fields.String(data_key="type", validate=validate.OneOf(GOAL_TYPES))
    schedule = ma.fields.Nested(ScheduleSchema, allow_none=True)
    target = ma.fields.Nested(TargetSchema, allow_none=True)
    status = ma.fields.String(validate=validate.OneOf(STATUSES))
    start_date = Day(data_key="startDate")
    end_date = Day(data_key="endDate", allow_none=True)
    reminder = _reminder_field()
    progress = ma.fields.Nested(ProgressSchema)
    created_at = Instant(data_key="createdAt")
    updated_at = Instant(data_key="updatedAt")


class GoalListArgs(ListArgs):
    status = ma.fields.String(validate=validate.OneOf(STATUSES))
    category = ma.fields.String(validate=validate.OneOf(CATEGORIES))


GoalPageSchema = page_schema(GoalSchema, "GoalPage")


NOTE_MAX = 1000
CHECK_IN_VALUE_MAX = 1_000_000


class CheckInCreateSchema(StrictSchema):
    """A habit check-in: at most one per goal and local day. `date` defaults to today in the
    user's timezone; a second check-in on a day updates that day's `value` and `note` (those
    sent) instead of adding another."""

    day = Day(
        data_key="date",
        metadata={"description": "The user's local day; not after today, within the goal's dates."},
    )
    value = Number(
        allow_none=True,
        validate=validate.Range(min=0, max=CHECK_IN_VALUE_MAX),
        metadata={"description": "An optional amount (glasses, minutes, pages, …)."},
    )
    note = Text(allow_none=True, validate=validate.Length(max=NOTE_MAX))


class CheckInSchema(ResponseSchema):
    """A habit check-in, one per goal and local day."""

    goal_id = ma.fields.String(data_key="goalId")
    day = Day(data_key="date", metadata={"description": "The user's local day."})
    value = Number(
        allow_none=True,
        metadata={"description": "The amount checked in (glasses, minutes, pages, …), if any."},
    )
    note = ma.fields.String(allow_none=True)
    created_at = Instant(data_key="createdAt")
    updated_at = Instant(data_key="updatedAt")


class CheckInListArgs(ListArgs):
    first = Day(data_key="from", metadata={"description": "First day, inclusive."})
    last = Day(data_key="to", metadata={"description": "Last day, inclusive."})

    @ma.validates_schema
    def range_is_ordered(self, data, **_kwargs):
        if data.get("first") and data.get("last") and data["first"] > data["last"]:
            raise ma.ValidationError({"from": ["from must not be after to."]})


CheckInPageSchema = page_schema(CheckInSchema, "CheckInPage")
