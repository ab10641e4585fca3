"""The PROFILE item (one per user, `SK = PROFILE`) and raw pages of a user's whole partition,
which the export and account deletion walk."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute

from ..db import TableItem
from ..db.keys import PROFILE_SK, user_pk

DEFAULT_TIMEZONE = "UTC"
DEFAULT_UNIT_SYSTEM = "metric"
KEY_ATTRIBUTES = ("PK", "SK")


class DailyTargets(MapAttribute):
    calories_kcal = NumberAttribute(null=True, attr_name="caloriesKcal")
    protein_g = NumberAttribute(null=True, attr_name="proteinG")
    carbs_g = NumberAttribute(null=True, attr_name="carbsG")
    fat_g = NumberAttribute(null=True, attr_name="fatG")
    water_ml = NumberAttribute(null=True, attr_name="waterMl")
    steps = NumberAttribute(null=True)
    sleep_minutes = NumberAttribute(null=True, attr_name="sleepMinutes")
    active_minutes = NumberAttribute(null=True, attr_name="activeMinutes")


class ProfileItem(TableItem, discriminator="profile"):
    user_id = UnicodeAttribute(attr_name="userId")
    email = UnicodeAttribute(default="")
    name = UnicodeAttribute(null=True)
    timezone = UnicodeAttribute(default=DEFAULT_TIMEZONE)
    unit_system = UnicodeAttribute(default=DEFAULT_UNIT_SYSTEM, attr_name="unitSystem")
    daily_targets = DailyTargets(default=dict, attr_name="dailyTargets")

    @classmethod
    def key(cls, sub: str) -> tuple[str, str]:
        return user_pk(sub), PROFILE_SK

    @classmethod
    def new(
        cls, sub: str, *, email: str = "", name: str | None = None, now: datetime
    ) -> ProfileItem:
        """A profile with the defaults, not yet saved (saving it fails if one exists)."""
        return cls(
            *cls.key(sub),
            user_id=sub,
            email=email,
            name=name or None,
            created_at=now,
            updated_at=now,
        )

    @classmethod
    def find(cls, sub: str) -> ProfileItem | None:
        """The user's profile, or `None` if they have none yet (one GetItem)."""
        try:
            return cls.get(*cls.key(sub))
        except cls.DoesNotExist:
            return None


def user_timezone(sub: str) -> str:
    """The profile's timezone, UTC when there is no profile yet."""
    profile = ProfileItem.find(sub)
    return profile.timezone if profile else DEFAULT_TIMEZONE


def partition_page(
    sub: str,
    *,
    start_key: dict[str, Any] | None = None,
    limit: int | None = None,
    keys_only: bool = False,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """One Query page of every item in the user's partition, in sort-key order, as raw
    DynamoDB items, and the key to continue from (`None` at the end).

    Raw on purpose: a model query would filter on the item kinds this process has
    imported, and the export and the deletion must see every item whatever its kind.
    """
    page = table_connection().query(
        user_pk(sub),
        attributes_to_get=list(KEY_ATTRIBUTES) if keys_only else None,
        exclusive_start_key=start_key,
        limit=limit,
    )
    return page.get("Items", []), page.get("LastEvaluatedKey")


def table_connection():
    """PynamoDB's connection to the single table, with its key schema from the models (the
    raw reads and batch writes here need no DescribeTable)."""
    return TableItem._get_connection()


def item_key(raw: dict[str, Any]) -> dict[str, Any]:
    """The primary key of a raw item, as DynamoDB's `LastEvaluatedKey` would give it."""
    return {name: raw[name] for name in KEY_ATTRIBUTES}
