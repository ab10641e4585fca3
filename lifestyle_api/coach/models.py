"""The coach's items in the user's partition: cached answers and the refresh counter.

- `COACH#<kind>#<period>#<periodStart>`: one cached answer (the response body as the client
  saw it), living until `expiresAt` (checked on read; DynamoDB's TTL removes it later).
- `COACH#REFRESH#<UTC hour>`: how many `?refresh=true` calls the user made in that hour.
"""

from __future__ import annotations

from datetime import date, datetime

from pynamodb.attributes import JSONAttribute, NumberAttribute

from ..db import TableItem
from ..db.keys import coach_cache_sk, coach_refresh_sk, user_pk


class CoachCacheItem(TableItem, discriminator="coach-cache"):
    body = JSONAttribute()

    @classmethod
    def key(cls, sub: str, kind: str, period: str, period_start: date) -> tuple[str, str]:
        return user_pk(sub), coach_cache_sk(kind, period, period_start)

    def is_fresh(self, now: datetime) -> bool:
        return self.expires_at is not None and self.expires_at > now


class CoachRefreshItem(TableItem, discriminator="coach-refresh"):
    count = NumberAttribute(default=0)

    @classmethod
    def key(cls, sub: str, window_start: datetime) -> tuple[str, str]:
        return user_pk(sub), coach_refresh_sk(window_start)
