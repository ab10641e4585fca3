"""Summary shapes (API.md "Summaries"): query arguments and the daily and weekly answers.

The service builds snake_case dicts; these schemas write them in camelCase. Amounts are
numbers rounded to 2 decimals; fields named with a unit are always in that unit.
"""

from __future__ import annotations

import marshmallow as ma

from ..base_schemas import ResponseSchema, StrictSchema
from ..fields import Day


def amount(description: str | None = None, **kwargs) -> ma.fields.Raw:
    """A number as the service computed it (an int when whole), in a `ResponseSchema`."""
    metadata = {"type": "number", **({"description": description} if description else {})}
    return ma.fields.Raw(metadata=metadata, **kwargs)


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


class SummaryNutrientsSchema(ResponseSchema):
    calories_kcal = amount(data_key="caloriesKcal")
    protein_g = amount(data_key="proteinG")
    carbs_g = amount(data_key="carbsG")
    fat_g = amount(data_key="fatG")
    fiber_g = amount(data_key="fiberG")
    sugar_g = amount(data_key="sugarG")
    sodium_mg = amount(data_key="sodiumMg")


class SummaryNutritionTargetsSchema(ResponseSchema):
    calories_kcal = amount(data_key="caloriesKcal", allow_none=True)
    protein_g = amount(data_key="proteinG", allow_none=True)
    carbs_g = amount(data_key="carbsG", allow_none=True)
    fat_g = amount(data_key="fatG", allow_none=True)


class SummaryNutritionSchema(ResponseSchema):
    totals = ma.fields.Nested(
        SummaryNutrientsSchema,
        metadata={"description": "Sums of the day's meal totals."},
    )
    targets = ma.fields.Nested(
        SummaryNutritionTargetsSchema,
        metadata={"description": "From the profile's dailyTargets; null where none is set."},
    )
    meal_count = ma.fields.Integer(data_key="mealCount")


class SummaryActivitySchema(ResponseSchema):
    active_minutes = amount("Sum of the activities' durationMinutes.", data_key="activeMinutes")
    calories_kcal = amount("Sum of the activities' caloriesKcal.", data_key="caloriesKcal")
    sessions = ma.fields.Integer(metadata={"description": "Number of activities."})


class SummaryMetricsSchema(ResponseSchema):
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


class SummaryGoalSchema(ResponseSchema):
    goal_id = ma.fields.String(data_key="goalId")
    title = ma.fields.String()
    done = ma.fields.Boolean()


class SummaryGoalsSchema(ResponseSchema):
    due = ma.fields.Integer(
        metadata={
            "description": (
                "Active goals whose dates include the day and that are scheduled that day: "
                "daily habits on their daysOfWeek, weekly habits until their week's quota is "
                "met, targets on steps, waterMl, sleepMinutes, caloriesKcal or activeMinutes."
            )
        },
    )
    done = ma.fields.Integer(
        metadata={
            "description": "Due goals done: a habit checked in that day, or a target whose "
            "day value meets its direction."
        },
    )
    items = ma.fields.List(ma.fields.Nested(SummaryGoalSchema))


class DailySummarySchema(ResponseSchema):
    date = Day()
    timezone = ma.fields.String()
    nutrition = ma.fields.Nested(SummaryNutritionSchema)
    activity = ma.fields.Nested(SummaryActivitySchema)
    metrics = ma.fields.Nested(SummaryMetricsSchema)
    goals = ma.fields.Nested(SummaryGoalsSchema)


class AverageNutritionSchema(ResponseSchema):
    totals = ma.fields.Nested(SummaryNutrientsSchema)
    meal_count = amount(data_key="mealCount")


class AverageActivitySchema(ResponseSchema):
    active_minutes = amount(data_key="activeMinutes")
    calories_kcal = amount(data_key="caloriesKcal")
    sessions = amount()


class AverageMetricsSchema(ResponseSchema):
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


class WeeklyAveragesSchema(ResponseSchema):
    nutrition = ma.fields.Nested(AverageNutritionSchema)
    activity = ma.fields.Nested(AverageActivitySchema)
    metrics = ma.fields.Nested(AverageMetricsSchema)


class WeeklySummarySchema(ResponseSchema):
    week_start = Day(data_key="weekStart")
    days = ma.fields.List(
        ma.fields.Nested(DailySummarySchema),
        metadata={"description": "Seven daily summaries, Monday to Sunday."},
    )
    averages = ma.fields.Nested(
        WeeklyAveragesSchema,
        metadata={"description": "Daily sums divided by 7 (mealCount and sessions included)."},
    )
