"""Account deletion (API.md "Profile": `DELETE /me`) and its second pass. No Flask.

The first pass, `delete_account`, in an order that any step may fail and the same request
finish later (resumable: a failure is a 503, the retry a 204):

1. the tombstone takes the profile's place (`db.account_tombstone`): from then on every read that
   fetches the profile refuses the user's old tokens, and nothing recreates the profile;
2. the second pass is scheduled (on AWS; `purge_schedule`);
3. the partition is emptied, the tombstone excepted (keys-only Query pages, BatchWriteItem);
4. the Cognito user is deleted, and the tombstone forgets its username.

A retry finds the tombstone and carries on from step 2, whatever `If-Match` it sends (the
profile it named is gone); a first request's `If-Match` is a condition on the profile's
version in the tombstone's own write.

The second pass, `purge_account`, runs once every access token issued before the deletion
has expired: it removes what such tokens wrote meanwhile, finishes a Cognito deletion the
client never retried, and takes the tombstone off the pending index. It only ever acts on a
partition whose profile is a tombstone. `run_due_passes` runs every pass that is due (the
`purge-deleted` command), `purge_deleted_task` is the scheduled task.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime, timedelta
from typing import Any

from pynamodb.exceptions import PutError

from ..config import Settings
from ..db import TableItem
from ..db.account_tombstone import AccountTombstone
from ..db.errors import is_condition_failure
from ..db.keys import ERASURE_PENDING, PROFILE_SK, erasure_due_until, sub_of
from ..db.query import item_key, partition_page
from ..db.retry import retry_attempts
from ..db.writes import BATCH_WRITE_MAX, batch_delete
from ..exceptions import Conflict, PreconditionFailed
from ..observability import logger
from ..records import Record
from ..timeutil import utc_now
from . import purge_schedule

# Cognito's access-token validity (terraform/cognito.tf): tokens issued before a deletion
# are refused by the gateway after this long, so nothing can be written with them any more.
ACCESS_TOKEN_LIFETIME = timedelta(minutes=15)
# A request let in just before its token expired still finishes within the function's
# timeout (at most 30 s behind the HTTP API): the scheduled pass waits this much longer.
IN_FLIGHT_MARGIN = timedelta(minutes=1)


class Purge(Record):
    items_removed: int
    cognito_user_deleted: bool


def delete_account(
    sub: str,
    settings: Settings,
    delete_identity: Callable[[str], bool],
    *,
    cognito_username: str,
    if_match: int | None = None,
    now: datetime | None = None,
) -> int:
    """The first pass; returns the number of items deleted. `delete_identity(username)`
    deletes the Cognito user and says whether there was one."""
    now = now or utc_now()
    tombstone = _tombstone(sub, cognito_username, if_match, now)
    purge_schedule.schedule_second_pass(settings, sub, pass_due_at(tombstone) + IN_FLIGHT_MARGIN)
    deleted = empty_partition(sub)
    had_identity = _delete_identity(tombstone, delete_identity)
    logger.info(
        "Account deleted",
        extra={"user_id": sub, "items_deleted": deleted, "cognito_user_deleted": had_identity},
    )
    return deleted


def pass_due_at(tombstone: AccountTombstone) -> datetime:
    return tombstone.deleted_at + ACCESS_TOKEN_LIFETIME


def _tombstone(
    sub: str, cognito_username: str, if_match: int | None, now: datetime
) -> AccountTombstone:
    """Write the tombstone in the profile's place, or find the one an earlier attempt wrote."""
    for _attempt in retry_attempts():
        current = _profile_slot(sub)
        if isinstance(current, AccountTombstone):
            return current  # resuming a deletion that failed half way
        version = (current.version or 0) if current is not None else 0
        if if_match is not None and version != if_match:
            raise PreconditionFailed()
        tombstone = AccountTombstone.new(
            sub, cognito_username=cognito_username, deleted_at=now, version=version
        )
        unchanged = (
            TableItem.version == current.version
            if current is not None and current.version is not None
            else TableItem.pk.does_not_exist()
        )
        try:
            tombstone.save(condition=unchanged, add_version_condition=False)
        except PutError as exc:
            if not is_condition_failure(exc):
                raise
            if if_match is not None:
                raise PreconditionFailed() from exc
            continue  # the profile changed meanwhile: read it again
        return tombstone
    raise Conflict()


