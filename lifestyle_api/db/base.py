"""The single table's base item (PynamoDB): keys, indexes, discriminator, version, timestamps.

Every item class of every feature derives from `TableItem` with a `discriminator=`; a query
on a subclass returns only its kind, a query on `TableItem` returns each item as its own
class. `configure()` points all of them at the table and endpoint from the settings; the
app factory and the admin scripts call it before any request. Every item class and every
transaction shares one PynamoDB connection on the process's one DynamoDB client
(`lifestyle_api.aws`); left to itself, PynamoDB would give each class a connection, botocore
session and client of its own.

An item class that declares `in_change_feed = True` is on the change index (LSI3): `save`,
`update` and `batch_write` give it its change key in the same request (`changes`), as does
the transaction (`db.transact_write`), which also leaves a tombstone for each such item it
deletes.

`LogEntryItem` is what the user's log entries (activities, meals, metrics) share: the key by
id, the local day and a place on the change feed.

PynamoDB finds a class's attributes and indexes with `inspect.getmembers`, which calls
`getattr` on every name the class has, a hundred or more for an item class: a third of the
cold start's PynamoDB time. `class_members` gives the same answer from the classes'
dictionaries and replaces it in PynamoDB's modules before any class of ours is made
(`tests/unit/test_class_members.py` holds the two answers side by side for every class).
"""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable
from typing import Any, ClassVar

