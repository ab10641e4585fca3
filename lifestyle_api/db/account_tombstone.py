"""The account tombstone: what stands where a deleted user's profile was (DESIGN.md "The
change feed (sync) and deletions").

`DELETE /me` replaces the `PROFILE` item with an `AccountTombstone` before it empties the
partition, so every read that fetches the profile (`read_with_profile`, the profile's own
reads) finds the tombstone and answers 401 to a token issued before the deletion: no old
data is read and the profile is never recreated (a new profile's write is conditional on
there being no item, and the tombstone's version is above any the profile had). It keeps
the user id and the deletion time, and expires by TTL. Until the second pass has run it
sits on GSI1 (`ERASURE#PENDING`), where `purge-deleted` finds the passes that are due.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute

from ..exceptions import AccountDeleted
from .base import TableItem
from .keys import ERASURE_PENDING, PROFILE_SK, erasure_pending_sk, user_pk

# Long after every token issued before the deletion has expired (15 minutes), and as long
# as the change feed keeps deletes: clients syncing learn that the account is gone.
TOMBSTONE_LIFETIME = timedelta(days=30)


class AccountTombstone(TableItem, discriminator="accountDeleted"):
    user_id = UnicodeAttribute(attr_name="userId")
    deleted_at = UTCDateTimeAttribute(attr_name="deletedAt")
    # The Cognito user to delete, kept only until it is gone (a deletion that failed half way
    # and was never retried is finished by the second pass).
    cognito_username = UnicodeAttribute(null=True, attr_name="cognitoUsername")

    @classmethod
    def key(cls, sub: str) -> tuple[str, str]:
        return user_pk(sub), PROFILE_SK

    @classmethod
    def new(
        cls, sub: str, *, cognito_username: str, deleted_at: datetime, version: int
    ) -> AccountTombstone:
        """A tombstone for `sub`, pending its second pass; `version` is above the profile's."""
        return cls(
            *cls.key(sub),
            user_id=sub,
            deleted_at=deleted_at,
            cognito_username=cognito_username,
            gsi1_pk=ERASURE_PENDING,
            gsi1_sk=erasure_pending_sk(deleted_at, sub),
            expires_at=deleted_at + TOMBSTONE_LIFETIME,
            version=version,
        )

    @property
    def pending(self) -> bool:
        """Whether the second pass has yet to run."""
        return self.gsi1_pk == ERASURE_PENDING

    def mark_purged(self) -> None:
        """The second pass ran: off the pending index, nothing kept but id and time."""
        self.gsi1_pk = None
        self.gsi1_sk = None
        self.cognito_username = None


def is_account_tombstone(item: TableItem | None) -> bool:
    return isinstance(item, AccountTombstone)


def refuse_if_deleted(item: TableItem | None) -> None:
    """401 when the profile's place holds a tombstone."""
    if is_account_tombstone(item):
        raise AccountDeleted()
