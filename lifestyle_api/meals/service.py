"""Meal rules: create, read, list, update and delete one user's meals. No Flask here.

`totals` is always computed here from the items. A meal's local day is fixed when it is
written, from `eatenAt` and the profile's timezone at that time. A read is one GetItem, a
list one Query (LSI1 for an instant range, LSI2 for a local day), a change one conditional
write.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from ulid import ULID

from ..base_schemas import shared_instance
from ..db.keys import MEAL_PREFIX, day_kind_prefix, time_range, user_pk
from ..db.query import query_page
from ..db.reads import Presentation, get_owned, read_with_profile, user_timezone
from ..db.writes import delete_existing, update_versioned
from ..exceptions import NotFound
from ..timeutil import local_day, utc_now
from .models import DAY_KIND, MealEntry, MealItem, Nutrition
from .schemas import MealSchema

MEAL_NOT_FOUND = "No meal with this id."
FIELDS = ("meal_type", "eaten_at", "name", "notes")
REQUIRED_NUTRIENTS = ("calories_kcal", "protein_g", "carbs_g", "fat_g")
OPTIONAL_NUTRIENTS = ("fiber_g", "sugar_g", "sodium_mg")
DECIMALS = 2


def meal_totals(items: Iterable[Mapping[str, Any]]) -> dict[str, float | None]:
    """Sums of the items' nutrients, rounded to 2 decimals. An optional nutrient that no
    item gives is `None` (unknown), not 0."""
    items = list(items)
    totals: dict[str, float | None] = {}
    for nutrient in REQUIRED_NUTRIENTS:
        totals[nutrient] = round(sum(item[nutrient] for item in items), DECIMALS)
    for nutrient in OPTIONAL_NUTRIENTS:
        given = [item[nutrient] for item in items if item.get(nutrient) is not None]
        totals[nutrient] = round(sum(given), DECIMALS) if given else None
    return totals


def create_meal(sub: str, data: dict[str, Any], *, now: datetime | None = None) -> MealItem:
    now = now or utc_now()
    meal = MealItem(
        *MealItem.key(sub, meal_id := str(ULID())),
        meal_id=meal_id,
        created_at=now,
        updated_at=now,
    )
    _apply(meal, data, user_timezone(sub))
    meal.save()
    return meal


def get_meal(sub: str, meal_id: str) -> MealItem:
    """The caller's meal (one GetItem); anyone else's is a `NotFound`."""
    return get_owned(MealItem, MealItem.key(sub, meal_id), MEAL_NOT_FOUND)


def list_meals(
    sub: str,
    *,
    limit: int,
    start_key: dict[str, Any] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    day: date | None = None,
    meal_type: str | None = None,
) -> tuple[list[MealItem], dict[str, Any] | None]:
    """One page of the caller's meals, newest `eatenAt` first: one Query, on the day index
    for a local `day`, else on the time index between `start` and `end`."""
    if day is not None:
        index = MealItem.by_day
        condition = MealItem.lsi2_sk.startswith(day_kind_prefix(day, DAY_KIND))
    else:
        index = MealItem.by_time
        condition = MealItem.lsi1_sk.between(*time_range(MEAL_PREFIX, start, end))
    return query_page(
        MealItem,
        user_pk(sub),
        condition,
        index=index,
        limit=limit,
        start_key=start_key,
        filter_condition=MealItem.meal_type == meal_type if meal_type else None,
    )


def update_meal(
    sub: str,
    meal_id: str,
    changes: dict[str, Any],
    *,
    if_match: int | None = None,
    now: datetime | None = None,
) -> MealItem:
    """Apply a partial update in one conditional write; a concurrent write is retried, or
    412 when `If-Match` was given."""
    timezone: str | None = None

    def read() -> MealItem:
        nonlocal timezone
        meal, timezone = _read_for_update(sub, meal_id, needs_timezone="eaten_at" in changes)
        return meal

    def change(meal: MealItem) -> None:
        _apply(meal, changes, timezone)
        meal.updated_at = now or utc_now()

    return update_versioned(read, change, if_match=if_match)


def delete_meal(sub: str, meal_id: str, *, if_match: int | None = None) -> None:
    delete_existing(
        MealItem(*MealItem.key(sub, meal_id)),
        if_match=if_match,
        read=lambda: get_meal(sub, meal_id),
    )


def _read_for_update(
    sub: str, meal_id: str, *, needs_timezone: bool
) -> tuple[MealItem, str | None]:
    """The meal, and the profile's timezone in the same BatchGetItem when `eatenAt` moves."""
    if not needs_timezone:
        return get_meal(sub, meal_id), None
    read = read_with_profile(sub, MealItem.key(sub, meal_id))
    if read.item is None:
        raise NotFound(MEAL_NOT_FOUND)
    return read.item, read.timezone


def _apply(meal: MealItem, changes: dict[str, Any], timezone: str | None) -> None:
    for field in FIELDS:
        if field in changes:
            setattr(meal, field, changes[field])
    if "items" in changes:
        meal.items = [MealEntry(**entry) for entry in changes["items"]]
        meal.totals = Nutrition(**meal_totals(changes["items"]))
    if timezone is not None:
        meal.day = local_day(meal.eaten_at, timezone)
    meal.index_keys()


def export_meal(raw: dict[str, Any], _presentation: Presentation) -> dict[str, Any]:
    """A meal from a raw item, as `GET /meals/{mealId}` answers it."""
    return _MEAL_SCHEMA.dump(MealItem.from_raw_data(raw))


_MEAL_SCHEMA = shared_instance(MealSchema)
