"""Coach shapes: the requests, the answers, and the content a provider must produce.

The content schemas (`InsightsContentSchema`, `SuggestionsContentSchema`) are the one
definition of a valid answer: the rules' output, the model's tool input and a cached body
are all loaded through them, and the model's tool schema is generated from them.
"""

from __future__ import annotations

import math
from functools import cache

import marshmallow as ma
from marshmallow import validate

from ..base_schemas import OptionalBodySchema, ResponseSchema, StrictSchema
from ..fields import Instant
from ..goals.schemas import GoalCreateSchema
from ..goals.shape import CATEGORIES, GOAL_TYPES
from .context import INSIGHT_KINDS, INSIGHTS, PERIODS, SOURCES

TITLE_MAX = 80
MESSAGE_MAX = 600
EVIDENCE_KEY_MAX = 40
EVIDENCE_TEXT_MAX = 120
EVIDENCE_ITEMS_MAX = 12
INSIGHTS_MAX = 10
SUGGESTIONS_MAX = 5


class EvidenceValue(ma.fields.Field):
    """A number, or a short string such as a day or a status."""

    default_error_messages = {
        "invalid": f"Evidence values are numbers or strings of at most {EVIDENCE_TEXT_MAX} "
        "characters."
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "metadata",
            {"oneOf": [{"type": "number"}, {"type": "string", "maxLength": EVIDENCE_TEXT_MAX}]},
        )
        super().__init__(**kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int | float) and math.isfinite(value):
            return value
        if isinstance(value, str) and len(value) <= EVIDENCE_TEXT_MAX:
            return value
        raise self.make_error("invalid")

    def _serialize(self, value, attr, obj, **kwargs):
        return value


def _evidence_size(evidence: dict) -> None:
    # A plain function, not `validate.Length`: the generated JSON schema must say
    # minProperties/maxProperties for an object, and apispec would say minLength/maxLength.
    if not 1 <= len(evidence) <= EVIDENCE_ITEMS_MAX:
        raise ma.ValidationError(f"Give between 1 and {EVIDENCE_ITEMS_MAX} evidence items.")


class InsightSchema(StrictSchema):
    kind = ma.fields.String(required=True, validate=validate.OneOf(INSIGHT_KINDS))
    title = ma.fields.String(required=True, validate=validate.Length(min=1, max=TITLE_MAX))
    message = ma.fields.String(required=True, validate=validate.Length(min=1, max=MESSAGE_MAX))
    evidence = ma.fields.Dict(
        keys=ma.fields.String(validate=validate.Length(min=1, max=EVIDENCE_KEY_MAX)),
        values=EvidenceValue(),
        required=True,
        validate=_evidence_size,
        metadata={
            "description": "The numbers (or short strings) the insight rests on.",
            "minProperties": 1,
            "maxProperties": EVIDENCE_ITEMS_MAX,
        },
    )


class InsightsContentSchema(StrictSchema):
    insights = ma.fields.List(
        ma.fields.Nested(InsightSchema),
        required=True,
        validate=validate.Length(min=1, max=INSIGHTS_MAX),
    )


class SuggestedGoalSchema(GoalCreateSchema):
    """A `POST /goals` body: a new active, open-ended goal starting the day it is created.
    `category` and `type` are required here, so what is shown is exactly what gets posted."""

    class Meta(StrictSchema.Meta):
        exclude = ("status", "start_date", "end_date")

    category = ma.fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    goal_type = ma.fields.String(
        data_key="type", required=True, validate=validate.OneOf(GOAL_TYPES)
    )


class SuggestionSchema(StrictSchema):
    goal = ma.fields.Nested(SuggestedGoalSchema, required=True)
    rationale = ma.fields.String(required=True, validate=validate.Length(min=1, max=MESSAGE_MAX))


class SuggestionsContentSchema(StrictSchema):
    suggestions = ma.fields.List(
        ma.fields.Nested(SuggestionSchema),
        required=True,
        validate=validate.Length(min=1, max=SUGGESTIONS_MAX),
    )


@cache
def content_schema(kind: str) -> ma.Schema:
    """The schema a provider's answer of this kind must load through (built once)."""
    return InsightsContentSchema() if kind == INSIGHTS else SuggestionsContentSchema()


class AnswerFields(ResponseSchema):
    source = ma.fields.String(
        validate=validate.OneOf(SOURCES),
        metadata={"description": "`bedrock` when the model answered, else `rules`."},
    )
    model = ma.fields.String(metadata={"description": "Model or rules version."})
    generated_at = Instant(data_key="generatedAt")
    disclaimer = ma.fields.String()


class InsightsResponseSchema(InsightsContentSchema, AnswerFields):
    pass


class GoalSuggestionsResponseSchema(SuggestionsContentSchema, AnswerFields):
    pass


@cache
def response_schema(kind: str) -> ma.Schema:
    return InsightsResponseSchema() if kind == INSIGHTS else GoalSuggestionsResponseSchema()


class InsightsRequestSchema(OptionalBodySchema):
    period = ma.fields.String(
        load_default="week",
        validate=validate.OneOf(PERIODS),
        metadata={"description": "`day` (today so far) or `week` (this week so far)."},
    )


class GoalSuggestionsRequestSchema(OptionalBodySchema):
    """No fields: suggestions always look at this week so far."""


class CoachQueryArgs(StrictSchema):
    refresh = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Bypass the cached answer; a few times an hour (else 429)."},
    )
