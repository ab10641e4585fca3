"""`DELETE /me`: every item of the user's partition, then their Cognito user. No Flask.

The partition is walked by keys-only Query pages and deleted with BatchWriteItem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ..db.query import item_key, partition_page
from ..db.writes import BATCH_WRITE_MAX, batch_delete
from ..observability import logger
from ..profile import service as profile_service


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
        profile_service.delete_profile(sub, if_match=if_match)
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


def _partition_key_pages(sub: str) -> Iterator[list[dict[str, Any]]]:
    start_key = None
    while True:
        raws, start_key = partition_page(sub, start_key=start_key, keys_only=True)
        if raws:
            yield [item_key(raw) for raw in raws]
        if not start_key:
            return
