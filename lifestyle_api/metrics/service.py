"""Health metric rules: record one or a batch, read, list and delete. No Flask here.

Values are stored in the type's canonical unit and answered in the profile's unit system.
A metric with a source (`name` + `externalId`) is written in one transaction with a marker
item holding its id, on condition that the marker does not exist yet, so a retried sync
never stores a value twice; a duplicate answers the metric already stored. Deleting the
metric deletes its marker in the same transaction, which frees the source id, and leaves the
metric's tombstone for the sync feed.

Requests: recording reads the profile (timezone, units) and the source markers in one
BatchGetItem (a GetItem without a source), then writes one PutItem or TransactWriteItems
(a batch: one per 100 actions). A read is one BatchGetItem (metric and profile), a list one
Query (plus the profile's GetItem for weight and water only), a delete one GetItem and one
TransactWriteItems.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from pynamodb.exceptions import TransactWriteError
from ulid import ULID

from ..base_schemas import shared_instance
from ..db import transact_write
from ..db.errors import ITEM_CONDITION_FAILED, cancellation_codes
from ..db.keys import metric_type_prefix, time_range, user_pk
from ..db.query import page_by_time
from ..db.reads import Presentation, WithProfile, get_owned, read_with_profile
from ..db.retry import retry_attempts
from ..exceptions import Conflict, NotFound, PreconditionFailed
from ..records import Record
from ..timeutil import local_day, utc_now
from ..units import DEFAULT_UNIT_SYSTEM, depends_on_unit_system, for_display, to_canonical
from .models import MetricItem, Source, SourceMarkerItem
from .schemas import MetricExportSchema, MetricSchema

METRIC_NOT_FOUND = "No metric with this id."
# DynamoDB's limit of actions in one TransactWriteItems request.
TRANSACTION_MAX_ACTIONS = 100
# A transaction's cancellation reason for a failed condition (not the single-item
# "ConditionalCheckFailedException").

SourceKey = tuple[str, str]


class MetricView:
    """A metric as the caller sees it: value and unit in their unit system.

    A plain class rather than a record (a tuple): a schema indexes a tuple by field name and
    reads the attribute only after that fails, a cost paid for every metric of a list.
    """

    __slots__ = (
        "created_at",
        "metric_id",
        "metric_type",
        "recorded_at",
        "source",
        "unit",
        "value",
        "version",
    )

    def __init__(
        self,
        *,
        metric_id: str,
        metric_type: str,
        value: float,
        unit: str,
        recorded_at: datetime,
        source: dict[str, Any] | None,
        created_at: datetime | None,
        version: int,
    ) -> None:
        self.metric_id = metric_id
        self.metric_type = metric_type
        self.value = value
        self.unit = unit
        self.recorded_at = recorded_at
        self.source = source
        self.created_at = created_at
        self.version = version


class Outcome(Record):
    """What became of one metric sent: `created` (with the new item) or `duplicate` (with
    the id of the one already stored)."""

    status: str
    metric_id: str
    metric: MetricItem | None = None


class Pending(Record):
    """A new metric of entry `index`, to be written with the marker of `source_key`."""

    index: int
    metric: MetricItem
    source_key: SourceKey | None

    @property
    def actions(self) -> int:
        return 1 if self.source_key is None else 2


def present(metric: MetricItem, unit_system: str) -> MetricView:
    value, unit = for_display(metric.metric_type, metric.value, unit_system)
    source = None
    if metric.source is not None:
        source = {"name": metric.source.name, "external_id": metric.source.external_id}
    return MetricView(
        metric_id=metric.metric_id,
        metric_type=metric.metric_type,
        value=value,
        unit=unit,
        recorded_at=metric.recorded_at,
        source=source,
        created_at=metric.created_at,
        version=metric.version,
    )


def record_metric(
    sub: str, data: dict[str, Any], *, now: datetime | None = None
) -> tuple[MetricView, bool]:
    """Store one metric; `(metric, True)` when stored now, `(existing, False)` when its source
    id was already stored."""
    (outcome,), read = _store(sub, [data], now=now)
    unit_system = _unit_system(read)
    if outcome.metric is not None:
        return present(outcome.metric, unit_system), True
    try:
        existing = MetricItem.get(*MetricItem.key(sub, outcome.metric_id))
    except MetricItem.DoesNotExist as exc:  # deleted between the two reads
        raise Conflict() from exc
    return present(existing, unit_system), False


def record_batch(
    sub: str, entries: Sequence[dict[str, Any]], *, now: datetime | None = None
) -> list[Outcome]:
    """Store valid metrics; one outcome per entry, in order. An entry repeating the source id
    of an earlier entry is a duplicate of that one."""
    outcomes, _read = _store(sub, entries, now=now)
    return outcomes


def get_metric(sub: str, metric_id: str) -> MetricView:
    """The caller's metric in their unit system: metric and profile in one BatchGetItem."""
    read = read_with_profile(sub, MetricItem.key(sub, metric_id))
    if read.item is None:
        raise NotFound(METRIC_NOT_FOUND)
    return present(read.item, _unit_system(read))


