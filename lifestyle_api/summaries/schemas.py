"""Summary shapes (API.md "Summaries"): query arguments and the daily and weekly answers.

The service builds snake_case dicts; these schemas write them in camelCase. Amounts are
numbers rounded to 2 decimals; fields named with a unit are always in that unit.
"""

from __future__ import annotations

import marshmallow as ma

from ..fields import Day, StrictSchema


def amount(description: str | None = None, **kwargs) -> ma.fields.Raw:
    """A number as the service computed it (an int when whole)."""
    metadata = {"type": "number", **({"description": description} if description else {})}
    return ma.fields.Raw(required=True, metadata=metadata, **kwargs)


class DailySummaryArgs(StrictSchema):
    day = Day(
        data_key="date",
        metadata={
            "description": "The local day, `YYYY-MM-DD`; default today in the profile's timezone."
        },
    )


class WeeklySummaryArgs(StrictSchema):
    week_start = Day(
        data_key="weekStart",
        metadata={"description": "A Monday, `YYYY-MM-DD`; default the Monday of this week."},
    )

    @ma.validates("week_start")
    def is_a_monday(self, value, **_kwargs):
        if value.weekday() != 0:
            raise ma.ValidationError(
                f"{value.isoformat()} is a {value:%A}; weekStart must be a Monday."
            )


class SummaryNutrientsSchema(ma.Schema):
    calories_kcal = amount(data_key="caloriesKcal")
    protein_g = amount(data_key="proteinG")
    carbs_g = amount(data_key="carbsG")
    fat_g = amount(data_key="fatG")
    fiber_g = amount(data_key="fiberG")
    sugar_g = amount(data_key="sugarG")
    sodium_mg = amount(data_key="sodiumMg")


class SummaryNutritionTargetsSchema(ma.Schema):
    calories_kcal = amount(data_key="caloriesKcal", allow_none=True)
    protein_g = amount(data_key="proteinG", allow_none=True)
    carbs_g = amount(data_key="carbsG", allow_none=True)
    fat_g = amount(data_key="fatG", allow_none=True)


class SummaryNutritionSchema(ma.Schema):
    totals = ma.fields.Nested(
        SummaryNutrientsSchema,
        required=True,
        metadata={"description": "Sums of the day's meal totals."},
    )
    targets = ma.fields.Nested(
        SummaryNutritionTargetsSchema,
        required=True,
        metadata={"description": "From the profile's dailyTargets; null where none is set."},
    )
    meal_count = ma.fields.Integer(data_key="mealCount", required=True)


class SummaryActivitySchema(ma.Schema):
    active_minutes = amount("Sum of the activities' durationMinutes.", data_key="activeMinutes")
    calories_kcal = amount("Sum of the activities' caloriesKcal.", data_key="caloriesKcal")
    sessions = ma.fields.Integer(required=True, metadata={"description": "Number of activities."})


class SummaryMetricsSchema(ma.Schema):
    steps = amount("Sum of the day's steps metrics.")
    water_ml = amount("Sum of the day's water metrics, in ml.", data_key="waterMl")
    sleep_minutes = amount(
        "Sum of the day's sleep metrics (a sleep belongs to the day it ends).",
        data_key="sleepMinutes",
    )
    weight_kg = amount("The day's latest weight, or null.", data_key="weightKg", allow_none=True)
    resting_heart_rate = amount(
        "The day's latest resting heart rate (bpm), or null.",
        data_key="restingHeartRate",
        allow_none=True,
    )


class SummaryGoalSchema(ma.Schema):
    goal_id = ma.fields.String(data_key="goalId", required=True)
    title = ma.fields.String(required=True)
    done = ma.fields.Boolean(required=True)


class SummaryGoalsSchema(ma.Schema):
    due = ma.fields.Integer(
        required=True,
        metadata={
            "description": (
                "Active goals whose dates include the day and that are scheduled that day: "
                "daily habits on their daysOfWeek, weekly habits until their week's quota is "
                "met, targets on steps, waterMl, sleepMinutes, caloriesKcal or activeMinutes."
            )
        },
    )
    done = ma.fields.Integer(
        required=True,
        metadata={
            "description": "Due goals done: a habit checked in that day, or a target whose "
            "day value meets its direction."
        },
    )
    items = ma.fields.List(ma.fields.Nested(SummaryGoalSchema), required=True)


class DailySummarySchema(ma.Schema):
    date = Day(required=True)
    timezone = ma.fields.String(required=True)
    nutrition = ma.fields.Nested(SummaryNutritionSchema, required=True)
    activity = ma.fields.Nested(SummaryActivitySchema, required=True)
    metrics = ma.fields.Nested(SummaryMetricsSchema, required=True)
    goals = ma.fields.Nested(SummaryGoalsSchema, required=True)


class AverageNutritionSchema(ma.Schema):
    totals = ma.fields.Nested(SummaryNutrientsSchema, required=True)
    meal_count = amount(data_key="mealCount")


class AverageActivitySchema(ma.Schema):
    active_minutes = amount(data_key="activeMinutes")
    calories_kcal = amount(data_key="caloriesKcal")
    sessions = amount()


class AverageMetricsSchema(ma.Schema):
    steps = amount("The week's steps / 7.")
    water_ml = amount("The week's water / 7, in ml.", data_key="waterMl")
    sleep_minutes = amount("The week's sleep / 7.", data_key="sleepMinutes")
    weight_kg = amount(
        "The mean of the days' latest weights, over the days that have one; null if none.",
        data_key="weightKg",
        allow_none=True,
    )
    resting_heart_rate = amount(
        "The mean of the days' latest resting heart rates, over the days that have one.",
        data_key="restingHeartRate",
        allow_none=True,
    )


class WeeklyAveragesSchema(ma.Schema):
    nutrition = ma.fields.Nested(AverageNutritionSchema, required=True)
    activity = ma.fields.Nested(AverageActivitySchema, required=True)
    metrics = ma.fields.Nested(AverageMetricsSchema, required=True)


class WeeklySummarySchema(ma.Schema):
    week_start = Day(data_key="weekStart", required=True)
    days = ma.fields.List(
        ma.fields.Nested(DailySummarySchema),
        required=True,
        metadata={"description": "Seven daily summaries, Monday to Sunday."},
    )
    averages = ma.fields.Nested(
        WeeklyAveragesSchema,
        required=True,
        metadata={"description": "Daily sums divided by 7 (mealCount and sessions included)."},
    )
