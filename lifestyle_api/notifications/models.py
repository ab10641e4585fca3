"""The DEVICE and NOTIFICATION items, both in the user's own partition (so an account's
deletion takes them along).

- A device (`DEVICE#<hash of platform and token>`) is one push token; its SNS platform
  endpoint is created on its first push and kept here. On the time index (LSI1) as
  `DEVICE#<createdAt>#<id>` for the newest-first list.
- A notification (`NOTIFICATION#<id>`) is one inbox entry, on LSI1 as
  `NOTIFICATION#<createdAt>#<id>`, expiring after 30 days (TTL `expiresAt`, also checked
  on read). While its push is not finished it sits in GSI1 under `PUSH#PENDING#<shard>`,
  with the lease of the pass delivering it.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pynamodb.attributes import (
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
)

from ..db import TableItem
from ..db.attributes import DayAttribute
from ..db.keys import (
    DEVICE_PREFIX,
    NOTIFICATION_PREFIX,
    device_sk,
    device_time_key,
    notification_sk,
    notification_time_key,
    once_a_day_notification_id,
    user_pk,
)

PLATFORMS = ("ios", "android")
KINDS = ("reminder", "streak_at_risk", "coach")
NOTIFICATION_LIFETIME = timedelta(days=30)
# Push states: being delivered (or to be retried), delivered to every device there was,
# given up after the last attempt.
PUSH_PENDING = "pending"
PUSH_DONE = "done"
PUSH_GAVE_UP = "gave_up"
TOKEN_SUFFIX_LENGTH = 6


class DeviceItem(TableItem, discriminator="device"):
    device_id = UnicodeAttribute(attr_name="deviceId")
    platform = UnicodeAttribute()
    # Never answered or logged whole; only the last characters are shown.
    token = UnicodeAttribute()
    endpoint_arn = UnicodeAttribute(null=True, attr_name="endpointArn")

    @classmethod
    def key(cls, sub: str, platform: str, token: str) -> tuple[str, str]:
        return user_pk(sub), device_sk(platform, token)

    @classmethod
    def by_time_range(cls):
        return cls.lsi1_sk.startswith(DEVICE_PREFIX)

    @classmethod
    def list_range(cls):
        return cls.sk.startswith(DEVICE_PREFIX)

    @property
    def token_suffix(self) -> str:
        return self.token[-TOKEN_SUFFIX_LENGTH:]

    def index_keys(self) -> None:
        self.lsi1_sk = device_time_key(self.created_at, self.device_id)


class NotificationItem(TableItem, discriminator="notification"):
    notification_id = UnicodeAttribute(attr_name="notificationId")
    # `kind` is the table's item discriminator; the notification's own kind is this one.
    notification_kind = UnicodeAttribute(attr_name="notificationKind")
    title = UnicodeAttribute()
    body = UnicodeAttribute()
    goal_id = UnicodeAttribute(null=True, attr_name="goalId")
    # The user's local day the notification belongs to (one per goal, kind and day).
    day = DayAttribute(null=True)
    read_at = UTCDateTimeAttribute(null=True, attr_name="readAt")
    push_state = UnicodeAttribute(default=PUSH_DONE, attr_name="pushState")
    pushed_to = UnicodeSetAttribute(null=True, attr_name="pushedTo")
    push_attempts = NumberAttribute(default=0, attr_name="pushAttempts")
    push_lease_until = UTCDateTimeAttribute(null=True, attr_name="pushLeaseUntil")

    @classmethod
    def key(cls, sub: str, notification_id: str) -> tuple[str, str]:
        return user_pk(sub), notification_sk(notification_id)

    @classmethod
    def once_a_day_key(cls, sub: str, goal_id: str, kind: str, day: date) -> tuple[str, str]:
        return cls.key(sub, once_a_day_notification_id(goal_id, kind, day))

    @classmethod
    def inbox_range(cls):
        return cls.lsi1_sk.startswith(NOTIFICATION_PREFIX)

    def index_keys(self) -> None:
        self.lsi1_sk = notification_time_key(self.created_at, self.notification_id)

    def expired(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at <= now
