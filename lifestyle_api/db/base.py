"""The single table's base item (PynamoDB): keys, indexes, discriminator, version, timestamps.

Every item class of every feature derives from `TableItem` with a `discriminator=`; a query
on a subclass returns only its kind, a query on `TableItem` returns each item as its own
class. `configure()` points all of them at the table and endpoint from the settings; the
app factory and the admin scripts call it before any request.
"""

from __future__ import annotations

import threading

from pynamodb.attributes import (
    DiscriminatorAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.indexes import (
    AllProjection,
    GlobalSecondaryIndex,
    IncludeProjection,
    LocalSecondaryIndex,
)
from pynamodb.models import Model
from pynamodb.transactions import TransactWrite

LSI1 = "LSI1"
LSI2 = "LSI2"
GSI1 = "GSI1"
TTL_ATTRIBUTE = "expiresAt"
# Short timeouts: a Lambda answering an API call should fail fast and let the client retry.
CONNECT_TIMEOUT_SECONDS = 2
READ_TIMEOUT_SECONDS = 5
MAX_RETRY_ATTEMPTS = 3


class ByTimeIndex(LocalSecondaryIndex):
    """LSI1: one user's dated items in time order (`ACTIVITY#<startedAt>#<id>`, …)."""

    class Meta:
        index_name = LSI1
        projection = AllProjection()

    pk = UnicodeAttribute(hash_key=True, attr_name="PK")
    lsi1_sk = UnicodeAttribute(range_key=True, attr_name="LSI1SK")


class ByDayIndex(LocalSecondaryIndex):
    """LSI2: everything of one user's local day (`DAY#<date>#…`), read by summaries."""

    class Meta:
        index_name = LSI2
        projection = AllProjection()

    pk = UnicodeAttribute(hash_key=True, attr_name="PK")
    lsi2_sk = UnicodeAttribute(range_key=True, attr_name="LSI2SK")


class StatusIndex(GlobalSecondaryIndex):
    """GSI1: goals by status across users, sharded (`STATUS#ACTIVE#07`), for admin reports
    and the reminders pass (which needs each goal's `type` and `reminder`); and
    notifications whose push is still pending (`PUSH#PENDING#07`). No request path reads it."""

    class Meta:
        index_name = GSI1
        projection = IncludeProjection(["kind", "category", "status", "type", "reminder"])

    gsi1_pk = UnicodeAttribute(hash_key=True, attr_name="GSI1PK")
    gsi1_sk = UnicodeAttribute(range_key=True, attr_name="GSI1SK")


class TableItem(Model):
    class Meta:
        table_name = "lifestyle"
        region = "us-east-1"
        host = None
        connect_timeout_seconds = CONNECT_TIMEOUT_SECONDS
        read_timeout_seconds = READ_TIMEOUT_SECONDS
        max_retry_attempts = MAX_RETRY_ATTEMPTS

    pk = UnicodeAttribute(hash_key=True, attr_name="PK")
    sk = UnicodeAttribute(range_key=True, attr_name="SK")
    kind = DiscriminatorAttribute(attr_name="kind")
    lsi1_sk = UnicodeAttribute(null=True, attr_name="LSI1SK")
    lsi2_sk = UnicodeAttribute(null=True, attr_name="LSI2SK")
    gsi1_pk = UnicodeAttribute(null=True, attr_name="GSI1PK")
    gsi1_sk = UnicodeAttribute(null=True, attr_name="GSI1SK")
    version = VersionAttribute()
    created_at = UTCDateTimeAttribute(null=True, attr_name="createdAt")
    updated_at = UTCDateTimeAttribute(null=True, attr_name="updatedAt")
    expires_at = TTLAttribute(null=True, attr_name=TTL_ATTRIBUTE)

    by_time = ByTimeIndex()
    by_day = ByDayIndex()
    by_status = StatusIndex()


_connection: Connection | None = None
_opening = threading.Lock()


def configure(table_name: str, region: str, host: str | None) -> None:
    """Point every item class (and transactions) at one table and endpoint."""
    global _connection
    TableItem.Meta.table_name = table_name
    TableItem.Meta.region = region
    TableItem.Meta.host = host
    for model in _all_models(TableItem):
        model._connection = None
    _connection = None


def connection() -> Connection:
    """The low-level connection transactions run on, with the models' endpoint and timeouts."""
    global _connection
    if _connection is None:
        meta = TableItem.Meta
        _connection = Connection(
            region=meta.region,
            host=meta.host,
            connect_timeout_seconds=meta.connect_timeout_seconds,
            read_timeout_seconds=meta.read_timeout_seconds,
            max_retry_attempts=meta.max_retry_attempts,
        )
    return _connection


def open_connections() -> None:
    """Make every item class's DynamoDB client now, in this thread, before threads share
    them: botocore does not make clients safely from several threads at once."""
    with _opening:
        for model in _all_models(TableItem):
            _ = model._get_connection().connection.client
        _ = connection().client


def transact_write() -> TransactWrite:
    """`with transact_write() as tx:` — all writes inside commit together or not at all."""
    return TransactWrite(connection=connection())


def _all_models(model: type[Model]):
    yield model
    for subclass in model.__subclasses__():
        yield from _all_models(subclass)
