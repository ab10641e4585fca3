"""`GET /me/export`: everything a user has, in pages. No Flask.

One Query per page over the user's partition (plus the profile's GetItem when it is not in
that page), at most 1,000 items and 4 MB of JSON a page. Each item is written by its own
feature's service, as that feature's routes answer it (metrics in their canonical unit).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any

from ..activities import service as activities
from ..db.keys import PROFILE_SK
from ..db.query import item_key, partition_page
from ..db.reads import timezone_of
from ..goals import checkins
from ..goals import service as goals
from ..meals import service as meals
from ..metrics import service as metrics
from ..profile import service as profile_service
from ..timeutil import format_instant, utc_now

EXPORT_PAGE_ITEMS = 1000
EXPORT_PAGE_BYTES = 4 * 1024 * 1024
# Room for the page's envelope: group names, `exportedAt`, `nextCursor`.
EXPORT_ENVELOPE_BYTES = 4 * 1024

# Item kind -> (group in the page, the feature's writer of a raw item given the timezone).
Exporter = Callable[[dict[str, Any], str], dict[str, Any]]
EXPORTERS: dict[str, tuple[str, Exporter]] = {
    "goal": ("goals", goals.export_goal),
    "checkin": ("checkIns", checkins.export_check_in),
    "activity": ("activities", activities.export_activity),
    "meal": ("meals", meals.export_meal),
    "metric": ("metrics", metrics.export_metric),
}
EXPORT_GROUPS = tuple(group for group, _exporter in EXPORTERS.values())


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
    profile = (
        profile_service.profile_from_raw(profile_raw)
        if profile_raw
        else profile_service.find_profile(sub)
    )
    timezone = timezone_of(profile)
    page: dict[str, Any] = {
        "profile": profile_service.profile_json(profile) if profile else None,
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


def _export_item(raw: dict[str, Any], timezone: str) -> tuple[str, dict[str, Any]] | None:
    """`(group, JSON body)` for an exported kind; `None` for the profile (exported apart)
    and for internal records (idempotency keys, source markers, caches)."""
    exporter = EXPORTERS.get(raw.get("kind", {}).get("S"))
    if exporter is None:
        return None
    group, export = exporter
    return group, export(raw, timezone)


def _json_size(body: Any) -> int:
    # ASCII-escaped, as Flask writes JSON: the bytes a client receives.
    return len(json.dumps(body, ensure_ascii=True, separators=(",", ":")))
