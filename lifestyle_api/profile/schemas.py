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

from ..fields import Day, Instant, StrictSchema
from ..goals.schemas import GoalSchema
from .models import DEFAULT_TIMEZONE, DEFAULT_UNIT_SYSTEM

UNIT_SYSTEMS = ("metric", "imperial")
NAME_MAX = 120
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


def _amount(data_key: str) -> ma.fields.Float:
    return ma.fields.Float(
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
        validate=validate_timezone,
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


class CheckInExportSchema(ma.Schema):
    goal_id = ma.fields.String(data_key="goalId")
    day = Day(data_key="date")
    value = ma.fields.Float(allow_none=True)
    note = ma.fields.String(allow_none=True)
    created_at = Instant(data_key="createdAt")
    updated_at = Instant(data_key="updatedAt")


class ActivityExportSchema(ma.Schema):
    activity_id = ma.fields.String(data_key="activityId")
    activity_type = ma.fields.String(data_key="type")
    started_at = Instant(data_key="startedAt")
    duration_minutes = ma.fields.Float(data_key="durationMinutes")
    distance_m = ma.fields.Float(data_key="distanceM", allow_none=True)
    calories_kcal = ma.fields.Float(data_key="caloriesKcal", allow_none=True)
    intensity = ma.fields.String(allow_none=True)
    notes = ma.fields.String(allow_none=True)
    goal_id = ma.fields.String(data_key="goalId", allow_none=True)
    created_at = Instant(data_key="createdAt")
    updated_at = Instant(data_key="updatedAt")


class NutritionExportSchema(ma.Schema):
    calories_kcal = ma.fields.Float(data_key="caloriesKcal")
    protein_g = ma.fields.Float(data_key="proteinG")
    carbs_g = ma.fields.Float(data_key="carbsG")
    fat_g = ma.fields.Float(data_key="fatG")
    fiber_g = ma.fields.Float(data_key="fiberG", allow_none=True)
    sugar_g = ma.fields.Float(data_key="sugarG", allow_none=True)
    sodium_mg = ma.fields.Float(data_key="sodiumMg", allow_none=True)


class MealEntryExportSchema(NutritionExportSchema):
    name = ma.fields.String()
    quantity = ma.fields.Float()
    unit = ma.fields.String()


class MealExportSchema(ma.Schema):
    meal_id = ma.fields.String(data_key="mealId")
    meal_type = ma.fields.String(data_key="mealType")
    eaten_at = Instant(data_key="eatenAt")
    name = ma.fields.String(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(MealEntryExportSchema))
    totals = ma.fields.Nested(NutritionExportSchema)
    notes = ma.fields.String(allow_none=True)
    created_at = Instant(data_key="createdAt")
    updated_at = Instant(data_key="updatedAt")


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
    check_ins = ma.fields.List(
        ma.fields.Nested(CheckInExportSchema), data_key="checkIns", required=True
    )
    activities = ma.fields.List(ma.fields.Nested(ActivityExportSchema), required=True)
    meals = ma.fields.List(ma.fields.Nested(MealExportSchema), required=True)
    metrics = ma.fields.List(ma.fields.Nested(MetricExportSchema), required=True)
    exported_at = Instant(data_key="exportedAt", required=True)
    next_cursor = ma.fields.String(
        data_key="nextCursor",
        allow_none=True,
        required=True,
        metadata={"description": "Pass as `cursor` for the next page; null at the end."},
    )
