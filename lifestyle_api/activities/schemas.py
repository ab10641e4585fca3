"""Activity shapes, one schema per direction: what a client sends to create
(`ActivityCreateSchema`) or change (`ActivityUpdateSchema`) an activity, what it gets back
(`ActivitySchema`), and the list filters.

Fields are snake_case in Python and camelCase on the wire (`data_key`). Read-only fields
(ids, timestamps) are only in the read schema, so sending one is an "Unknown field." 400.
The read schema is a `ResponseSchema`: every field `required` (the server always sends it),
and those that may be null `allow_none`.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from ..base_schemas import InstantRangeArgs, ResponseSchema, StrictSchema, page_schema, patch_schema
from ..fields import Amount, Instant, Number, Text

ACTIVITY_TYPES = (
    "walk",
    "run",
    "cycle",
    "swim",
    "strength",
    "yoga",
    "hiit",
    "sport",
    "meditation",
    "other",
)
INTENSITIES = ("low", "moderate", "high")
MAX_DURATION_MINUTES = 1440
MAX_DISTANCE_M = 1_000_000
MAX_CALORIES_KCAL = 20_000
NOTES_MAX = 2000
ULID_PATTERN = r"[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}"


def _goal_id(**kwargs) -> Text:
    return Text(
        data_key="goalId",
        allow_none=True,
        pattern=ULID_PATTERN,
        error_messages={"no_match": "Not a valid goal id."},
        metadata={"description": "One of the caller's goals; anything else is a 400."},
        **kwargs,
    )


class ActivityCreateSchema(StrictSchema):
    """A new activity: `type`, `startedAt` and `durationMinutes` are required. Its local day
    (the one summaries count it on) is the day of `startedAt` in the profile's timezone when
    it is written."""

    activity_type = ma.fields.String(
        data_key="type", required=True, validate=validate.OneOf(ACTIVITY_TYPES)
    )
    started_at = Instant(
        data_key="startedAt", required=True, metadata={"description": "With an offset."}
    )
    duration_minutes = ma.fields.Integer(
        data_key="durationMinutes",
        required=True,
        strict=True,
        validate=validate.Range(min=1, max=MAX_DURATION_MINUTES),
        metadata={"description": "Whole minutes, 1–1440."},
    )
    distance_m = Amount(MAX_DISTANCE_M, data_key="distanceM", allow_none=True)
    calories_kcal = Amount(MAX_CALORIES_KCAL, data_key="caloriesKcal", allow_none=True)
    intensity = ma.fields.String(allow_none=True, validate=validate.OneOf(INTENSITIES))
    notes = Text(allow_none=True, validate=validate.Length(max=NOTES_MAX))
    goal_id = _goal_id()


class ActivitySchema(ResponseSchema):
    """An activity; the optional fields it was logged without are null."""

    activity_id = ma.fields.String(data_key="activityId")
    activity_type = ma.fields.String(data_key="type", validate=validate.OneOf(ACTIVITY_TYPES))
    started_at = Instant(data_key="startedAt")
    duration_minutes = ma.fields.Integer(
        data_key="durationMinutes",
        validate=validate.Range(min=1, max=MAX_DURATION_MINUTES),
    )
    distance_m = Number(data_key="distanceM", allow_none=True)
    calories_kcal = Number(data_key="caloriesKcal", allow_none=True)
    intensity = ma.fields.String(allow_none=True, validate=validate.OneOf(INTENSITIES))
    notes = ma.fields.String(allow_none=True)
    goal_id = ma.fields.String(
        data_key="goalId",
        allow_none=True,
        metadata={"description": "The goal the activity counts for, if any."},
    )
    created_at = Instant(data_key="createdAt")
    updated_at = Instant(data_key="updatedAt")


ActivityUpdateSchema = patch_schema(
    ActivityCreateSchema,
    "ActivityUpdateSchema",
    """Partial update: any of these fields; `null` clears the optional ones. A new `startedAt`
    moves the activity to its new local day.""",
)


class ActivityListArgs(InstantRangeArgs):
    """Newest first by `startedAt`; `from`/`to` bound `startedAt` (inclusive)."""

    activity_type = ma.fields.String(data_key="type", validate=validate.OneOf(ACTIVITY_TYPES))


ActivityPageSchema = page_schema(ActivitySchema, "ActivityPage")
