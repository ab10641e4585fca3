"""Unit systems, health metric types, their units and conversions (API.md "Health metrics"):
the one owner of units for every feature.

Each type accepts the units listed for it; the first is canonical, the unit values are
stored in. Answers follow the profile's unit system: `metric` shows weight in kg and water
in ml, `imperial` in lb and US fl oz; every other type is shown in its canonical unit.
Pure functions, no I/O.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from .records import Record

POUND_KG = 0.45359237
US_FLUID_OUNCE_ML = 29.5735
CENT = Decimal("0.01")

# Per type: each accepted unit and how many canonical units one of it is (canonical first).
METRIC_UNITS: dict[str, dict[str, float]] = {
    "weight": {"kg": 1.0, "lb": POUND_KG},
    "bodyFat": {"percent": 1.0},
    "steps": {"count": 1.0},
    "sleep": {"min": 1.0, "h": 60.0},
    "heartRate": {"bpm": 1.0},
    "restingHeartRate": {"bpm": 1.0},
    "water": {"ml": 1.0, "l": 1000.0, "fl_oz": US_FLUID_OUNCE_ML},
}
METRIC_TYPES = tuple(METRIC_UNITS)
UNIT_SYSTEMS = ("metric", "imperial")
DEFAULT_UNIT_SYSTEM = "metric"
IMPERIAL_UNITS = {"weight": "lb", "water": "fl_oz"}


class Bounds(Record):
    """Accepted values: from 0 (above 0 when `positive`) to `maximum` in the canonical unit."""

    maximum: float
    positive: bool = False
    whole: bool = False


BOUNDS: dict[str, Bounds] = {
    "weight": Bounds(700, positive=True),
    "bodyFat": Bounds(100, positive=True),
    "steps": Bounds(200_000, whole=True),
    "sleep": Bounds(24 * 60),
    "heartRate": Bounds(300, positive=True),
    "restingHeartRate": Bounds(300, positive=True),
    "water": Bounds(20_000),
}


def accepted_units(metric_type: str) -> tuple[str, ...]:
    return tuple(METRIC_UNITS[metric_type])


def canonical_unit(metric_type: str) -> str:
    return next(iter(METRIC_UNITS[metric_type]))


def to_canonical(metric_type: str, value: float, unit: str) -> float:
    """`value` in `unit` expressed in the type's canonical unit (not rounded)."""
    return value * METRIC_UNITS[metric_type][unit]


def from_canonical(metric_type: str, value: float, unit: str) -> float:
    """A canonical `value` expressed in `unit` (not rounded)."""
    return value / METRIC_UNITS[metric_type][unit]


def display_unit(metric_type: str, unit_system: str) -> str:
    """The unit answers use for this type in this unit system."""
    if unit_system == "imperial" and metric_type in IMPERIAL_UNITS:
        return IMPERIAL_UNITS[metric_type]
    return canonical_unit(metric_type)


def depends_on_unit_system(metric_type: str) -> bool:
    return metric_type in IMPERIAL_UNITS


def for_display(metric_type: str, canonical_value: float, unit_system: str) -> tuple[float, str]:
    """`(value, unit)` as an answer shows it: in the unit system's unit, to 2 decimals."""
    unit = display_unit(metric_type, unit_system)
    return round_half_up(from_canonical(metric_type, canonical_value, unit)), unit


def round_half_up(value: float) -> float:
    """To 2 decimals, halves away from zero as people round (18.555 -> 18.56, which binary
    floats and `round()` would make 18.55)."""
    return float(Decimal(repr(float(value))).quantize(CENT, rounding=ROUND_HALF_UP))


def unit_errors(metric_type: str, unit: str) -> list[str]:
    units = accepted_units(metric_type)
    if unit in units:
        return []
    return [f"{metric_type} is measured in {', '.join(units)}."]


def value_errors(metric_type: str, value: float, unit: str) -> list[str]:
    """Why `value` (in the accepted `unit`) is out of range for the type; empty when fine."""
    bounds = BOUNDS[metric_type]
    canonical = to_canonical(metric_type, value, unit)
    below = canonical <= 0 if bounds.positive else canonical < 0
    if below or canonical > bounds.maximum:
        lowest = "greater than 0" if bounds.positive else "at least 0"
        highest = round_half_up(from_canonical(metric_type, bounds.maximum, unit))
        return [f"{metric_type} must be {lowest} and at most {highest:g} {unit}."]
    if bounds.whole and value != int(value):
        return [f"{metric_type} must be a whole number."]
    return []
