"""The METRIC item and its source marker.

A metric is found by id (`METRIC#<id>`), by type and time (LSI1
`METRIC#<type>#<recordedAt>#<id>`) and on its local day (LSI2). A metric with a source
also has a marker item `SOURCE#<name>#<externalId>` (parts encoded) holding its id, written
in the same transaction, so a retried sync never stores a value twice.
"""

from __future__ import annotations

from pynamodb.attributes import (
    NumberAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
)

from ..db import TableItem
from ..db.attributes import ItemMap
from ..db.base import LogEntryItem
from ..db.keys import (
    METRIC_PREFIX,
    day_key,
    entry_time_key,
    metric_type_prefix,
    source_marker_sk,
    user_pk,
)

DAY_KIND = "METRIC"


class Source(ItemMap):
    name = UnicodeAttribute()
    external_id = UnicodeAttribute(null=True, attr_name="externalId")


class MetricItem(LogEntryItem, discriminator="metric"):
    id_prefix = METRIC_PREFIX

    metric_id = UnicodeAttribute(attr_name="metricId")
    metric_type = UnicodeAttribute(attr_name="type")
    # Always in the type's canonical unit (kg, percent, count, min, bpm, ml).
    value = NumberAttribute()
    recorded_at = UTCDateTimeAttribute(attr_name="recordedAt")
    source = Source(null=True)

    def index_keys(self) -> None:
        self.lsi1_sk = entry_time_key(
            metric_type_prefix(self.metric_type), self.recorded_at, self.metric_id
        )
        self.lsi2_sk = day_key(self.day, DAY_KIND, self.metric_type, self.metric_id)


class SourceMarkerItem(TableItem, discriminator="metric-source"):
    metric_id = UnicodeAttribute(attr_name="metricId")

    @classmethod
    def key(cls, sub: str, source_name: str, external_id: str) -> tuple[str, str]:
        return user_pk(sub), source_marker_sk(source_name, external_id)
