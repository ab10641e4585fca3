"""Reads every feature makes the same way: one of the caller's items or a `NotFound`
(`get_owned`); an item (or a few) together with the caller's profile, in one BatchGetItem;
the timezone and unit system that profile puts the user in; and the profiles of many users
at once (the reminders pass).

The profile shapes many answers (the user's "today", units), so a read of one item that
needs it fetches both at once instead of one GetItem after the other.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from ..exceptions import NotFound
from ..records import Record
from ..timeutil import DEFAULT_TIMEZONE
from ..units import DEFAULT_UNIT_SYSTEM
from .account_tombstone import is_account_tombstone, refuse_if_deleted
from .base import TableItem
from .keys import PROFILE_SK, user_pk

if TYPE_CHECKING:
    from ..profile.models import ProfileItem

Item = TypeVar("Item", bound=TableItem)
Key = tuple[str, str]


def timezone_of(profile: ProfileItem | None) -> str:
    """The user's IANA timezone: the profile's, `UTC` before there is a profile."""
    return profile.timezone if profile is not None else DEFAULT_TIMEZONE


class Presentation(Record):
    """What of the user's profile shapes an answer: the timezone ("today", streaks) and the
    unit system (weights and volumes)."""

    timezone: str = DEFAULT_TIMEZONE
    unit_system: str = DEFAULT_UNIT_SYSTEM


def presentation_of(profile: ProfileItem | None) -> Presentation:
    """The profile's timezone and unit system; the defaults before there is a profile."""
    if profile is None:
        return Presentation()
    return Presentation(profile.timezone, profile.unit_system)


class WithProfile(Record, Generic[Item]):
    """An item (`None` if it does not exist), the caller's profile (`None` before the first
    `GET /me`), and any other items read with them, by key."""

    item: Item | None
    profile: ProfileItem | None
    others: dict[Key, TableItem]

    @property
    def timezone(self) -> str:
        return timezone_of(self.profile)

    def has(self, key: Key) -> bool:
        return key in self.others


def get_owned(model: type[Item], key: Key, not_found: str, **read: Any) -> Item:
    """The item at `key` of the caller's partition (one GetItem, `read` as PynamoDB's `get`
    takes it); a `NotFound` saying `not_found` when there is none, as for anyone else's id,
    which is not in the caller's partition."""
    try:
        return model.get(*key, **read)
    except model.DoesNotExist as exc:
        raise NotFound(not_found) from exc


def read_with_profile(
    sub: str,
    key: Key | None,
    *,
    also: Iterable[Key] = (),
    with_profile: bool = True,
    consistent_read: bool = False,
) -> WithProfile:
    """The item at `key` (none when `key` is `None`), the profile of `sub` (unless
    `with_profile` is false) and the items at `also`, in one request: a GetItem when only
    one key is wanted, else one BatchGetItem. Items come back as their own model classes.
    A deleted account's tombstone in the profile's place is a 401 (`AccountDeleted`)."""
    profile_key = (user_pk(sub), PROFILE_SK)
    keys = [*([key] if key else []), *([profile_key] if with_profile else []), *also]
    found = {(item.pk, item.sk): item for item in _read(keys, consistent_read)}
    profile = found.pop(profile_key, None)
    refuse_if_deleted(profile)
    item = found.pop(key, None) if key else None
    return WithProfile(item, profile, found)


def read_profiles(subs: Iterable[str]) -> dict[str, ProfileItem | None]:
    """The profiles of many users (`None` for a user without one, and for a deleted account,
    whose tombstone holds the profile's place), as `read_with_profile` reads one:
    BatchGetItem requests of up to 100 keys, unprocessed keys sent again."""
    subs = list(dict.fromkeys(subs))
    keys = [(user_pk(sub), PROFILE_SK) for sub in subs]
    found = {item.pk: item for item in _read(keys, consistent_read=False)} if keys else {}
    return {sub: _live_profile(found.get(user_pk(sub))) for sub in subs}


def _live_profile(item: TableItem | None) -> ProfileItem | None:
    return None if item is None or is_account_tombstone(item) else item


def user_timezone(sub: str) -> str:
    """The timezone of the user's profile, UTC when there is no profile yet (one GetItem)."""
    return read_with_profile(sub, None).timezone


def _read(keys: list[Key], consistent_read: bool) -> Iterable[TableItem]:
    if len(keys) == 1:
        try:
            return [TableItem.get(*keys[0], consistent_read=consistent_read)]
        except TableItem.DoesNotExist:
            return []
    return TableItem.batch_get(keys, consistent_read=consistent_read or None)
