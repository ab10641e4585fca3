"""Every override of a framework's private method, in one place.

Each class below replaces a private method of Flask's, werkzeug's, webargs' or
flask-smorest's and names the upstream function it mirrors; `copy_schemas_by_reference`
changes how marshmallow schemas are copied. `MIRRORED_VERSIONS` records the
versions whose source these overrides were checked against; a test compares it with the
installed versions, so upgrading one of these libraries is a deliberate act: re-read the
named functions in the new version, adapt the override, then update the version here.
"""

from __future__ import annotations

import json
import threading
from decimal import Decimal
from typing import Any

import flask_smorest
import marshmallow as ma
from flask_smorest.spec import openapi_cli
from marshmallow import missing
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.routing import Rule

MIRRORED_VERSIONS = {
    "flask-smorest": "0.47.0",
    "marshmallow": "4.1.2",
    "webargs": "8.7.1",
    "werkzeug": "3.1.9",
}
# What DynamoDB can store: 38 significant digits, magnitudes under 1E+126, and nothing
# nearer 0 than 1e-130 (a write holding one fails; that small, every quantity the API keeps
# is 0). Numbers are kept as floats, so the float must be under 1E+126 too. The contract
# caps integers at 30 digits, well inside both.
SMALLEST_STORED_NUMBER = 1e-130
TOO_LARGE_TO_STORE = 1e126
MAX_SIGNIFICANT_DIGITS = 38
MAX_INTEGER_DIGITS = 30


class UnstorableNumber(ValueError):
    """A JSON number the API cannot take; the message says why, for the client."""


