"""Helpers for the activity, meal and metric tests: a profile with a timezone and unit
system (written straight to the table), stored items by kind, and a page walker."""

from __future__ import annotations

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import user_pk
from lifestyle_api.profile.models import ProfileItem


def set_profile(sub: str, *, timezone: str = "UTC", unit_system: str = "metric") -> None:
    ProfileItem(
        *ProfileItem.key(sub), user_id=sub, timezone=timezone, unit_system=unit_system
    ).save(add_version_condition=False)


def stored(sub: str, kind: type[TableItem]) -> list:
    """Every item of one kind in the user's partition (a test-only full read)."""
    return list(kind.query(user_pk(sub)))


def walk_pages(client, url: str, **query) -> tuple[list[dict], int]:
    """Follow `nextCursor` to the end; every item seen, in order, and the number of pages."""
    items, cursor, pages = [], None, 0
    while True:
        response = client.get(url, query_string={**query, **({"cursor": cursor} if cursor else {})})
        assert response.status_code == 200, response.json
        items += response.json["items"]
        pages += 1
        cursor = response.json["nextCursor"]
        if cursor is None:
            return items, pages
