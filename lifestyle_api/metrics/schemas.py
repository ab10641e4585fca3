"""Health metric shapes: one metric in and out, a batch and its per-item results, list
filters. Types and units are `units.METRIC_UNITS`; a unit a type does not accept is a 400."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from ..fields import Instant, InstantRangeArgs, Number, StrictSchema, Text, page_schema
from ..units import METRIC_TYPES, METRIC_UNITS, canonical_unit, unit_errors, value_errors

BATCH_MAX = 100
SOURCE_NAME_MAX = 100
EXTERNAL_ID_MAX = 256
BATCH_STATUSES = ("created", "duplicate", "invalid")
UNITS_TEXT = "; ".join(f"{t}: {', '.join(units)}" for t, units in METRIC_UNITS.items())
# Every unit some type accepts. The schema-level check names the units of the metric's
# own type, so the set is documented as an enum rather than validated field by field.
ALL_UNITS = list(dict.fromkeys(unit for units in METRIC_UNITS.values() for unit in units))


class SourceSchema(StrictSchema):
    """Where a value came from. With `externalId`, the same `name` + `externalId` is stored
    once: sending it again answers the metric already stored."""

    name = Text(
        required=True,
        validate=validate.Length(min=1, max=SOURCE_NAME_MAX),
        metadata={"example": "apple-health"},
    )
    external_id = Text(
        data_key="externalId",
        allow_none=True,
        validate=validate.Length(min=1, max=EXTERNAL_ID_MAX),
        metadata={"description": "The source's own id of this value; enables deduplication."},
    )


class MetricSchema(StrictSchema):
    """A health metric. Sent in any unit its type accepts; stored in the canonical (first)
    unit; answered in the profile's unit system (metric: kg, ml; imperial: lb, fl_oz; other
    types in their canonical unit), rounded to 2 decimals."""

    metric_id = ma.fields.String(data_key="metricId", dump_only=True)
    metric_type = ma.fields.String(
        data_key="type", required=True, validate=validate.OneOf(METRIC_TYPES)
    )
    value = Number(
        required=True,
        allow_nan=False,
        metadata={
            "description": "At least 0; above 0 for weight, bodyFat and heart rates; bodyFat "
            "at most 100."
        },
    )
    unit = Text(
        required=True,
        metadata={"enum": ALL_UNITS, "description": f"Accepted units per type: {UNITS_TEXT}."},
    )
    recorded_at = Instant(
        data_key="recordedAt",
        required=True,
        metadata={
            "description": "With an offset. For sleep, the wake time: sleep counts on "
            "the day it ends."
        },
    )
    source = ma.fields.Nested(SourceSchema, allow_none=True)
    created_at = Instant(data_key="createdAt", dump_only=True)

    @ma.validates_schema(skip_on_field_errors=True)
    def unit_and_range(self, data, **_kwargs):
        errors = unit_errors(data["metric_type"], data["unit"])
        if errors:
            raise ma.ValidationError(errors, field_name="unit")
        errors = value_errors(data["metric_type"], data["value"], data["unit"])
        if errors:
            raise ma.ValidationError(errors, field_name="value")


class MetricBatchSchema(StrictSchema):
    """1–100 metrics, each shaped like `POST /metrics`' body and validated on its own."""

    items = ma.fields.List(
        ma.fields.Raw(metadata={"allOf": [{"$ref": "#/components/schemas/Metric"}]}),
        required=True,
        validate=validate.Length(min=1, max=BATCH_MAX),
    )


class BatchResultSchema(ma.Schema):
    index = ma.fields.Integer(required=True, metadata={"description": "Position in `items`."})
    status = ma.fields.String(
        required=True,
        validate=validate.OneOf(BATCH_STATUSES),
        metadata={
            "description": "`created`: stored now. `duplicate`: its source id is already "
            "stored, or repeats an earlier valid item of this batch; `metricId` is the stored "
            "one. `invalid`: not stored, see `errors`."
        },
    )
    metric_id = ma.fields.String(data_key="metricId")
    errors = ma.fields.Dict(metadata={"description": "Per-field messages of an invalid item."})


class MetricBatchResultSchema(ma.Schema):
    results = ma.fields.List(ma.fields.Nested(BatchResultSchema), required=True)


class MetricListArgs(InstantRangeArgs):
    """Newest `recordedAt` first; `type` is required; `from`/`to` bound `recordedAt`."""

    metric_type = ma.fields.String(
        data_key="type", required=True, validate=validate.OneOf(METRIC_TYPES)
    )


MetricPageSchema = page_schema(MetricSchema, "MetricPage")


class SourceExportSchema(ma.Schema):
    name = ma.fields.String()
    external_id = ma.fields.String(data_key="externalId", allow_none=True)


class MetricExportSchema(ma.Schema):
    """A metric in its canonical unit (the export does not follow `unitSystem`)."""

    metric_id = ma.fields.String(data_key="metricId")
    metric_type = ma.fields.String(data_key="type")
    value = ma.fields.Method("canonical_value")
    unit = ma.fields.Method("canonical_unit")
    recorded_at = Instant(data_key="recordedAt")
    source = ma.fields.Nested(SourceExportSchema, allow_none=True)
    created_at = Instant(data_key="createdAt")

    def canonical_value(self, metric) -> float:
        return round(float(metric.value), 2)

    def canonical_unit(self, metric) -> str:
        return canonical_unit(metric.metric_type)
