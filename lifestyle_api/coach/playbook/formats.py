"""How the playbook writes: amounts by format name, counts, and the shape of an insight."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def grouped(value: float) -> str:
    """Rounded, with thousands separators: 8,000."""
    return f"{round(value):,}"


def whole(value: float) -> str:
    """Rounded: 30."""
    return str(round(value))


def duration(minutes: float) -> str:
    """Minutes as hours and minutes: 45 min, 7 h, 7 h 05 min."""
    hours, rest = divmod(round(minutes), 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest:02d} min"


def hours(minutes: float) -> str:
    """Whole hours in words (7 hours), else as a duration (7 h 15 min)."""
    whole_hours, rest = divmod(round(minutes), 60)
    return f"{whole_hours} hours" if not rest else duration(minutes)


AMOUNT_FORMATS: dict[str, Callable[[float], str]] = {
    "grouped": grouped,
    "whole": whole,
    "duration": duration,
    "hours": hours,
}


def count(n: int, noun: str) -> str:
    """1 day, 2 days."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def insight(kind: str, title: str, message: str, evidence: dict[str, Any]) -> dict[str, Any]:
    """An insight as the content schema reads it."""
    return {"kind": kind, "title": title, "message": message, "evidence": evidence}
