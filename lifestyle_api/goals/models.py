"""The GOAL item (`SK = GOAL#<goalId>`), carrying the sharded status keys of GSI1."""

from __future__ import annotations

from datetime import date, datetime

from pynamodb.attributes import (
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)

from ..dayset import DaySet
from ..db import TableItem
from ..db.attributes import DayAttribute, DaySetAttribute, ItemMap
from ..db.keys import (
    GOAL_PREFIX,
    checkin_sk,
    day_key,
    goal_sk,
    status_gsi_pk_for_user,
    status_gsi_sk,
    sub_of,
    user_pk,
)


class Schedule(ItemMap):
    frequency = UnicodeAttribute()
    days_of_week = ListAttribute(of=UnicodeAttribute, null=True, attr_name="daysOfWeek")
    times_per_week = NumberAttribute(null=True, attr_name="timesPerWeek")


class Target(ItemMap):
    metric = UnicodeAttribute()
    value = NumberAttribute()
    direction = UnicodeAttribute()


class Reminder(ItemMap):
    """A habit's daily reminder: a local time `HH:MM` in the profile's timezone."""

    time = UnicodeAttribute()


class GoalItem(TableItem, discriminator="goal"):
    in_change_feed = True

    goal_id = UnicodeAttribute(attr_name="goalId")
    title = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    category = UnicodeAttribute()
    goal_type = UnicodeAttribute(attr_name="type")
    schedule = Schedule(null=True)
    target = Target(null=True)
    status = UnicodeAttribute()
    start_date = DayAttribute(attr_name="startDate")
    end_date = DayAttribute(null=True, attr_name="endDate")
    # Projected into GSI1 with `type`, so the reminders pass finds who to remind from the
    # index alone.
    reminder = Reminder(null=True)
    # The local days that have a check-in, as a bit string: written in the same transaction
    # as each check-in (conditioned on the goal's version), so progress is derived from the
    # goal alone, decays without any write, and costs the same for any length of history.
    check_in_days = DaySetAttribute(null=True, attr_name="checkInDays")
    # The same days as a string set, as goals stored them before migration 0002; read and
    # merged until every goal has been rewritten, removed by the next check-in write.
    legacy_check_in_dates = UnicodeSetAttribute(null=True, attr_name="checkInDates")

    @classmethod
    def key(cls, sub: str, goal_id: str) -> tuple[str, str]:
        return user_pk(sub), goal_sk(goal_id)

    @classmethod
    def list_range(cls):
        return cls.sk.startswith(GOAL_PREFIX)

    @property
    def owner(self) -> str:
        return sub_of(self.pk)

    def touch(self, now: datetime) -> None:
        """Stamp `updatedAt` and move the goal to its place in the status index."""
        self.updated_at = now
        self.gsi1_pk = status_gsi_pk_for_user(self.status, self.owner)
        self.gsi1_sk = status_gsi_sk(self.owner, now)

    @property
    def checked_in(self) -> DaySet:
        """Every day that has a check-in."""
        days = self.check_in_days or DaySet()
        if self.legacy_check_in_dates:
            legacy = (date.fromisoformat(day) for day in self.legacy_check_in_dates)
            days = DaySet.of([*days, *legacy])
        return days

    def check_in_days_actions(self, days: DaySet) -> list:
        """Update actions that store `days` as the goal's check-in days (legacy set removed)."""
        stored = GoalItem.check_in_days.set(days) if days else GoalItem.check_in_days.remove()
        return [stored, GoalItem.legacy_check_in_dates.remove()]


class CheckInItem(TableItem, discriminator="checkin"):
    """One habit check-in per goal and local day: `CHECKIN#<goalId>#<date>`, and on the
    day index as `DAY#<date>#CHECKIN#<goalId>`."""

    in_change_feed = True

    goal_id = UnicodeAttribute(attr_name="goalId")
    day = DayAttribute(attr_name="date")
    value = NumberAttribute(null=True)
    note = UnicodeAttribute(null=True)

    @classmethod
    def key(cls, sub: str, goal_id: str, day: date) -> tuple[str, str]:
        return user_pk(sub), checkin_sk(goal_id, day)

    def index_keys(self) -> None:
        self.lsi2_sk = day_key(self.day, "CHECKIN", self.goal_id)
