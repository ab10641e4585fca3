"""Profile rules: read (created on first use), update, export and account deletion. No Flask.

- `GET /me` is one GetItem; the first call for a user also writes the profile, with the
  email Cognito gives for the caller's token.
- `PATCH /me` is a GetItem and a PutItem conditional on the version read; `If-Match` makes
  that version the client's (412), a concurrent write is retried, then 409.
- The export is one Query per page over the user's partition (plus the profile's GetItem
  when it is not in that page), at most 1,000 items and 4 MB of JSON a page.
- Deletion walks the partition by keys-only Query pages and deletes them with
  BatchWriteItem, retrying unprocessed items with backoff.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from pynamodb.exceptions import DeleteError, PutError

from ..activities.models import ActivityItem
from ..activities.schemas import ActivitySchema
from ..db import TableItem
from ..db.keys import PROFILE_SK
from ..db.writes import update_versioned
from ..errors import is_condition_failure
from ..exceptions import PreconditionFailed, ServiceUnavailable
from ..goals.models import CheckInItem, GoalItem
from ..goals.schemas import CheckInSchema, GoalSchema
from ..goals.service import attach_progress
from ..meals.models import MealItem
from ..meals.schemas import MealSchema
from ..metrics.models import MetricItem
from ..observability import logger
from ..timeutil import format_instant, utc_now
from .models import (
    DEFAULT_TIMEZONE,
    DailyTargets,
    ProfileItem,
    item_key,
    partition_page,
    table_connection,
)
from .schemas import (
    MetricExportSchema,
    ProfileSchema,
)

EXPORT_PAGE_ITEMS = 1000
EXPORT_PAGE_BYTES = 4 * 1024 * 1024
# Room for the page's envelope: group names, `exportedAt`, `nextCursor`.
EXPORT_ENVELOPE_BYTES = 4 * 1024
BATCH_WRITE_MAX = 25
BATCH_WRITE_ATTEMPTS = 8
BATCH_BACKOFF_SECONDS = 0.05
BATCH_BACKOFF_MAX_SECONDS = 2.0
EXPORT_GROUPS = ("goals", "checkIns", "activities", "meals", "metrics")

# Email (and name) for a new profile: looked up only when a profile is created.
AttributesLookup = Callable[[], dict[str, str]]


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
        # Another request created it first: answer with theirs.
        return ProfileItem.get(*ProfileItem.key(sub))
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


def export_page(
    sub: str,
    *,
    start_key: dict[str, Any] | None = None,
    limit: int = EXPORT_PAGE_ITEMS,
    now: datetime | None = None,
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """One page of everything the user has, JSON-ready and grouped by kind, and the key to
    continue from.

    DynamoDB answers at most 1 MB per Query, but JSON can be larger than the stored item
    (escaped characters), so each item's JSON is measured and the page ends before 4 MB.
    """
    raws, last_key = partition_page(sub, start_key=start_key, limit=limit)
    profile_raw = next((raw for raw in raws if raw["SK"]["S"] == PROFILE_SK), None)
    profile = ProfileItem.from_raw_data(profile_raw) if profile_raw else ProfileItem.find(sub)
    timezone = profile.timezone if profile else DEFAULT_TIMEZONE
    page: dict[str, Any] = {
        "profile": _PROFILE_SCHEMA.dump(profile) if profile else None,
        **{group: [] for group in EXPORT_GROUPS},
        "exportedAt": format_instant(now or utc_now()),
    }
    budget = EXPORT_PAGE_BYTES - EXPORT_ENVELOPE_BYTES - _json_size(page["profile"])
    for index, raw in enumerate(raws):
        exported = _export_item(raw, timezone)
        if exported is None:
            continue
        group, body = exported
        budget -= _json_size(body)
        if budget < 0 and index > 0:
            # Continue from this item on the next page (one item is at most 400 KB stored).
            return page, item_key(raws[index - 1])
        page[group].append(body)
    return page, last_key


def delete_account(
    sub: str,
    delete_identity: Callable[[], bool],
    *,
    if_match: int | None = None,
) -> int:
    """Delete every item of the user's partition, then their Cognito user
    (`delete_identity()` says whether there was one).

    With `If-Match`, the profile is deleted first, conditional on that version (412).
    Returns the number of items deleted.
    """
    deleted = 0
    if if_match is not None:
        _delete_profile_if_match(sub, if_match)
    for keys in _partition_key_pages(sub):
        for start in range(0, len(keys), BATCH_WRITE_MAX):
            batch_delete(keys[start : start + BATCH_WRITE_MAX])
        deleted += len(keys)
    had_identity = delete_identity()
    logger.info(
        "Account deleted",
        extra={"user_id": sub, "items_deleted": deleted, "cognito_user_deleted": had_identity},
    )
    return deleted


def batch_delete(keys: list[dict[str, Any]]) -> None:
    """Delete up to 25 items in one BatchWriteItem, resending unprocessed ones with backoff."""
    pending = keys
    table = TableItem.Meta.table_name
    for attempt in range(BATCH_WRITE_ATTEMPTS):
        result = table_connection().batch_write_item(delete_items=pending)
        unprocessed = (result or {}).get("UnprocessedItems", {}).get(table, [])
        if not unprocessed:
            return
        pending = [request["DeleteRequest"]["Key"] for request in unprocessed]
        time.sleep(min(BATCH_BACKOFF_SECONDS * 2**attempt, BATCH_BACKOFF_MAX_SECONDS))
    raise ServiceUnavailable("The account could not be deleted completely; try again.")


def _partition_key_pages(sub: str) -> Iterator[list[dict[str, Any]]]:
    start_key = None
    while True:
        raws, start_key = partition_page(sub, start_key=start_key, keys_only=True)
        if raws:
            yield [item_key(raw) for raw in raws]
        if not start_key:
            return


def _delete_profile_if_match(sub: str, if_match: int) -> None:
    profile = ProfileItem(*ProfileItem.key(sub))
    condition = ProfileItem.version == if_match if if_match else ProfileItem.pk.does_not_exist()
    try:
        profile.delete(condition=condition, add_version_condition=False)
    except DeleteError as exc:
        if not is_condition_failure(exc):
            raise
        raise PreconditionFailed() from exc


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


def _export_item(raw: dict[str, Any], timezone: str) -> tuple[str, dict[str, Any]] | None:
    """`(group, JSON body)` for an exported kind; `None` for the profile (exported apart)
    and for internal records (idempotency keys, source markers, caches)."""
    kind = raw.get("kind", {}).get("S")
    if kind == "goal":
        goal = GoalItem.from_raw_data(raw)
        attach_progress([goal], timezone)
        return "goals", _GOAL_SCHEMA.dump(goal)
    exporter = _EXPORTERS.get(kind)
    if exporter is None:
        return None
    group, model, schema = exporter
    return group, schema.dump(model.from_raw_data(raw))


# Built once: a schema instance per exported item would be thousands per page.
_PROFILE_SCHEMA = ProfileSchema()
_GOAL_SCHEMA = GoalSchema()
_EXPORTERS = {
    "checkin": ("checkIns", CheckInItem, CheckInSchema()),
    "activity": ("activities", ActivityItem, ActivitySchema()),
    "meal": ("meals", MealItem, MealSchema()),
    "metric": ("metrics", MetricItem, MetricExportSchema()),
}


def _json_size(body: Any) -> int:
    # ASCII-escaped, as Flask writes JSON: the bytes a client receives.
    return len(json.dumps(body, ensure_ascii=True, separators=(",", ":")))
