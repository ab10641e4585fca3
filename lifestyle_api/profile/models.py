"""The PROFILE item: one per user, `SK = PROFILE`."""

from __future__ import annotations

from pynamodb.attributes import MapAttribute, NumberAttribute, UnicodeAttribute

from ..db import TableItem
from ..db.keys import PROFILE_SK, user_pk

DEFAULT_TIMEZONE = "UTC"
DEFAULT_UNIT_SYSTEM = "metric"


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
