"""PynamoDB attributes the features share."""

from __future__ import annotations

from datetime import date

from pynamodb.attributes import UnicodeAttribute


class DayAttribute(UnicodeAttribute):
    """A calendar day, stored as `YYYY-MM-DD` (string order is day order)."""

    def serialize(self, value: date) -> str:
        return value.isoformat()

    def deserialize(self, value: str) -> date:
        return date.fromisoformat(value)
