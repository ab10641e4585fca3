"""Metric units: every accepted unit converts to the canonical one and back, answers follow
the unit system, and out-of-range values or foreign units are refused."""

from __future__ import annotations

import pytest

from lifestyle_api.units import (
    METRIC_UNITS,
    accepted_units,
    canonical_unit,
    display_unit,
    for_display,
    from_canonical,
    to_canonical,
    unit_errors,
    value_errors,
)

# (type, unit, value in that unit, the same value in the canonical unit)
CONVERSIONS = [
    ("weight", "kg", 72.5, 72.5),
    ("weight", "lb", 160, 72.57477920),
    ("weight", "lb", 1, 0.45359237),
    ("bodyFat", "percent", 18.5, 18.5),
    ("steps", "count", 8000, 8000),
    ("sleep", "min", 450, 450),
    ("sleep", "h", 7.5, 450),
    ("heartRate", "bpm", 72, 72),
    ("restingHeartRate", "bpm", 55, 55),
    ("water", "ml", 250, 250),
    ("water", "l", 1.5, 1500),
    ("water", "fl_oz", 16, 473.176),
    ("water", "fl_oz", 1, 29.5735),
]


@pytest.mark.parametrize(("metric_type", "unit", "value", "canonical"), CONVERSIONS)
def test_conversions_both_ways(metric_type, unit, value, canonical):
    assert to_canonical(metric_type, value, unit) == pytest.approx(canonical)
    assert from_canonical(metric_type, canonical, unit) == pytest.approx(value)


def test_every_type_and_unit_is_covered_by_the_table():
    covered = {(metric_type, unit) for metric_type, unit, _v, _c in CONVERSIONS}
    assert covered == {(t, u) for t, units in METRIC_UNITS.items() for u in units}


def test_canonical_units_are_the_first_listed():
    assert {t: canonical_unit(t) for t in METRIC_UNITS} == {
        "weight": "kg",
        "bodyFat": "percent",
        "steps": "count",
        "sleep": "min",
        "heartRate": "bpm",
        "restingHeartRate": "bpm",
        "water": "ml",
    }
    assert accepted_units("water") == ("ml", "l", "fl_oz")


@pytest.mark.parametrize(
    ("metric_type", "metric", "imperial"),
    [
        ("weight", "kg", "lb"),
        ("water", "ml", "fl_oz"),
        ("bodyFat", "percent", "percent"),
        ("steps", "count", "count"),
        ("sleep", "min", "min"),
        ("heartRate", "bpm", "bpm"),
        ("restingHeartRate", "bpm", "bpm"),
    ],
)
def test_display_unit_follows_the_unit_system(metric_type, metric, imperial):
    assert display_unit(metric_type, "metric") == metric
    assert display_unit(metric_type, "imperial") == imperial


@pytest.mark.parametrize(
    ("metric_type", "canonical", "unit_system", "shown"),
    [
        ("weight", 72.57477920, "imperial", (160.0, "lb")),
        ("weight", 72.57477920, "metric", (72.57, "kg")),
        ("water", 473.176, "imperial", (16.0, "fl_oz")),
        ("water", 1000, "imperial", (33.81, "fl_oz")),
        ("water", 333.3333, "metric", (333.33, "ml")),
        ("sleep", 450, "imperial", (450.0, "min")),
        ("steps", 8000, "imperial", (8000.0, "count")),
    ],
)
def test_answers_are_rounded_to_two_decimals(metric_type, canonical, unit_system, shown):
    assert for_display(metric_type, canonical, unit_system) == shown


@pytest.mark.parametrize(
    ("metric_type", "unit"),
    [
        ("weight", "ml"),
        ("weight", "stone"),
        ("bodyFat", "kg"),
        ("steps", "min"),
        ("sleep", "bpm"),
        ("heartRate", "percent"),
        ("restingHeartRate", "count"),
        ("water", "kg"),
        ("water", "ML"),
    ],
)
def test_units_a_type_does_not_accept(metric_type, unit):
    assert unit_errors(metric_type, unit) == [
        f"{metric_type} is measured in {', '.join(METRIC_UNITS[metric_type])}."
    ]


@pytest.mark.parametrize(
    ("metric_type", "value", "unit", "ok"),
    [
        ("weight", 0, "kg", False),
        ("weight", 0.1, "kg", True),
        ("weight", 700, "kg", True),
        ("weight", 701, "kg", False),
        ("weight", 1543, "lb", True),
        ("weight", 1544, "lb", False),
        ("bodyFat", 0, "percent", False),
        ("bodyFat", 100, "percent", True),
        ("bodyFat", 100.5, "percent", False),
        ("steps", 0, "count", True),
        ("steps", -1, "count", False),
        ("steps", 12.5, "count", False),
        ("steps", 200_000, "count", True),
        ("steps", 200_001, "count", False),
        ("sleep", 0, "min", True),
        ("sleep", 24, "h", True),
        ("sleep", 24.5, "h", False),
        ("heartRate", 0, "bpm", False),
        ("heartRate", 301, "bpm", False),
        ("restingHeartRate", 0, "bpm", False),
        ("restingHeartRate", 48, "bpm", True),
        ("water", 0, "ml", True),
        ("water", -5, "ml", False),
        ("water", 20, "l", True),
        ("water", 21, "l", False),
    ],
)
def test_value_ranges(metric_type, value, unit, ok):
    assert (value_errors(metric_type, value, unit) == []) is ok


def test_range_message_names_the_limit_in_the_unit_sent():
    assert value_errors("weight", 2000, "lb") == [
        "weight must be greater than 0 and at most 1543.24 lb."
    ]
    assert value_errors("water", -1, "l") == ["water must be at least 0 and at most 20 l."]