def storable_integer(text: str) -> int:
    """A JSON integer of at most 30 digits (checked before `int()`, which raises past
    Python's own digit limit)."""
    if len(text.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise UnstorableNumber(f"A number in the body has more than {MAX_INTEGER_DIGITS} digits.")
    return int(text)


def storable_number(text: str) -> float:
    """A JSON number with a fraction or an exponent that DynamoDB can store; under 1e-130 in
    magnitude it is read as 0."""
    # The digits as written (no Decimal arithmetic, which could overflow on any exponent).
    digits = "".join(map(str, Decimal(text).as_tuple().digits)).strip("0")
    if len(digits) > MAX_SIGNIFICANT_DIGITS:
        raise UnstorableNumber(
            f"A number in the body has more than {MAX_SIGNIFICANT_DIGITS} significant digits."
        )
    value = float(text)  # inf past the float range
    if abs(value) >= TOO_LARGE_TO_STORE:
        raise UnstorableNumber("A number in the body is too large to store.")
    return value if abs(value) >= SMALLEST_STORED_NUMBER else 0.0


def refuse_constant(name: str) -> float:
    raise UnstorableNumber(f"Numbers in the body are finite; {name} is not a JSON number.")


def _same_schema(schema: ma.Schema, _memo: dict) -> ma.Schema:
    return schema


def copy_schemas_by_reference() -> None:
    """Make `copy.deepcopy` of a marshmallow schema instance give the instance itself.

    flask-smorest keeps each route's documentation in a dict that holds the route's schema
    instances, and every decorator (`arguments`, `response`, …) deep-copies that dict, so
    each schema, every field of it, is copied again at each decorator of each route: some
    7 ms of every cold start, for copies nobody changes. The instances are only read once
    built: flask-smorest and apispec copy the documentation around them, marshmallow copies
    fields (never schema instances), and a `Nested` field copies its schema shallowly.

    Adds `marshmallow.Schema.__deepcopy__` (marshmallow 4.1.2 defines none) and relies on
    the deep copies in `flask_smorest.response.ResponseMixin.response`,
    `flask_smorest.arguments.ArgumentsMixin.arguments` and `flask_smorest.Blueprint`
    (flask-smorest 0.47.0) being of documentation only.
    """
    ma.Schema.__deepcopy__ = _same_schema


class JsonBodyParser(FlaskParser):
    """webargs' Flask parser reading only JSON numbers DynamoDB can store and refusing JSON
    nested too deep to parse: either is a 400 when the body is parsed, on every route.

    Overrides `webargs.flaskparser.FlaskParser._raw_load_json` (webargs 8.7.1), which calls
    `webargs.core.parse_json` with no way to pass `parse_int`, `parse_float` or
    `parse_constant`, or to catch RecursionError.
    """

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        try:
            # Not valid UTF-8 raises UnicodeDecodeError, which `load_json` answers with a 400.
            text = req.get_data(cache=True).decode("utf-8")
            return json.loads(
                text,
                parse_int=storable_integer,
                parse_float=storable_number,
                parse_constant=refuse_constant,
            )
        except RecursionError:
            abort(400, messages={"json": ["JSON is nested too deeply."]})
        except UnstorableNumber as exc:
            abort(400, messages={"json": [str(exc)]})


class DeferredDocsBlueprint(flask_smorest.Blueprint):
    """A blueprint keeping each route's documentation until the OpenAPI document is built
    (copying and parsing it at import would slow every cold start).

    Overrides `flask_smorest.Blueprint._store_endpoint_docs` (flask-smorest 0.47.0), which
    deep-copies and parses a route's docstring and decorators when the route is declared.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._undocumented_endpoints: list[tuple[tuple, dict]] = []

    def _store_endpoint_docs(self, *args, **kwargs) -> None:
        self._undocumented_endpoints.append((args, kwargs))

    def register_views_in_doc(self, *args, **kwargs):
        for pending_args, pending_kwargs in self._undocumented_endpoints:
            super()._store_endpoint_docs(*pending_args, **pending_kwargs)
        self._undocumented_endpoints.clear()
        return super().register_views_in_doc(*args, **kwargs)


class LazyBuilderRule(Rule):
    """A URL rule whose URL builder is compiled on first use.

    werkzeug compiles two Python functions per rule to build URLs; only `Location` headers
    build URLs here, so compiling them for every route at cold start is wasted work.

    Overrides `werkzeug.routing.Rule._compile_builder` (werkzeug 3.1.9), called from
    `Rule.compile` for every rule when the rule is added to the map.
    """

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown)
            return compiled(rule, *args, **kwargs)

        return build


class DeferredSpecApi(flask_smorest.Api):
    """flask-smorest's `Api`, building the OpenAPI document when it is first asked for.

    Turning every schema into OpenAPI costs tens of milliseconds that no API request needs,
    so at cold start only the Flask routes are registered; `spec` builds the document
    (and documents the blueprints registered so far) on first access.

    Overrides `flask_smorest.spec.APISpecMixin._init_spec` (flask-smorest 0.47.0), which
    builds the `APISpec` in `init_app`, and replaces `flask_smorest.Api.register_blueprint`
    (flask-smorest 0.47.0) with a copy that registers the Flask blueprint at once and its
    documentation later.
    """

    def __init__(self, app=None, *, spec_kwargs=None, config_prefix=""):
        self._spec = None
        self._deferred_spec_kwargs: dict[str, Any] | None = None
        self._undocumented: list[tuple[Any, str, Any]] = []
        self._spec_ready_callbacks: list[Any] = []
        self._spec_lock = threading.Lock()
        super().__init__(app, spec_kwargs=spec_kwargs, config_prefix=config_prefix)

    @property
    def spec(self):
        if self._spec is None and self._deferred_spec_kwargs is not None:
            self._build_spec()
        return self._spec

    @spec.setter
    def spec(self, value) -> None:
        self._spec = value

    def on_spec_ready(self, callback) -> None:
        """Run `callback(api)` once the document exists, before any blueprint is documented."""
        self._spec_ready_callbacks.append(callback)

    def _init_spec(self, **kwargs):
        self._deferred_spec_kwargs = kwargs
        self._app.cli.add_command(openapi_cli)

    def _build_spec(self) -> None:
        with self._spec_lock:
            if self._deferred_spec_kwargs is None:
                return
            kwargs, self._deferred_spec_kwargs = self._deferred_spec_kwargs, None
            super()._init_spec(**kwargs)
            for callback in self._spec_ready_callbacks:
                callback(self)
            for blueprint, name, parameters in self._undocumented:
                blueprint.register_views_in_doc(
                    self, self._app, self._spec, name=name, parameters=parameters
                )
                self._spec.tag({"name": name, "description": blueprint.description})
            self._undocumented.clear()

    def register_blueprint(self, blp, *, parameters=None, **options):
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))
