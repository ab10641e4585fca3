"""The schemas every feature's schemas derive from, and the two built from a feature's own.

- `BaseSchema`: the root of every schema of the app; its metaclass finds a class's hooks
  in a fraction of marshmallow's time (a cold start builds some 100 schema classes).
- `StrictSchema`: what a client sends; unknown fields are an error, never silently stored.
- `OptionalBodySchema`: a request body the contract lets the client leave out.
- `ResponseSchema`: what the server sends; every field is always there (`required`).
- `ListArgs` / `page_schema`: API.md's list convention (`limit`, `cursor`, `nextCursor`);
  `InstantRangeArgs` adds inclusive `from` / `to` instants.
- `patch_schema`: a PATCH body from a create schema: the same fields, none required.
- `shared_instance`: the one instance of a schema class that every route answering with it
  and every service dumping it use.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from functools import cache

import marshmallow as ma
from marshmallow import validate
from marshmallow.schema import SchemaMeta

from .fields import Instant, Text

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_CURSOR_LENGTH = 2048


@cache
def shared_instance(schema_class: type[ma.Schema]) -> ma.Schema:
    """The one instance of `schema_class` the routes and services that dump it share: a
    schema keeps nothing between dumps, and each instance copies and binds every field of
    its class (70 µs or more of a cold start each)."""
    return schema_class()


class HooksFromMroSchemaMeta(SchemaMeta):
    """marshmallow's schema metaclass, finding a class's hooks (`@pre_load`, `@validates_schema`,
    …) from the names each class of its MRO declares hooks under.

    Replaces `marshmallow.schema.SchemaMeta.resolve_hooks` (marshmallow 4.1.2, the version
    `lifestyle_api.http.framework.MIRRORED_VERSIONS` pins), which looks every name of
    `dir(cls)` up in each class of the MRO in turn, raising and catching a KeyError at each
    miss: some 80 µs a class, 8 ms of a cold start. Here each class's own hook names are read
    once (`_hook_names`; marshmallow's `Schema` and `object` declare none), and only those
    names are looked up. The result is the same: for each name, the hooks of the attribute
    the first class of the MRO declaring it holds (none when a later class shadows a hook
    with something else), in `dir()`'s (sorted) order.
    """

    def resolve_hooks(cls) -> dict[str, list[tuple[str, bool, dict]]]:  # noqa: N805 (a class)
        mro = cls.__mro__
        hooks: dict[str, list[tuple[str, bool, dict]]] = defaultdict(list)
        for name in sorted(frozenset().union(*map(_hook_names, mro))):
            attribute = next(vars(parent)[name] for parent in mro if name in vars(parent))
            for tag, config in getattr(attribute, "__marshmallow_hook__", {}).items():
                hooks[tag].extend((name, many, kwargs) for many, kwargs in config)
        return hooks


@cache
def _hook_names(klass: type) -> frozenset[str]:
    """The names `klass` itself declares a marshmallow hook under."""
    return frozenset(
        name
        for name, attribute in vars(klass).items()
        if hasattr(attribute, "__marshmallow_hook__")
    )


class BaseSchema(ma.Schema, metaclass=HooksFromMroSchemaMeta):
    """The root of every schema of the app."""


class StrictSchema(BaseSchema):
    class Meta:
        unknown = ma.RAISE


class ResponseSchema(BaseSchema):
    """What the server sends: every field is in every answer, so each is `required` in the
    OpenAPI document (generated clients make none of them optional); `allow_none` marks the
    ones that may be null."""

    def on_bind_field(self, field_name: str, field_obj: ma.fields.Field) -> None:
        field_obj.required = True


class OptionalBodySchema(StrictSchema):
    """A request body the contract lets the client leave out: no body, or an empty one sent
    as `Content-Type: application/json` (as generated clients do), reads as `{}`. Routes
    taking it declare the body `required=False`."""


class ListArgs(StrictSchema):
    """`?limit=&cursor=` on every list."""

    limit = ma.fields.Integer(
        load_default=DEFAULT_PAGE_SIZE,
        validate=validate.Range(min=1, max=MAX_PAGE_SIZE),
        metadata={"description": "Page size, 1–100."},
    )
    cursor = Text(
        validate=validate.Length(min=1, max=MAX_CURSOR_LENGTH),
        metadata={"description": "`nextCursor` of the previous page; opaque."},
    )


class InstantRangeArgs(ListArgs):
    """`from` / `to`: inclusive instants with an offset; either may be left out."""

    start = Instant(
        data_key="from",
        metadata={"description": "Inclusive lower bound (RFC 3339 with an offset)."},
    )
    end = Instant(
        data_key="to",
        metadata={"description": "Inclusive upper bound (RFC 3339 with an offset)."},
    )

    @ma.validates_schema
    def range_is_ordered(self, data, **_kwargs):
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise ma.ValidationError("`to` must not be before `from`.", field_name="to")


def patch_schema(schema: type[ma.Schema], name: str, doc: str) -> type[ma.Schema]:
    """The body of a partial update: `schema`'s writable fields, none required and none
    defaulted, so a PATCH changes exactly what the client sends, under the same rules."""
    fields = {}
    for field_name, field in schema._declared_fields.items():
        if field.dump_only:
            continue
        optional = copy.deepcopy(field)
        optional.required = False
        optional.load_default = ma.missing
        fields[field_name] = optional
    patch = StrictSchema.from_dict(fields, name=name)
    patch.__doc__ = doc
    return patch


def page_schema(item_schema: type[ma.Schema], name: str) -> type[ma.Schema]:
    """`{"items": [...], "nextCursor": "<opaque>" | null}` for one kind of item."""
    return ResponseSchema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "nextCursor": ma.fields.String(
                allow_none=True,
                metadata={"description": "Pass as `cursor` for the next page; null at the end."},
            ),
        },
        name=name,
    )
