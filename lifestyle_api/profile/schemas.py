"""Profile shapes (read, patch) and the export page, with the export's own item shapes for
the kinds whose feature schemas live elsewhere (check-ins, activities, meals, metrics).

Fields are snake_case in Python and camelCase on the wire; read-only fields are `dump_only`,
so sending one is an "Unknown field." 400.
"""

from __future__ import annotations

from functools import cache
from zoneinfo import available_timezones

import marshmallow as ma
from marshmallow import validate

from ..activities.schemas import ActivitySchema
from ..fields import Instant, Number, StrictSchema
from ..goals.schemas import CheckInSchema, GoalSchema
from ..meals.schemas import MealSchema
from .models import DEFAULT_TIMEZONE, DEFAULT_UNIT_SYSTEM

UNIT_SYSTEMS = ("metric", "imperial")
NAME_MAX = 120
# The longest IANA name is 32 characters (America/Argentina/ComodRivadavia).
TIMEZONE_MAX = 64
TARGET_MAX = 1_000_000
EXPORT_CURSOR_MAX = 2048
# The canonical unit each metric type is stored in (API.md "Health metrics").
CANONICAL_UNITS = {
    "weight": "kg",
    "bodyFat": "percent",
    "steps": "count",
    "sleep": "min",
    "heartRate": "bpm",
    "restingHeartRate": "bpm",
    "water": "ml",
}


@cache
def _timezones() -> frozenset[str]:
    return frozenset(available_timezones())


def validate_timezone(name: str) -> None:
    if name not in _timezones():
        raise ma.ValidationError("Not a known IANA timezone, e.g. Europe/Paris.")


def _amount(data_key: str) -> Number:
    return Number(
        data_key=data_key,
        allow_none=True,
        allow_nan=False,
        validate=validate.Range(min=0, max=TARGET_MAX),
    )


def _count(data_key: str) -> ma.fields.Integer:
    return ma.fields.Integer(
        data_key=data_key,
        allow_none=True,
        strict=True,
        validate=validate.Range(min=0, max=TARGET_MAX),
    )


class DailyTargetsSchema(StrictSchema):
    """Each target optional and >= 0; on PATCH, `null` clears one and absent ones stay."""

    calories_kcal = _amount("caloriesKcal")
    protein_g = _amount("proteinG")
    carbs_g = _amount("carbsG")
    fat_g = _amount("fatG")
    water_ml = _amount("waterMl")
    steps = _count("steps")
    sleep_minutes = _count("sleepMinutes")
    active_minutes = _count("activeMinutes")


class ProfileSchema(StrictSchema):
    """The profile; a PATCH may send any of `name`, `timezone`, `unitSystem`, `dailyTargets`."""

    user_id = ma.fields.String(data_key="userId", dump_only=True)
    email = ma.fields.String(dump_only=True)
    name = ma.fields.String(allow_none=True, validate=validate.Length(min=1, max=NAME_MAX))
    timezone = ma.fields.String(
        validate=[validate.Length(min=1, max=TIMEZONE_MAX), validate_timezone],
        metadata={"description": f"IANA timezone, default `{DEFAULT_TIMEZONE}`."},
    )
    unit_system = ma.fields.String(
        data_key="unitSystem",
        validate=validate.OneOf(UNIT_SYSTEMS),
        metadata={"description": f"Default `{DEFAULT_UNIT_SYSTEM}`."},
    )
    daily_targets = ma.fields.Nested(DailyTargetsSchema, data_key="dailyTargets")
    created_at = Instant(data_key="createdAt", dump_only=True)
    updated_at = Instant(data_key="updatedAt", dump_only=True)


class SourceExportSchema(ma.Schema):
    name = ma.fields.String()
    external_id = ma.fields.String(data_key="externalId", allow_none=True)


class MetricExportSchema(ma.Schema):
    """A metric in its canonical unit (the export does not follow `unitSystem`)."""

    metric_id = ma.fields.String(data_key="metricId")
    metric_type = ma.fields.String(data_key="type")
    value = ma.fields.Method("canonical_value")
    unit = ma.fields.Method("canonical_unit")
    recorded_at = Instant(data_key="recordedAt")
    source = ma.fields.Nested(SourceExportSchema, allow_none=True)
    created_at = Instant(data_key="createdAt")

    def canonical_value(self, metric) -> float:
        return round(float(metric.value), 2)

    def canonical_unit(self, metric) -> str:
        return CANONICAL_UNITS.get(metric.metric_type, "")


class ExportArgs(StrictSchema):
    cursor = ma.fields.String(
        validate=validate.Length(min=1, max=EXPORT_CURSOR_MAX),
        metadata={"description": "`nextCursor` of the previous page; opaque."},
    )


class ExportPageSchema(ma.Schema):
    """One page of the export: at most 1,000 items or 4 MB, grouped by kind."""

    profile = ma.fields.Nested(ProfileSchema, allow_none=True, required=True)
    goals = ma.fields.List(ma.fields.Nested(GoalSchema), required=True)
    check_ins = ma.fields.List(ma.fields.Nested(CheckInSchema), data_key="checkIns", required=True)
    activities = ma.fields.List(ma.fields.Nested(ActivitySchema), required=True)
    meals = ma.fields.List(ma.fields.Nested(MealSchema), required=True)
    metrics = ma.fields.List(ma.fields.Nested(MetricExportSchema), required=True)
    exported_at = Instant(data_key="exportedAt", required=True)
    next_cursor = ma.fields.String(
        data_key="nextCursor",
        allow_none=True,
        required=True,
        metadata={"description": "Pass as `cursor` for the next page; null at the end."},
    )