def _profile_slot(sub: str) -> TableItem | None:
    """What holds the profile's key: the profile, the tombstone, or nothing (consistent)."""
    try:
        return TableItem.get(*AccountTombstone.key(sub), consistent_read=True)
    except TableItem.DoesNotExist:
        return None


def _delete_identity(tombstone: AccountTombstone, delete_identity: Callable[[str], bool]) -> bool:
    if tombstone.cognito_username is None:
        return False  # deleted by an earlier attempt
    had_identity = delete_identity(tombstone.cognito_username)
    tombstone.update(actions=[AccountTombstone.cognito_username.remove()])
    return had_identity


def empty_partition(sub: str) -> int:
    """Delete every item of the user's partition but the tombstone; the number deleted."""
    deleted = 0
    for keys in _partition_key_pages(sub):
        for start in range(0, len(keys), BATCH_WRITE_MAX):
            batch_delete(keys[start : start + BATCH_WRITE_MAX])
        deleted += len(keys)
    return deleted


def _partition_key_pages(sub: str) -> Iterator[list[dict[str, Any]]]:
    start_key = None
    while True:
        raws, start_key = partition_page(sub, start_key=start_key, keys_only=True)
        keys = [item_key(raw) for raw in raws if raw["SK"]["S"] != PROFILE_SK]
        if keys:
            yield keys
        if not start_key:
            return


# ---- the second pass ----------------------------------------------------------------------


def purge_account(
    sub: str, settings: Settings, delete_identity: Callable[[str], bool]
) -> Purge | None:
    """The second pass for `sub`; `None` when the account is not a deleted one."""
    tombstone = _profile_slot(sub)
    if not isinstance(tombstone, AccountTombstone):
        return None
    removed = empty_partition(sub)
    had_identity = _delete_identity(tombstone, delete_identity)
    tombstone.mark_purged()
    tombstone.save()
    purge_schedule.cancel_second_pass(settings, sub)
    logger.info(
        "Account deletion completed",
        extra={"user_id": sub, "items_removed": removed, "cognito_user_deleted": had_identity},
    )
    return Purge(items_removed=removed, cognito_user_deleted=had_identity)


def due_deletions(deleted_before: datetime) -> list[str]:
    """The users whose deletion, made at or before `deleted_before`, awaits its second pass
    (a Query of GSI1's pending deletions)."""
    pending = TableItem.by_status.query(
        ERASURE_PENDING, TableItem.gsi1_sk <= erasure_due_until(deleted_before)
    )
    return [sub_of(item.pk) for item in pending]


def run_due_passes(
    settings: Settings,
    delete_identity: Callable[[str], bool],
    *,
    grace: timedelta = ACCESS_TOKEN_LIFETIME,
    now: datetime | None = None,
) -> list[Purge]:
    """Every second pass due: deletions made at least `grace` ago."""
    now = now or utc_now()
    passes = (purge_account(sub, settings, delete_identity) for sub in due_deletions(now - grace))
    return [done for done in passes if done is not None]


def purge_deleted_task(event: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """The scheduled task: the pass of the user the event names, if it is due (or every
    pass that is due, for an event naming no user)."""
    from .service import delete_user  # the Cognito side, read at call time

    def delete_identity(username: str) -> bool:
        return delete_user(settings, username)

    now = utc_now()
    if "userId" not in event:
        passes = run_due_passes(settings, delete_identity, now=now)
    else:
        sub = str(event["userId"])
        tombstone = _profile_slot(sub)
        due = (
            isinstance(tombstone, AccountTombstone)
            and tombstone.pending
            and pass_due_at(tombstone) <= now
        )
        purged = purge_account(sub, settings, delete_identity) if due else None
        passes = [purged] if purged else []
    return {"passes": len(passes), "itemsRemoved": sum(p.items_removed for p in passes)}
