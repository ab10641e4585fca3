"""`GET /me/export`: everything a user has, in pages. No Flask.

One Query per page over the user's partition (plus the profile's GetItem when it is not in
that page), at most 1,000 items and 4 MB of JSON a page. Each item is written by its own
feature's service, as that feature's routes answer it (metrics in their canonical unit).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..db.keys import PROFILE_SK
from ..db.query import item_key, partition_page
from ..db.reads import Presentation, presentation_of
from ..kinds import KINDS, kind_of
from ..profile import service as profile_service
from ..timeutil import format_instant, utc_now

EXPORT_PAGE_ITEMS = 1000
EXPORT_PAGE_BYTES = 4 * 1024 * 1024
# Room for the page's envelope: group names, `exportedAt`, `nextCursor`.
EXPORT_ENVELOPE_BYTES = 4 * 1024

# The groups of a page, one per kind but the profile (every page carries it on its own).
EXPORT_GROUPS = tuple(kind.export_group for kind in KINDS.values() if kind.export_group)


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
    presentation = presentation_of(profile)
    page: dict[str, Any] = {
        "profile": profile_service.profile_json(profile) if profile else None,
        **{group: [] for group in EXPORT_GROUPS},
        "exportedAt": format_instant(now or utc_now()),
    }
    budget = EXPORT_PAGE_BYTES - EXPORT_ENVELOPE_BYTES - _json_size(page["profile"])
    for index, raw in enumerate(raws):
        exported = _export_item(raw, presentation)
        if exported is None:
            continue
        group, body = exported
        budget -= _json_size(body)
        if budget < 0 and index > 0:
            # Continue from this item on the next page (one item is at most 400 KB stored).
            return page, item_key(raws[index - 1])
        page[group].append(body)
    return page, last_key


def _export_item(
    raw: dict[str, Any], presentation: Presentation
) -> tuple[str, dict[str, Any]] | None:
    """`(group, JSON body)` for an exported kind; `None` for the profile (exported apart)
    and for internal records (idempotency keys, source markers, caches, tombstones)."""
    kind = kind_of(raw)
    if kind is None or kind.export_group is None:
        return None
    return kind.export_group, kind.export(raw, presentation)


def _json_size(body: Any) -> int:
    # ASCII-escaped, as Flask writes JSON: the bytes a client receives.
    return len(json.dumps(body, ensure_ascii=True, separators=(",", ":")))
