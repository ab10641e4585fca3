"""The ACTIVITY item: by id (`ACTIVITY#<id>`), by time (LSI1) and on its local day (LSI2)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from ..db import TableItem
from ..db.attributes import DayAttribute
from ..db.keys import activity_sk, activity_time_key, day_key, user_pk

DAY_KIND = "ACTIVITY"


class ActivityItem(TableItem, discriminator="activity"):
    in_change_feed = True

    activity_id = UnicodeAttribute(attr_name="activityId")
    activity_type = UnicodeAttribute(attr_name="type")
    started_at = UTCDateTimeAttribute(attr_name="startedAt")
    duration_minutes = NumberAttribute(attr_name="durationMinutes")
    distance_m = NumberAttribute(null=True, attr_name="distanceM")
    calories_kcal = NumberAttribute(null=True, attr_name="caloriesKcal")
    intensity = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    goal_id = UnicodeAttribute(null=True, attr_name="goalId")
    # The user's local day of `started_at`, fixed when written.
    day = DayAttribute()

    @classmethod
    def key(cls, sub: str, activity_id: str) -> tuple[str, str]:
        return user_pk(sub), activity_sk(activity_id)

    def index_keys(self) -> None:
        """Set the time and day index keys from `started_at` and `day` (call on every write)."""
        self.lsi1_sk = activity_time_key(self.started_at, self.activity_id)
        self.lsi2_sk = day_key(self.day, DAY_KIND, self.activity_id)
