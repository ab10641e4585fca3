"""Health metric shapes: what a client sends to record a metric (`MetricCreateSchema`), what
it gets back (`MetricSchema`), a batch and its per-item results, list filters. Types and
units are `units.METRIC_UNITS`; a unit a type does not accept is a 400.

The read schemas mark every field the server always sends `required`, and those that may be
null `allow_none`."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import validate

from ..base_schemas import (
    BaseSchema,
    InstantRangeArgs,
    ResponseSchema,
    StrictSchema,
    page_schema,
)
from ..fields import Instant, Number, Text
from ..units import METRIC_TYPES, METRIC_UNITS, canonical_unit, unit_errors, value_errors

BATCH_MAX = 100
SOURCE_NAME_MAX = 100
EXTERNAL_ID_MAX = 256
BATCH_STATUSES = ("created", "duplicate", "invalid")
UNITS_TEXT = "; ".join(f"{t}: {', '.join(units)}" for t, units in METRIC_UNITS.items())
# Every unit some type accepts. The schema-level check names the units of the metric's
# own type, so the set is documented as an enum rather than validated field by field.
ALL_UNITS = list(dict.fromkeys(unit for units in METRIC_UNITS.values() for unit in units))


class SourceInputSchema(StrictSchema):
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


class SourceSchema(ResponseSchema):
    """Where a value came from; `externalId` is null when the source gave none."""

    name = ma.fields.String()
    external_id = ma.fields.String(data_key="externalId", allow_none=True)


class MetricCreateSchema(StrictSchema):
    """A new health metric, in any unit its type accepts. It is stored in the canonical
    (first) unit and answered in the profile's unit system."""

    metric_type = ma.fields.String(
        data_key="type", required=True, validate=validate.OneOf(METRIC_TYPES)
    )
    value = Number(
        required=True,
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
    source = ma.fields.Nested(SourceInputSchema, allow_none=True)

    @ma.validates_schema(skip_on_field_errors=True)
    def unit_and_range(self, data, **_kwargs):
        errors = unit_errors(data["metric_type"], data["unit"])
        if errors:
            raise ma.ValidationError(errors, field_name="unit")
        errors = value_errors(data["metric_type"], data["value"], data["unit"])
        if errors:
            raise ma.ValidationError(errors, field_name="value")


class MetricSchema(ResponseSchema):
    """A health metric, answered in the profile's unit system (metric: kg, ml; imperial: lb,
    fl_oz; other types in their canonical unit), rounded to 2 decimals."""

    metric_id = ma.fields.String(data_key="metricId")
    metric_type = ma.fields.String(data_key="type", validate=validate.OneOf(METRIC_TYPES))
    value = Number()
    unit = ma.fields.String(
        metadata={"enum": ALL_UNITS, "description": "The unit of `value`."},
    )
    recorded_at = Instant(data_key="recordedAt")
    source = ma.fields.Nested(SourceSchema, allow_none=True)
    created_at = Instant(data_key="createdAt")


class MetricBatchSchema(StrictSchema):
    """1–100 metrics, each shaped like `POST /metrics`' body and validated on its own."""

    items = ma.fields.List(
        ma.fields.Raw(
            metadata={
                "allOf": [{"$ref": "#/components/schemas/MetricCreate"}],
                "description": "Shaped like `POST /metrics`' body, and validated on its own.",
            }
        ),
        required=True,
        validate=validate.Length(min=1, max=BATCH_MAX),
    )


class BatchResultSchema(BaseSchema):
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


class MetricBatchResultSchema(ResponseSchema):
    results = ma.fields.List(ma.fields.Nested(BatchResultSchema))


class MetricListArgs(InstantRangeArgs):
    """Newest `recordedAt` first; `type` is required; `from`/`to` bound `recordedAt`."""

    metric_type = ma.fields.String(
        data_key="type", required=True, validate=validate.OneOf(METRIC_TYPES)
    )


MetricPageSchema = page_schema(MetricSchema, "MetricPage")


class MetricExportSchema(ResponseSchema):
    """A metric in its canonical unit (the export does not follow `unitSystem`)."""

    metric_id = ma.fields.String(data_key="metricId")
    metric_type = ma.fields.String(data_key="type", validate=validate.OneOf(METRIC_TYPES))
    value = ma.fields.Method(
        "canonical_value",
        metadata={"type": "number", "description": "In `unit`, rounded to 2 decimals."},
    )
    unit = ma.fields.Method(
        "canonical_unit",
        metadata={
            "type": "string",
            "enum": ALL_UNITS,
            "description": "The type's canonical unit (the first it accepts).",
        },
    )
    recorded_at = Instant(data_key="recordedAt")
    source = ma.fields.Nested(SourceSchema, allow_none=True)
    created_at = Instant(data_key="createdAt")

    def canonical_value(self, metric) -> float:
        return round(float(metric.value), 2)

    def canonical_unit(self, metric) -> str:
        return canonical_unit(metric.metric_type)