def list_metrics(
    sub: str,
    metric_type: str,
    *,
    limit: int,
    start_key: dict[str, Any] | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> tuple[list[MetricView], dict[str, Any] | None]:
    """One page of one type of metric, newest `recordedAt` first (one Query on LSI1; the
    profile is read only for types whose unit depends on it)."""
    low, high = time_range(metric_type_prefix(metric_type), start, end)
    metrics, last_key = page_by_time(
        MetricItem, sub, MetricItem.lsi1_sk.between(low, high), limit=limit, start_key=start_key
    )
    unit_system = DEFAULT_UNIT_SYSTEM
    if metrics and depends_on_unit_system(metric_type):
        unit_system = _unit_system(read_with_profile(sub, None))
    return [present(metric, unit_system) for metric in metrics], last_key


def delete_metric(sub: str, metric_id: str, *, if_match: int | None = None) -> None:
    """Delete the metric, its tombstone and (if it has a source) the deletion of its source
    marker in one transaction."""
    metric = get_owned(MetricItem, MetricItem.key(sub, metric_id), METRIC_NOT_FOUND)
    if if_match is not None and metric.version != if_match:
        raise PreconditionFailed()
    key = _source_key_of(metric.source)
    try:
        with transact_write() as tx:
            tx.delete(metric, condition=MetricItem.pk.exists())
            if key is not None:
                marker = SourceMarkerItem(*SourceMarkerItem.key(sub, *key))
                tx.delete(marker, add_version_condition=False)
    except TransactWriteError as exc:
        # A failed condition means another request deleted (or changed) the metric meanwhile.
        if ITEM_CONDITION_FAILED not in cancellation_codes(exc):
            raise
        raise NotFound(METRIC_NOT_FOUND) from exc


def _store(
    sub: str, entries: Sequence[dict[str, Any]], *, now: datetime | None
) -> tuple[list[Outcome], WithProfile]:
    now = now or utc_now()
    keys = [_source_key_of(entry.get("source")) for entry in entries]
    read, stored = _read_profile_and_markers(sub, dict.fromkeys(k for k in keys if k))
    timezone = read.timezone

    outcomes: list[Outcome | None] = [None] * len(entries)
    first_index: dict[SourceKey, int] = {}
    pending: list[Pending] = []
    for index, (entry, key) in enumerate(zip(entries, keys, strict=True)):
        if key in first_index:
            continue  # answered below, once the first one's id is known
        if key is not None:
            first_index[key] = index
            if key in stored:
                outcomes[index] = Outcome("duplicate", stored[key])
                continue
        metric = _new_metric(sub, entry, timezone, now)
        outcomes[index] = Outcome("created", metric.metric_id, metric)
        pending.append(Pending(index, metric, key))

    for index, metric_id in _write(sub, pending).items():
        outcomes[index] = Outcome("duplicate", metric_id)
    for index, key in enumerate(keys):
        if outcomes[index] is None:
            outcomes[index] = Outcome("duplicate", outcomes[first_index[key]].metric_id)
    return outcomes, read


def _read_profile_and_markers(
    sub: str, keys: Iterable[SourceKey]
) -> tuple[WithProfile, dict[SourceKey, str]]:
    """The profile and the metric ids of the source keys already stored: one GetItem
    without keys, else one BatchGetItem (per 100 keys)."""
    by_sort_key = {SourceMarkerItem.key(sub, *key)[1]: key for key in keys}
    read = read_with_profile(sub, None, also=[(user_pk(sub), sk) for sk in by_sort_key])
    stored = {by_sort_key[sk]: marker.metric_id for (_pk, sk), marker in read.others.items()}
    return read, stored


def _write(sub: str, pending: list[Pending]) -> dict[int, str]:
    """Write the new metrics (and markers) in as few requests as DynamoDB allows. Returns
    the entries whose source id another request stored meanwhile, with that metric's id."""
    raced: dict[int, str] = {}
    for chunk in _chunks(pending):
        raced.update(_write_chunk(sub, chunk))
    return raced


def _chunks(pending: list[Pending]) -> Iterator[list[Pending]]:
    """Consecutive runs of at most `TRANSACTION_MAX_ACTIONS` actions."""
    chunk, actions = [], 0
    for entry in pending:
        if actions + entry.actions > TRANSACTION_MAX_ACTIONS:
            yield chunk
            chunk, actions = [], 0
        chunk.append(entry)
        actions += entry.actions
    if chunk:
        yield chunk


def _write_chunk(sub: str, chunk: list[Pending]) -> dict[int, str]:
    raced: dict[int, str] = {}
    for _attempt in retry_attempts():
        if not chunk:
            return raced
        if len(chunk) == 1 and chunk[0].source_key is None:
            chunk[0].metric.save()
            return raced
        try:
            with transact_write() as tx:
                for _index, metric, key in chunk:
                    tx.save(metric)
                    if key is not None:
                        marker = SourceMarkerItem(
                            *SourceMarkerItem.key(sub, *key), metric_id=metric.metric_id
                        )
                        tx.save(marker, condition=SourceMarkerItem.sk.does_not_exist())
            return raced
        except TransactWriteError as exc:
            taken = _markers_taken(exc, chunk)
            if not taken:
                raise
        # Another request stored some of these source ids first: those are duplicates.
        _read, stored = _read_profile_and_markers(sub, taken)
        for entry in chunk:
            if entry.source_key in stored:
                raced[entry.index] = stored[entry.source_key]
        chunk = [entry for entry in chunk if entry.index not in raced]
    raise Conflict()


def _markers_taken(exc: TransactWriteError, chunk: list[Pending]) -> list[SourceKey]:
    """The source keys whose marker condition failed, read from the cancellation reasons
    (one per action, in the order written)."""
    codes = cancellation_codes(exc)
    taken, position = [], 0
    for entry in chunk:
        position += 1  # past the metric's put
        if entry.source_key is not None:
            if position < len(codes) and codes[position] == ITEM_CONDITION_FAILED:
                taken.append(entry.source_key)
            position += 1  # past the marker's put
    return taken


def _new_metric(sub: str, data: dict[str, Any], timezone: str, now: datetime) -> MetricItem:
    metric_type = data["metric_type"]
    recorded_at = data["recorded_at"]
    source = data.get("source")
    metric = MetricItem(
        *MetricItem.key(sub, metric_id := str(ULID())),
        metric_id=metric_id,
        metric_type=metric_type,
        value=to_canonical(metric_type, data["value"], data["unit"]),
        recorded_at=recorded_at,
        source=Source(name=source["name"], external_id=source.get("external_id"))
        if source
        else None,
        day=local_day(recorded_at, timezone),
        created_at=now,
        updated_at=now,
    )
    metric.index_keys()
    return metric


def _source_key_of(source: Any) -> SourceKey | None:
    """`(name, externalId)` of a source that has both, from a dict or a stored `Source`."""
    if source is None:
        return None
    if isinstance(source, dict):
        name, external_id = source.get("name"), source.get("external_id")
    else:
        name, external_id = source.name, source.external_id
    return (name, external_id) if name and external_id else None


def _unit_system(read: WithProfile) -> str:
    return read.profile.unit_system if read.profile else DEFAULT_UNIT_SYSTEM


def export_metric(raw: dict[str, Any], _presentation: Presentation) -> dict[str, Any]:
    """A metric from a raw item, in its canonical unit (the export ignores `unitSystem`)."""
    return _METRIC_EXPORT_SCHEMA.dump(MetricItem.from_raw_data(raw))


def read_metric(raw: dict[str, Any], presentation: Presentation) -> dict[str, Any]:
    """A metric from a raw item, as `GET /metrics/{metricId}` answers it (in the profile's
    unit system)."""
    metric = present(MetricItem.from_raw_data(raw), presentation.unit_system)
    return _METRIC_SCHEMA.dump(metric)


_METRIC_EXPORT_SCHEMA = shared_instance(MetricExportSchema)
_METRIC_SCHEMA = shared_instance(MetricSchema)
