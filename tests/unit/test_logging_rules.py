"""Pure rules of the logging features: meal totals and the inclusive time ranges of LSI1."""

from __future__ import annotations

from datetime import UTC, datetime

from lifestyle_api.db.keys import ACTIVITY_PREFIX, entry_time_key, metric_type_prefix, time_range
from lifestyle_api.meals.service import meal_totals


def food(**nutrients):
    base = {"calories_kcal": 0, "protein_g": 0, "carbs_g": 0, "fat_g": 0}
    return {"name": "x", "quantity": 1, "unit": "g", **base, **nutrients}


def test_totals_sum_and_round_to_two_decimals():
    totals = meal_totals(
        [
            food(calories_kcal=100.1, protein_g=0.1, carbs_g=10, fat_g=1.005, fiber_g=2),
            food(calories_kcal=200.2, protein_g=0.2, carbs_g=20.5, fat_g=2, sodium_mg=150),
            food(calories_kcal=50, protein_g=3, carbs_g=0, fat_g=0, fiber_g=1.25),
        ]
    )
    assert totals == {
        "calories_kcal": 350.3,
        "protein_g": 3.3,
        "carbs_g": 30.5,
        "fat_g": 3.0,
        "fiber_g": 3.25,
        "sugar_g": None,
        "sodium_mg": 150,
    }


def test_totals_of_no_items_are_zero_and_unknown():
    assert meal_totals([]) == {
        "calories_kcal": 0,
        "protein_g": 0,
        "carbs_g": 0,
        "fat_g": 0,
        "fiber_g": None,
        "sugar_g": None,
        "sodium_mg": None,
    }


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def test_time_range_is_inclusive_at_both_ends():
    start, end = at("2026-11-26T06:00:00+00:00"), at("2026-11-26T08:00:00+00:00")
    low, high = time_range("ACTIVITY#", start, end)
    inside = [
        entry_time_key(ACTIVITY_PREFIX, start, "01JAAAAAAAAAAAAAAAAAAAAAAA"),
        entry_time_key(ACTIVITY_PREFIX, end, "01JZZZZZZZZZZZZZZZZZZZZZZZ"),
    ]
    outside = [
        entry_time_key(
            ACTIVITY_PREFIX, at("2026-11-26T05:59:59.999+00:00"), "01JZZZZZZZZZZZZZZZZZZZZZZZ"
        ),
        entry_time_key(
            ACTIVITY_PREFIX, at("2026-11-26T08:00:00.001+00:00"), "01JAAAAAAAAAAAAAAAAAAAAAAA"
        ),
        "MEAL#2026-11-26T07:00:00.000Z#01JAAAAAAAAAAAAAAAAAAAAAAA",
    ]
    assert all(low <= key <= high for key in inside)
    assert not any(low <= key <= high for key in outside)


def test_open_time_range_covers_the_whole_prefix_only():
    low, high = time_range("METRIC#weight#", None, None)
    assert (
        low
        <= entry_time_key(metric_type_prefix("weight"), at("1970-01-01T00:00:00+00:00"), "0" * 26)
        <= high
    )
    assert (
        low
        <= entry_time_key(metric_type_prefix("weight"), at("2999-12-31T23:59:59+00:00"), "Z" * 26)
        <= high
    )
    other = entry_time_key(metric_type_prefix("water"), at("2026-11-26T07:00:00+00:00"), "0" * 26)
    assert not low <= other <= high
