"""Meal shapes, one schema per direction: what a client sends to create
(`MealCreateSchema`) or change (`MealUpdateSchema`) a meal, what it gets back
(`MealSchema`), and the list filters.

`totals` is computed by the server and read-only: it is only in the read schema, so sending
it is an "Unknown field." 400, like every other read-only field. Read schemas mark every
field the server always sends `required`, and those that may be null `allow_none`.
"""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from ..base_schemas import InstantRangeArgs, ResponseSchema, StrictSchema, page_schema, patch_schema
from ..fields import Amount, Day, Instant, Text

MEAL_TYPES = ("breakfast", "lunch", "dinner", "snack")
MAX_ITEMS = 50
NAME_MAX = 200
UNIT_MAX = 32
NOTES_MAX = 2000
MAX_QUANTITY = 100_000
MAX_ITEM_CALORIES_KCAL = 20_000
MAX_ITEM_GRAMS = 5_000
MAX_ITEM_SODIUM_MG = 100_000


def amount(maximum: int, unit: str, **kwargs) -> Amount:
    """A number from 0 to `maximum`, in `unit`."""
    return Amount(maximum, metadata={"description": f"{unit}, 0–{maximum}"}, **kwargs)


class MealItemInputSchema(StrictSchema):
    """One food of a meal. Nutrients are for the quantity eaten."""

    name = Text(required=True, validate=validate.Length(min=1, max=NAME_MAX))
    quantity = amount(MAX_QUANTITY, "in `unit`", required=True)
    unit = Text(
        required=True,
        validate=validate.Length(min=1, max=UNIT_MAX),
        metadata={"description": "Free text: `g`, `ml`, `cup`, `slice`, …"},
    )
    calories_kcal = amount(MAX_ITEM_CALORIES_KCAL, "kcal", data_key="caloriesKcal", required=True)
    protein_g = amount(MAX_ITEM_GRAMS, "g", data_key="proteinG", required=True)
    carbs_g = amount(MAX_ITEM_GRAMS, "g", data_key="carbsG", required=True)
    fat_g = amount(MAX_ITEM_GRAMS, "g", data_key="fatG", required=True)
    fiber_g = amount(MAX_ITEM_GRAMS, "g", data_key="fiberG", allow_none=True)
    sugar_g = amount(MAX_ITEM_GRAMS, "g", data_key="sugarG", allow_none=True)
    sodium_mg = amount(MAX_ITEM_SODIUM_MG, "mg", data_key="sodiumMg", allow_none=True)


class MealItemSchema(ResponseSchema):
    """One food of a meal, as stored; the optional nutrients it was logged without are
    null."""

    name = ma.fields.String()
    quantity = amount(MAX_QUANTITY, "in `unit`")
    unit = ma.fields.String()
    calories_kcal = amount(MAX_ITEM_CALORIES_KCAL, "kcal", data_key="caloriesKcal")
    protein_g = amount(MAX_ITEM_GRAMS, "g", data_key="proteinG")
    carbs_g = amount(MAX_ITEM_GRAMS, "g", data_key="carbsG")
    fat_g = amount(MAX_ITEM_GRAMS, "g", data_key="fatG")
    fiber_g = amount(MAX_ITEM_GRAMS, "g", data_key="fiberG", allow_none=True)
    sugar_g = amount(MAX_ITEM_GRAMS, "g", data_key="sugarG", allow_none=True)
    sodium_mg = amount(MAX_ITEM_SODIUM_MG, "mg", data_key="sodiumMg", allow_none=True)


class MealTotalsSchema(ResponseSchema):
    """Sums over the meal's items, rounded to 2 decimals. `fiberG`, `sugarG` and `sodiumMg`
    sum the items that give them and are null when none does."""

    calories_kcal = ma.fields.Float(data_key="caloriesKcal")
    protein_g = ma.fields.Float(data_key="proteinG")
    carbs_g = ma.fields.Float(data_key="carbsG")
    fat_g = ma.fields.Float(data_key="fatG")
    fiber_g = ma.fields.Float(data_key="fiberG", allow_none=True)
    sugar_g = ma.fields.Float(data_key="sugarG", allow_none=True)
    sodium_mg = ma.fields.Float(data_key="sodiumMg", allow_none=True)


class MealCreateSchema(StrictSchema):
    """A new meal: `mealType` and `eatenAt` are required; `items` defaults to none. Its
    local day (for `?date=` and summaries) is the day of `eatenAt` in the profile's timezone
    when it is written."""

    meal_type = ma.fields.String(
        data_key="mealType", required=True, validate=validate.OneOf(MEAL_TYPES)
    )
    eaten_at = Instant(
        data_key="eatenAt", required=True, metadata={"description": "With an offset."}
    )
    name = Text(allow_none=True, validate=validate.Length(max=NAME_MAX))
    items = ma.fields.List(
        ma.fields.Nested(MealItemInputSchema),
        load_default=list,
        validate=validate.Length(max=MAX_ITEMS),
        metadata={"description": f"0–{MAX_ITEMS} foods."},
    )
    notes = Text(allow_none=True, validate=validate.Length(max=NOTES_MAX))


class MealSchema(ResponseSchema):
    """A meal, with the `totals` of its items."""

    meal_id = ma.fields.String(data_key="mealId")
    meal_type = ma.fields.String(data_key="mealType", validate=validate.OneOf(MEAL_TYPES))
    eaten_at = Instant(data_key="eatenAt")
    name = ma.fields.String(allow_none=True)
    items = ma.fields.List(ma.fields.Nested(MealItemSchema))
    totals = ma.fields.Nested(MealTotalsSchema)
    notes = ma.fields.String(allow_none=True)
    created_at = Instant(data_key="createdAt")
    updated_at = Instant(data_key="updatedAt")


MealUpdateSchema = patch_schema(
    MealCreateSchema,
    "MealUpdateSchema",
    """Partial update: any of these fields; `null` clears `name` and `notes`. `items`, when
    given, replaces the whole list and `totals` is computed again. A new `eatenAt` moves the
    meal to its new local day.""",
)


class MealListArgs(InstantRangeArgs):
    """Newest `eatenAt` first. Either `from`/`to` (inclusive instants bounding `eatenAt`) or
    `date` (the local day the meal was logged on), not both; `mealType` keeps one type."""

    day = Day(
        data_key="date",
        metadata={"description": "A local day, YYYY-MM-DD; not with `from`/`to`."},
    )
    meal_type = ma.fields.String(data_key="mealType", validate=validate.OneOf(MEAL_TYPES))

    @ma.validates_schema
    def one_kind_of_range(self, data, **_kwargs):
        if data.get("day") and (data.get("start") or data.get("end")):
            raise ma.ValidationError("Use either `date` or `from`/`to`.", field_name="date")


MealPageSchema = page_schema(MealSchema, "MealPage")
