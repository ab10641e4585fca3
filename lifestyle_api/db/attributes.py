"""PynamoDB attributes the features share."""

from __future__ import annotations

from datetime import date
from typing import Any

from pynamodb.attributes import Attribute, MapAttribute, UnicodeAttribute
from pynamodb.constants import STRING

from ..dayset import DaySet
from . import item_codec


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


class ItemMap(MapAttribute):
    """A map of named attributes inside an item (a goal's schedule, a profile's targets),
    read and written from its class's plan as items are (`item_codec`)."""

    @classmethod
    def _instantiate(cls, attribute_values: dict[str, dict[str, Any]]):
        return item_codec.instantiate(cls, attribute_values)

    def serialize(self, values, *, null_check: bool = True):
        if isinstance(values, type(self)):
            return item_codec.serialize(values, null_check)
        return super().serialize(values, null_check=null_check)  # a mapping: PynamoDB copies it
