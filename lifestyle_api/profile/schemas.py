"""Profile shapes, one schema per direction: `ProfileUpdateSchema` for a PATCH,
`ProfileSchema` for what is answered (the export and the sync feed answer it too).

Fields are snake_case in Python and camelCase on the wire; read-only fields (`userId`,
`email`, timestamps) are only in the read schema, so sending one is an "Unknown field." 400.
The read schemas mark every field the server always sends `required`, and those that may be
null `allow_none`.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import marshmallow as ma
from marshmallow import validate

from ..base_schemas import ResponseSchema, StrictSchema
from ..fields import Amount, Boolean, Instant, LocalTime, Number, Text
from ..timeutil import DEFAULT_TIMEZONE
from ..units import DEFAULT_UNIT_SYSTEM, UNIT_SYSTEMS

NAME_MAX = 120
# The longest IANA name is 32 characters (America/Argentina/ComodRivadavia).
TIMEZONE_MAX = 64
TARGET_MAX = 1_000_000


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(name: str) -> None:
    if name not in _timezones():
        raise ma.ValidationError("Not a known IANA timezone, e.g. Europe/Paris.")


def _amount(data_key: str) -> Amount:
    return Amount(TARGET_MAX, data_key=data_key, allow_none=True)


def _count(data_key: str) -> ma.fields.Integer:
    return ma.fields.Integer(
        data_key=data_key,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=0, max=TARGET_MAX),
    )


class DailyTargetsInputSchema(StrictSchema):
    """Each target optional and >= 0; `null` clears one and absent ones stay."""

    calories_kcal = _amount("caloriesKcal")
    protein_g = _amount("proteinG")
    carbs_g = _amount("carbsG")
    fat_g = _amount("fatG")
    water_ml = _amount("waterMl")
    steps = _count("steps")
    sleep_minutes = _count("sleepMinutes")
    active_minutes = _count("activeMinutes")


class DailyTargetsSchema(ResponseSchema):
    """The targets summaries compare the day with; null where none is set."""

    calories_kcal = Number(data_key="caloriesKcal", allow_none=True)
    protein_g = Number(data_key="proteinG", allow_none=True)
    carbs_g = Number(data_key="carbsG", allow_none=True)
    fat_g = Number(data_key="fatG", allow_none=True)
    water_ml = Number(data_key="waterMl", allow_none=True)
    steps = ma.fields.Integer(allow_none=True)
    sleep_minutes = ma.fields.Integer(data_key="sleepMinutes", allow_none=True)
    active_minutes = ma.fields.Integer(data_key="activeMinutes", allow_none=True)


class QuietHoursSchema(StrictSchema):
    """Local times in the profile's timezone; a `start` after `end` runs across midnight.
    Sent and answered alike."""

    start = LocalTime(required=True)
    end = LocalTime(required=True)

    @ma.validates_schema
    def start_differs_from_end(self, data, **_kwargs):
        if data["start"] == data["end"]:
            raise ma.ValidationError("start and end must differ.", field_name="end")


class NotificationsInputSchema(StrictSchema):
    """Absent fields stay as they are."""

    enabled = Boolean(metadata={"description": "Nothing is sent when false. Default true."})
    quiet_hours = ma.fields.Nested(
        QuietHoursSchema,
        data_key="quietHours",
        allow_none=True,
        metadata={
            "description": "Nothing is sent between `start` and `end`; a reminder that falls in "
            "them waits for `end` on the same day. `null` (the default) for none."
        },
    )
    streak_nudges = Boolean(
        data_key="streakNudges",
        metadata={"description": "`streak_at_risk` nudges at 20:00 local. Default true."},
    )


class NotificationsSchema(ResponseSchema):
    """Reminders and nudges (push and the inbox), as the profile holds them."""

    enabled = ma.fields.Boolean(metadata={"description": "Nothing is sent when false."})
    quiet_hours = ma.fields.Nested(
        QuietHoursSchema,
        data_key="quietHours",
        allow_none=True,
        metadata={"description": "Nothing is sent between `start` and `end`; null for none."},
    )
    streak_nudges = ma.fields.Boolean(
        data_key="streakNudges",
        metadata={"description": "`streak_at_risk` nudges at 20:00 local."},
    )


class ProfileUpdateSchema(StrictSchema):
    """Partial update: any of `name`, `timezone`, `unitSystem`, `dailyTargets`,
    `notifications`."""

    name = Text(allow_none=True, validate=validate.Length(min=1, max=NAME_MAX))
    timezone = Text(
        validate=[validate.Length(min=1, max=TIMEZONE_MAX), validate_timezone],
        metadata={"description": f"IANA timezone, default `{DEFAULT_TIMEZONE}`."},
    )
    unit_system = ma.fields.String(
        data_key="unitSystem",
        validate=validate.OneOf(UNIT_SYSTEMS),
        metadata={"description": f"Default `{DEFAULT_UNIT_SYSTEM}`."},
    )
    daily_targets = ma.fields.Nested(DailyTargetsInputSchema, data_key="dailyTargets")
    notifications = ma.fields.Nested(
        NotificationsInputSchema,
        attribute="notification_preferences",
        metadata={"description": "Reminders and nudges: push and the inbox."},
    )


class ProfileSchema(ResponseSchema):
    """The caller's profile. `email` is empty when Cognito had none for the caller."""

    user_id = ma.fields.String(data_key="userId")
    email = ma.fields.String()
    name = ma.fields.String(allow_none=True)
    timezone = ma.fields.String(metadata={"description": "IANA timezone."})
    unit_system = ma.fields.String(data_key="unitSystem", validate=validate.OneOf(UNIT_SYSTEMS))
    daily_targets = ma.fields.Nested(DailyTargetsSchema, data_key="dailyTargets")
    notifications = ma.fields.Nested(NotificationsSchema, attribute="notification_preferences")
    created_at = Instant(data_key="createdAt")
    updated_at = Instant(data_key="updatedAt")
