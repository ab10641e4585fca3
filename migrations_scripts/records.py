"""The MIGRATION item (PK `MIGRATION`, SK `<version>`): one per migration that is being or
has been applied.

A runner claims a migration with a conditional put of an `applying` record before running
it and marks it `applied` afterwards; a run that fails deletes its claim. The claim carries
its owner and a heartbeat, so a claim whose runner died can be taken over once it is stale,
while a live one can never be taken twice.
"""

from __future__ import annotations

from pynamodb.attributes import UnicodeAttribute, UTCDateTimeAttribute

from lifestyle_api.db import TableItem
from lifestyle_api.db.keys import MIGRATION_PK

APPLYING = "applying"
APPLIED = "applied"


class MigrationItem(TableItem, discriminator="migration"):
    name = UnicodeAttribute()
    description = UnicodeAttribute(null=True)
    state = UnicodeAttribute()
    owner = UnicodeAttribute()
    claimed_at = UTCDateTimeAttribute(attr_name="claimedAt")
    heartbeat_at = UTCDateTimeAttribute(attr_name="heartbeatAt")
    applied_at = UTCDateTimeAttribute(null=True, attr_name="appliedAt")
    summary = UnicodeAttribute(null=True)

    @classmethod
    def key(cls, version: str) -> tuple[str, str]:
        return MIGRATION_PK, version

    @property
    def migration_version(self) -> str:
        return self.sk

    @classmethod
    def all_records(cls) -> dict[str, MigrationItem]:
        """Every record, by version (one Query on the `MIGRATION` partition)."""
        return {record.sk: record for record in cls.query(MIGRATION_PK, consistent_read=True)}
