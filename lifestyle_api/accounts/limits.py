"""Abuse limits on the public account routes (API.md "Public routes"), per email address:

- `resend-code` and `forgot-password`: at most 5 per hour (each sends an email, and Cognito's
  default sender allows only a few a day for the whole pool);
- `register`: at most 10 per 15 minutes;
- `login`: at most 10 failed attempts per 15 minutes, on top of Cognito's own lockout.

Past a limit the answer is a 429 with `Retry-After` (the seconds until the oldest attempt
leaves the window), whether or not an account exists for the email: attempts are counted
for the address as typed, before Cognito is asked anything. No Flask.

Each limit is a sliding window kept in one item per email and action (`AttemptLogItem`):
the instants of the attempts still inside the window. Taking an attempt is a consistent
GetItem and a PutItem conditional on the version read (a concurrent attempt makes it read
again; after the retry policy's attempts it is refused, so a burst cannot slip through).
The key holds an HMAC of the email under a key derived from `CURSOR_SECRET`, never the
address, nor a plain hash a list of addresses could reverse; the item expires by TTL when
its newest attempt leaves the window.
"""

from __future__ import annotations

import hashlib
import hmac
import math
from datetime import datetime, timedelta

from pynamodb.exceptions import PutError

from ..config import Settings
from ..db.errors import is_condition_failure
from ..db.retry import retry_attempts
from ..exceptions import TooManyRequests
from ..records import Record
from ..timeutil import utc_now
from .models import AttemptLogItem

TOO_MANY = "Too many attempts for this email; try again later."


class Limit(Record):
    action: str
    attempts: int
    window: timedelta


RESEND_CODE = Limit("resend-code", 5, timedelta(hours=1))
FORGOT_PASSWORD = Limit("forgot-password", 5, timedelta(hours=1))
REGISTER = Limit("register", 10, timedelta(minutes=15))
FAILED_LOGINS = Limit("login-failure", 10, timedelta(minutes=15))


def email_digest(settings: Settings, email: str) -> str:
    key = hashlib.sha256(b"lifestyle-api abuse limits\x00" + settings.cursor_secret.encode())
    return hmac.new(key.digest(), email.encode(), hashlib.sha256).hexdigest()


def take(limit: Limit, settings: Settings, email: str, *, now: datetime | None = None) -> None:
    """Count one attempt, or answer 429 when the window already holds `limit.attempts`."""
    _record(limit, settings, email, now or utc_now(), refuse_when_full=True)


def check(limit: Limit, settings: Settings, email: str, *, now: datetime | None = None) -> None:
    """Answer 429 when the window holds `limit.attempts`, counting nothing (one GetItem)."""
    now = now or utc_now()
    log = _find(settings, email, limit)
    if log is not None:
        _refuse_if_full(limit, _recent(log, limit, now), now)


def record(limit: Limit, settings: Settings, email: str, *, now: datetime | None = None) -> None:
    """Count one attempt (a failed login) without refusing it."""
    _record(limit, settings, email, now or utc_now(), refuse_when_full=False)


def _record(
    limit: Limit, settings: Settings, email: str, now: datetime, *, refuse_when_full: bool
) -> None:
    for _attempt in retry_attempts():
        log = _find(settings, email, limit) or AttemptLogItem(
            *AttemptLogItem.key(email_digest(settings, email), limit.action)
        )
        recent = _recent(log, limit, now)
        if refuse_when_full:
            _refuse_if_full(limit, recent, now)
        log.attempts = [*recent, now.timestamp()][-limit.attempts :]
        log.expires_at = now + limit.window
        try:
            log.save()
        except PutError as exc:
            if not is_condition_failure(exc):
                raise
            continue  # another attempt was counted meanwhile: count again on top of it
        return
    # Attempts for one email collided again and again: that is itself a burst.
    raise TooManyRequests(TOO_MANY, retry_after=1)


def _find(settings: Settings, email: str, limit: Limit) -> AttemptLogItem | None:
    key = AttemptLogItem.key(email_digest(settings, email), limit.action)
    try:
        return AttemptLogItem.get(*key, consistent_read=True)
    except AttemptLogItem.DoesNotExist:
        return None


def _recent(log: AttemptLogItem, limit: Limit, now: datetime) -> list[float]:
    start = (now - limit.window).timestamp()
    return sorted(at for at in log.attempts or [] if at > start)


def _refuse_if_full(limit: Limit, recent: list[float], now: datetime) -> None:
    if len(recent) >= limit.attempts:
        oldest_counted = recent[-limit.attempts]
        wait = oldest_counted + limit.window.total_seconds() - now.timestamp()
        raise TooManyRequests(TOO_MANY, retry_after=max(1, math.ceil(wait)))
