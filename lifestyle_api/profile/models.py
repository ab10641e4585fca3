"""The PROFILE item: one per user, `SK = PROFILE`."""

from __future__ import annotations

from datetime import datetime

from pynamodb.attributes import BooleanAttribute, NumberAttribute, UnicodeAttribute

from ..db import TableItem
from ..db.account_tombstone import refuse_if_deleted
from ..db.attributes import ItemMap
from ..db.keys import PROFILE_SK, user_pk
from ..timeutil import DEFAULT_TIMEZONE
from ..units import DEFAULT_UNIT_SYSTEM


class DailyTargets(ItemMap):
    calories_kcal = NumberAttribute(null=True, attr_name="caloriesKcal")
    protein_g = NumberAttribute(null=True, attr_name="proteinG")
    carbs_g = NumberAttribute(null=True, attr_name="carbsG")
    fat_g = NumberAttribute(null=True, attr_name="fatG")
    water_ml = NumberAttribute(null=True, attr_name="waterMl")
    steps = NumberAttribute(null=True)
    sleep_minutes = NumberAttribute(null=True, attr_name="sleepMinutes")
    active_minutes = NumberAttribute(null=True, attr_name="activeMinutes")


class QuietHours(ItemMap):
    """Local times `HH:MM`; `start` after `end` runs across midnight (22:00 to 07:00)."""

    start = UnicodeAttribute()
    end = UnicodeAttribute()


class NotificationSettings(ItemMap):
    enabled = BooleanAttribute(default=True)
    quiet_hours = QuietHours(null=True, attr_name="quietHours")
    streak_nudges = BooleanAttribute(default=True, attr_name="streakNudges")


class ProfileItem(TableItem, discriminator="profile"):
    in_change_feed = True

    user_id = UnicodeAttribute(attr_name="userId")
    email = UnicodeAttribute(default="")
    name = UnicodeAttribute(null=True)
    timezone = UnicodeAttribute(default=DEFAULT_TIMEZONE)
    unit_system = UnicodeAttribute(default=DEFAULT_UNIT_SYSTEM, attr_name="unitSystem")
    daily_targets = DailyTargets(default=dict, attr_name="dailyTargets")
    # Absent until the user first changes them: read through `notification_preferences`.
    notifications = NotificationSettings(null=True)

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

    @property
    def notification_preferences(self) -> NotificationSettings:
        """The stored notification settings, or the defaults (enabled, no quiet hours,
        streak nudges on) when none were ever set."""
        return self.notifications or NotificationSettings(enabled=True, streak_nudges=True)

    @classmethod
    def find(cls, sub: str, *, consistent_read: bool = False) -> ProfileItem | None:
        """The user's profile, or `None` if they have none yet (one GetItem); a 401 when
        the account was deleted (its tombstone holds the profile's place)."""
        try:
            # Read as whatever is stored there: the profile, or the tombstone.
            item = TableItem.get(*cls.key(sub), consistent_read=consistent_read)
        except TableItem.DoesNotExist:
            return None
        refuse_if_deleted(item)
        return item