from pynamodb.attributes import (
    DiscriminatorAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.connection import Connection
from pynamodb.constants import TOTAL
from pynamodb.indexes import (
    AllProjection,
    GlobalSecondaryIndex,
    IncludeProjection,
    LocalSecondaryIndex,
)
from pynamodb.models import Model

from .. import aws
from . import changes, descriptors, item_codec
from .attributes import DayAttribute
from .keys import entry_sk, user_pk

LSI1 = "LSI1"
LSI2 = "LSI2"
LSI3 = "LSI3"
GSI1 = "GSI1"
TTL_ATTRIBUTE = "expiresAt"
# The client's settings are `aws.SERVICES["dynamodb"]`; the models' Meta says the same.
CONNECT_TIMEOUT_SECONDS = aws.DYNAMODB_CONNECT_TIMEOUT_SECONDS
READ_TIMEOUT_SECONDS = aws.DYNAMODB_READ_TIMEOUT_SECONDS
MAX_RETRY_ATTEMPTS = aws.DYNAMODB_MAX_RETRY_ATTEMPTS


def class_members(cls: type, predicate: Callable[[Any], bool]) -> list[tuple[str, Any]]:
    """`inspect.getmembers(cls, predicate)` for PynamoDB's attribute and index tests: every
    name of the class's MRO (the nearest definition wins) whose value passes `predicate`,
    sorted by name. The test reads the class dictionaries' values, which is what `getattr`
    gives for attributes and indexes (an attribute read on its class is itself), so only
    the names that pass are read through `getattr`."""
    namespace: dict[str, Any] = {}
    for klass in reversed(cls.__mro__):
        namespace.update(vars(klass))
    return sorted(
        (name, getattr(cls, name)) for name, value in namespace.items() if predicate(value)
    )


# The modules of PynamoDB that look members up, each through `from inspect import getmembers`.
# (Reached through their classes: importing them by name here, ahead of the names above,
# would change the order PynamoDB's modules load in, and with it the depth of the Python
# stack at init, which on CPython 3.11 can make it allocate and free a frame-stack chunk
# over and over, some 2,600 page faults.)
for _pynamodb_class in (DiscriminatorAttribute, GlobalSecondaryIndex, Model):
    _module = sys.modules[_pynamodb_class.__module__]
    if _module.getmembers is inspect.getmembers:  # as PynamoDB imports it
        _module.getmembers = class_members

descriptors.install()


def user_local_index(name: str, sort_key: str) -> LocalSecondaryIndex:
    """A local secondary index over one user's partition (`PK`) sorted by the attribute
    `sort_key`, every attribute projected: the table's three LSIs differ only in these."""

    class UserLocalIndex(LocalSecondaryIndex):
        class Meta:
            index_name = name
            projection = AllProjection()

        pk = UnicodeAttribute(hash_key=True, attr_name="PK")
        sort_key_value = UnicodeAttribute(range_key=True, attr_name=sort_key)

    return UserLocalIndex()


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
    lsi3_sk = UnicodeAttribute(null=True, attr_name="LSI3SK")
    gsi1_pk = UnicodeAttribute(null=True, attr_name="GSI1PK")
    gsi1_sk = UnicodeAttribute(null=True, attr_name="GSI1SK")
    version = VersionAttribute()
    created_at = UTCDateTimeAttribute(null=True, attr_name="createdAt")
    updated_at = UTCDateTimeAttribute(null=True, attr_name="updatedAt")
    expires_at = TTLAttribute(null=True, attr_name=TTL_ATTRIBUTE)

    # LSI1: one user's dated items in time order (`ACTIVITY#<startedAt>#<id>`, …).
    by_time = user_local_index(LSI1, "LSI1SK")
    # LSI2: everything of one user's local day (`DAY#<date>#…`), read by summaries.
    by_day = user_local_index(LSI2, "LSI2SK")
    # LSI3: every item a client syncs, in the order of its last change
    # (`CHANGE#<changedAt>#<SK>`), and the tombstones of deleted ones; read by the sync feed.
    by_change = user_local_index(LSI3, "LSI3SK")
    by_status = StatusIndex()

    # Items a client syncs (GET /sync) set this; internal records leave it off.
    in_change_feed: ClassVar[bool] = False

    def save(self, condition=None, *, add_version_condition: bool = True) -> dict[str, Any]:
        """PynamoDB's `save`, giving an item of the change feed its change key."""
        if not self.in_change_feed:
            return super().save(condition, add_version_condition=add_version_condition)
        stamped = changes.StampedWrite()
        changes.stamp(self, stamped.stamp_time())
        stamped.add(self)
        result = super().save(condition, add_version_condition=add_version_condition)
        stamped.finish()
        return result

    def update(self, actions, condition=None, *, add_version_condition: bool = True) -> Any:
        """PynamoDB's `update`, moving an item of the change feed to its new change key."""
        if not self.in_change_feed:
            return super().update(actions, condition, add_version_condition=add_version_condition)
        stamped = changes.StampedWrite()
        actions = [*actions, *changes.stamp_actions(self, stamped.stamp_time())]
        stamped.add(self)
        result = super().update(actions, condition, add_version_condition=add_version_condition)
        stamped.finish()
        return result

    @classmethod
    def _instantiate(cls, attribute_values: dict[str, dict[str, Any]]):
        """The item DynamoDB sent, as its own class, built from the class's plan
        (`item_codec`): what PynamoDB builds, in one pass."""
        return item_codec.instantiate(cls, attribute_values)

    def _container_serialize(self, null_check: bool = True) -> dict[str, dict[str, Any]]:
        """The item's attributes in DynamoDB's shape, from the class's plan (`item_codec`)."""
        return item_codec.serialize(self, null_check)

    @classmethod
    def batch_write(cls, auto_commit: bool = True) -> changes.StampingBatchWrite:
        """PynamoDB's batch writer, stamping the items of the change feed it puts."""
        return changes.StampingBatchWrite(cls, auto_commit=auto_commit)


class LogEntryItem(TableItem):
    """An entry of the user's log: found by id (`<id_prefix><id>`), by time on LSI1 and on
    its local day on LSI2 (each kind's `index_keys`, called on every write), and synced to
    clients."""

    id_prefix: ClassVar[str]
    in_change_feed = True

    # The user's local day of the entry's instant, fixed when written.
    day = DayAttribute()

    @classmethod
    def key(cls, sub: str, entry_id: str) -> tuple[str, str]:
        return user_pk(sub), entry_sk(cls.id_prefix, entry_id)


class SharedClientConnection(Connection):
    """PynamoDB's connection on the process's DynamoDB client (`aws.client`), instead of a
    botocore session and client built for this connection alone; and without asking
    DynamoDB for the capacity each request consumed, which PynamoDB does on every request
    only to log it at DEBUG level (a larger answer to parse, for nothing)."""

    @property
    def client(self):
        return aws.client("dynamodb", self.region, self.host)

    def get_consumed_capacity_map(self, return_consumed_capacity: str) -> dict[str, str]:
        if return_consumed_capacity == TOTAL:
            return {}
        return super().get_consumed_capacity_map(return_consumed_capacity)


def configure(table_name: str, region: str, host: str | None) -> None:
    """Point every item class (and transactions) at one table and endpoint, through one
    connection: the item classes inherit `TableItem`'s (PynamoDB builds one per class only
    for a class that has none)."""
    TableItem.Meta.table_name = table_name
    TableItem.Meta.region = region
    TableItem.Meta.host = host
    for model in _all_models(TableItem):
        if "_connection" in vars(model):
            delattr(model, "_connection")
    table = TableItem._get_connection()  # PynamoDB derives the key schema from the model
    shared = SharedClientConnection(region=region, host=host)
    shared.add_meta_table(table.get_meta_table())
    table.connection = shared


def connection() -> Connection:
    """The low-level connection transactions run on: the one every item class uses."""
    return TableItem._get_connection().connection


def _all_models(model: type[Model]):
    yield model
    for subclass in model.__subclasses__():
        yield from _all_models(subclass)
