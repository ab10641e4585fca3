"""The ACTIVITY item: by id (`ACTIVITY#<id>`), by time (LSI1) and on its local day (LSI2)."""

from __future__ import annotations

from pynamodb.attributes import NumberAttribute, UnicodeAttribute, UTCDateTimeAttribute

from ..db.base import LogEntryItem
from ..db.keys import ACTIVITY_PREFIX, day_key, entry_time_key

DAY_KIND = "ACTIVITY"


class ActivityItem(LogEntryItem, discriminator="activity"):
    id_prefix = ACTIVITY_PREFIX

    activity_id = UnicodeAttribute(attr_name="activityId")
    activity_type = UnicodeAttribute(attr_name="type")
    started_at = UTCDateTimeAttribute(attr_name="startedAt")
    duration_minutes = NumberAttribute(attr_name="durationMinutes")
    distance_m = NumberAttribute(null=True, attr_name="distanceM")
    calories_kcal = NumberAttribute(null=True, attr_name="caloriesKcal")
    intensity = UnicodeAttribute(null=True)
    notes = UnicodeAttribute(null=True)
    goal_id = UnicodeAttribute(null=True, attr_name="goalId")

    def index_keys(self) -> None:
        """Set the time and day index keys from `started_at` and `day` (call on every write)."""
        self.lsi1_sk = entry_time_key(ACTIVITY_PREFIX, self.started_at, self.activity_id)
        self.lsi2_sk = day_key(self.day, DAY_KIND, self.activity_id)
