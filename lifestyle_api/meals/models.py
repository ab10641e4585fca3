"""The MEAL item: by id (`MEAL#<id>`), by time (LSI1) and on its local day (LSI2).

On the day index a meal is `DAY#<date>#MEAL#<eatenAt>#<id>`: the instant before the id
keeps one day's meals in time order, so `GET /meals?date=` pages newest first.
"""

from __future__ import annotations

from pynamodb.attributes import (
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from ..db.attributes import ItemMap
from ..db.base import LogEntryItem
from ..db.keys import MEAL_PREFIX, entry_time_key, meal_day_key

DAY_KIND = "MEAL"


class Nutrition(ItemMap):
    """Nutrients of one food item or of a whole meal (`totals`)."""

    calories_kcal = NumberAttribute(default=0, attr_name="caloriesKcal")
    protein_g = NumberAttribute(default=0, attr_name="proteinG")
    carbs_g = NumberAttribute(default=0, attr_name="carbsG")
    fat_g = NumberAttribute(default=0, attr_name="fatG")
    fiber_g = NumberAttribute(null=True, attr_name="fiberG")
    sugar_g = NumberAttribute(null=True, attr_name="sugarG")
    sodium_mg = NumberAttribute(null=True, attr_name="sodiumMg")


class MealEntry(Nutrition):
    name = UnicodeAttribute()
    quantity = NumberAttribute()
    unit = UnicodeAttribute()


class MealItem(LogEntryItem, discriminator="meal"):
    id_prefix = MEAL_PREFIX

    meal_id = UnicodeAttribute(attr_name="mealId")
    meal_type = UnicodeAttribute(attr_name="mealType")
    eaten_at = UTCDateTimeAttribute(attr_name="eatenAt")
    name = UnicodeAttribute(null=True)
    items = ListAttribute(of=MealEntry, default=list)
    totals = Nutrition(default=dict)
    notes = UnicodeAttribute(null=True)

    def index_keys(self) -> None:
        """Set the time and day index keys from `eaten_at` and `day` (call on every write)."""
        self.lsi1_sk = entry_time_key(MEAL_PREFIX, self.eaten_at, self.meal_id)
        self.lsi2_sk = meal_day_key(self.day, self.eaten_at, self.meal_id)
