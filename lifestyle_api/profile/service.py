"""Profile rules: read (created on first use) and update. No Flask.

- `GET /me` is one GetItem; the first call for a user also writes the profile, with the
  email Cognito gives for the caller's token.
- `PATCH /me` is a GetItem and a PutItem conditional on the version read; `If-Match` makes
  that version the client's (412), a concurrent write is retried, then 409.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from pynamodb.exceptions import PutError

from ..base_schemas import shared_instance
from ..db import TableItem
from ..db.account_tombstone import refuse_if_deleted
from ..db.errors import is_condition_failure
from ..db.reads import Presentation
from ..db.writes import update_versioned
from ..timeutil import utc_now
from .models import DailyTargets, NotificationSettings, ProfileItem, QuietHours

# Email (and name) for a new profile: looked up only when a profile is created.
AttributesLookup = Callable[[], dict[str, str]]


def create_profile(sub: str, *, email: str, name: str | None, now: datetime) -> ProfileItem:
    """The profile of a new account, with the defaults."""
    profile = ProfileItem.new(sub, email=email, name=name, now=now)
    profile.save()
    return profile


def get_profile(sub: str, lookup: AttributesLookup, *, now: datetime | None = None) -> ProfileItem:
    """The caller's profile, created with the defaults on first use."""
    profile = ProfileItem.find(sub)
    if profile is not None:
        return profile
    profile = _new_profile(sub, lookup, now or utc_now())
    try:
        profile.save()
    except PutError as exc:
        if not is_condition_failure(exc):
            raise
        # Another request created it first: answer with theirs. (A tombstone written since,
        # by a deletion, is a 401.)
        theirs = ProfileItem.find(sub, consistent_read=True)
        if theirs is None:
            raise
        return theirs
    return profile


def update_profile(
    sub: str,
    changes: dict[str, Any],
    lookup: AttributesLookup,
    *,
    if_match: int | None = None,
    now: datetime | None = None,
) -> ProfileItem:
    """Apply a partial update (a missing profile is created with it)."""
    now = now or utc_now()

    def change(profile: ProfileItem) -> None:
        _apply_changes(profile, changes)
        profile.updated_at = now

    return update_versioned(
        lambda: ProfileItem.find(sub) or _new_profile(sub, lookup, now), change, if_match=if_match
    )


def _new_profile(sub: str, lookup: AttributesLookup, now: datetime) -> ProfileItem:
    attributes = lookup()
    return ProfileItem.new(
        sub, email=attributes.get("email", ""), name=attributes.get("name"), now=now
    )


def _apply_changes(profile: ProfileItem, changes: dict[str, Any]) -> None:
    for field in ("name", "timezone", "unit_system"):
        if field in changes:
            setattr(profile, field, changes[field])
    if "daily_targets" in changes:
        targets = {
            name: getattr(profile.daily_targets, name)
            for name in DailyTargets.get_attributes()
            if profile.daily_targets and getattr(profile.daily_targets, name) is not None
        }
        targets.update(changes["daily_targets"])
        profile.daily_targets = DailyTargets(
            **{name: value for name, value in targets.items() if value is not None}
        )
    if "notification_preferences" in changes:
        profile.notifications = _merged_notifications(
            profile.notification_preferences, changes["notification_preferences"]
        )


def _merged_notifications(
    current: NotificationSettings, changes: dict[str, Any]
) -> NotificationSettings:
    """The settings with the fields sent changed and the others kept."""
    quiet_hours = changes.get("quiet_hours", current.quiet_hours)
    if isinstance(quiet_hours, dict):
        quiet_hours = QuietHours(**quiet_hours)
    return NotificationSettings(
        enabled=changes.get("enabled", current.enabled),
        quiet_hours=quiet_hours,
        streak_nudges=changes.get("streak_nudges", current.streak_nudges),
    )


def find_profile(sub: str) -> ProfileItem | None:
    """The user's profile, `None` before there is one (one GetItem)."""
    return ProfileItem.find(sub)


def profile_from_raw(raw: dict[str, Any]) -> ProfileItem:
    """A profile from a raw DynamoDB item (a page of the user's partition); a 401 when it is
    a deleted account's tombstone."""
    item = TableItem.from_raw_data(raw)
    refuse_if_deleted(item)
    return item


def profile_json(profile: ProfileItem) -> dict[str, Any]:
    """The profile as `GET /me` answers it."""
    return _PROFILE_SCHEMA.dump(profile)


def export_profile(raw: dict[str, Any], _presentation: Presentation) -> dict[str, Any]:
    """The profile from a raw item, as `GET /me` answers it."""
    return profile_json(profile_from_raw(raw))


def _profile_schema():
    from .schemas import ProfileSchema

    return shared_instance(ProfileSchema)


_PROFILE_SCHEMA = _profile_schema()
