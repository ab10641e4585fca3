"""PynamoDB attributes the features share."""

from __future__ import annotations

from datetime import date

from pynamodb.attributes import Attribute, UnicodeAttribute
from pynamodb.constants import STRING

from ..dayset import DaySet


class DayAttribute(UnicodeAttribute):
    """A calendar day, stored as `YYYY-MM-DD` (string order is day order)."""

    def serialize(self, value: date) -> str:
        return value.isoformat()

    def deserialize(self, value: str) -> date:
        return date.fromisoformat(value)


class DaySetAttribute(Attribute[DaySet]):
    """A set of days as `<first day>:<hex bits>` (see `DaySet`): a few hundred bytes for
    years of days, read without one Python step per day."""

    attr_type = STRING

    def serialize(self, value: DaySet) -> str:
        return value.serialize()

    def deserialize(self, value: str) -> DaySet:
        return DaySet.parse(value)
