"""Health metric routes: HTTP only; the rules live in `service.py`.

The batch body is validated item by item with the single-metric schema, so one bad item
is reported in its result and never spoils the others.
"""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask.views import MethodView

from ..http.api import Blueprint
from ..http.conditional import created_or_existing, if_match_version, with_etag
from ..http.paging import paged_list
from ..http.routes import idempotent
from ..identity import current_caller
from . import service
from .schemas import (
    MetricBatchResultSchema,
    MetricBatchSchema,
    MetricCreateSchema,
    MetricListArgs,
    MetricPageSchema,
    MetricSchema,
)

blp = Blueprint(
    "metrics",
    __name__,
    url_prefix="/metrics",
    description="Health metrics: weight, body fat, steps, sleep, heart rate, water.",
)

ITEM_SCHEMA = MetricCreateSchema()


@blp.route("")
class Metrics(MethodView):
    @blp.lists("listMetrics", MetricListArgs, MetricPageSchema)
    def get(self, **args):
        """List metrics

        One type of metric, newest `recordedAt` first, in the caller's unit system.

        `type` is required; `from` and `to` are inclusive instants with an offset bounding
        `recordedAt`.
        """
        return paged_list(service.list_metrics, args)

    @idempotent
    @blp.creates(
        "createMetric",
        MetricCreateSchema,
        MetricSchema,
        existing="A metric with this `source` name and `externalId` is already stored: "
        "that one, unchanged.",
    )
    def post(self, data):
        """Record a metric

        201 with the new metric; 200 with the stored one when a metric with the same
        `source.name` and `source.externalId` exists (nothing is stored again).
        """
        metric, is_new = service.record_metric(current_caller().sub, data)
        return created_or_existing(metric, is_new, "metrics.Metric")


@blp.route("/batch")
class MetricBatch(MethodView):
    @idempotent
    @blp.operation("createMetricBatch", 200, MetricBatchResultSchema, body=MetricBatchSchema)
    def post(self, data):
        """Record a batch of metrics

        1–100 metrics at once (a device sync). Each item is validated on its own, like
        `POST /metrics`' body: valid new items are stored even when others are invalid. An
        item whose source id is already stored, or repeats an earlier valid item's in this
        batch, is a `duplicate` with the stored `metricId`. One result per item, in order.
        """
        results: list[dict[str, Any] | None] = [None] * len(data["items"])
        valid: list[tuple[int, dict[str, Any]]] = []
        for index, raw in enumerate(data["items"]):
            try:
                valid.append((index, ITEM_SCHEMA.load(raw)))
            except ma.ValidationError as error:
                results[index] = {"index": index, "status": "invalid", "errors": _per_field(error)}
        outcomes = service.record_batch(current_caller().sub, [entry for _i, entry in valid])
        for (index, _entry), outcome in zip(valid, outcomes, strict=True):
            results[index] = {
                "index": index,
                "status": outcome.status,
                "metric_id": outcome.metric_id,
            }
        return {"results": results}


@blp.route("/<ulid:metric_id>")
class Metric(MethodView):
    @blp.reads("getMetric", MetricSchema)
    def get(self, metric_id):
        """Get a metric

        One metric, in the caller's unit system, with its version as `ETag`."""
        return with_etag(service.get_metric(current_caller().sub, metric_id))

    @blp.deletes("deleteMetric")
    def delete(self, metric_id):
        """Delete a metric

        Its source id may then be recorded again. `If-Match: "<version>"` makes the delete
        conditional (412 when it is stale).
        """
        service.delete_metric(current_caller().sub, metric_id, if_match=if_match_version())


def _per_field(error: ma.ValidationError) -> dict[str, Any]:
    messages = error.messages
    return messages if isinstance(messages, dict) else {"_schema": messages}
