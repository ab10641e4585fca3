"""flask-smorest's `Api` and `Blueprint` set up for API.md's conventions, and the app class.

- validation errors are 400 (webargs says 422) and reach the envelope as per-field messages;
- a JSON number too small for DynamoDB to store (under 1e-130 in magnitude) is read as 0;
- an empty body where JSON was announced, or on a PATCH, is a 400 (webargs reads it as `{}`),
  unless the body is optional (`OptionalBodySchema`): then it reads as `{}`;
- an arguments schema given as a class is made once, on its route's first request (webargs
  would make one on every request);
- the OpenAPI document, route documentation and URL builders are prepared on first use,
  not at cold start, and schema instances are not copied for the documentation (the
  overrides that make this possible are in `framework`).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from inspect import iscoroutinefunction
from typing import Any
from weakref import WeakKeyDictionary

import marshmallow as ma
from flask import Flask
from marshmallow import missing
from webargs.flaskparser import abort, is_json_request

from ..base_schemas import OptionalBodySchema, shared_instance
from .envelope import ErrorSchema, handle_http_exception
from .framework import (
    DeferredDocsBlueprint,
    DeferredSpecApi,
    JsonBodyParser,
    LazyBuilderRule,
    copy_schemas_by_reference,
)
from .operations import StandardOperations

# Before any route is declared: flask-smorest deep-copies its documentation, schema
# instances included, at every decorator.
copy_schemas_by_reference()


class SchemaOnFirstUse:
    """A webargs argument map (a callable of the request) giving one instance of a schema
    class, made when the route first parses a request: instances are reusable, and building
    one walks and copies every field of the class."""

    def __init__(self, schema_class: type[ma.Schema]) -> None:
        self.schema_class = schema_class
        self._instance: ma.Schema | None = None

    def __call__(self, _request: Any) -> ma.Schema:
        if self._instance is None:
            self._instance = self.schema_class()
        return self._instance


class JsonParser(JsonBodyParser):
    """The arguments parser: 400 for invalid input, no empty JSON body unless the body is
    optional (`OptionalBodySchema`: then an empty one is `{}`), and one schema instance per
    route."""

    DEFAULT_VALIDATION_STATUS = 400

    def use_args(self, argmap, req=None, **kwargs):
        if isinstance(argmap, type) and issubclass(argmap, ma.Schema):
            argmap = SchemaOnFirstUse(argmap)
        return super().use_args(argmap, req, **kwargs)

    def load_json(self, req, schema):
        data = super().load_json(req, schema)
        needed = req.method == "PATCH" or is_json_request(req)
        if data is missing and needed and not isinstance(schema, OptionalBodySchema):
            abort(400, messages={"json": ["Send the body as a JSON object."]})
        return data


class Blueprint(DeferredDocsBlueprint, StandardOperations):
    """One per feature: MethodViews with `@blp.arguments` / `@blp.response`, or the stacks of
    the standard operations (`@blp.lists`, `@blp.creates`, `@blp.reads`, …: `operations`)."""

    ARGUMENTS_PARSER = JsonParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._documenters: list[Callable[[Any], None]] = []

    def response(self, status_code, schema=None, **kwargs):
        """flask-smorest's, answering with the schema class's shared instance."""
        return super().response(status_code, _instance(schema), **kwargs)

    def alt_response(self, status_code, response=None, *, schema=None, **kwargs):
        """flask-smorest's, answering with the schema class's shared instance."""
        return super().alt_response(status_code, response, schema=_instance(schema), **kwargs)

    def document_with(self, documenter: Callable[[Any], None]) -> None:
        """Run `documenter(api)` when the OpenAPI document is built, before this blueprint's
        routes are documented: for components its schemas refer to by name."""
        self._documenters.append(documenter)

    def register_views_in_doc(self, api, app, spec, *, name, parameters):
        for documenter in self._documenters:
            documenter(api)
        return super().register_views_in_doc(api, app, spec, name=name, parameters=parameters)


def _instance(schema: type[ma.Schema] | ma.Schema | None) -> ma.Schema | None:
    return shared_instance(schema) if isinstance(schema, type) else schema


class LifestyleFlask(Flask):
    """The Flask application class, with URL builders compiled on first use, and knowing
    which functions are coroutines without asking at every call."""

    url_rule_class = LazyBuilderRule

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._coroutine_functions: WeakKeyDictionary[Any, bool] = WeakKeyDictionary()

    def ensure_sync(self, func):
        """As Flask's: a coroutine function is wrapped to run to completion, any other is
        returned as it is. Flask calls this for every hook and view of every request, and
        flask-smorest again for each decorator; `inspect.iscoroutinefunction` is asked once
        per function (bound methods by the function they bind)."""
        function = getattr(func, "__func__", func)
        try:
            is_coroutine = self._coroutine_functions[function]
        except (KeyError, TypeError):  # TypeError: not weakly referenceable, not remembered
            is_coroutine = iscoroutinefunction(func)
            with suppress(TypeError):
                self._coroutine_functions[function] = is_coroutine
        return self.async_to_sync(func) if is_coroutine else func


class Api(DeferredSpecApi):
    """The API: blueprints, the error envelope, and a document built on first access."""

    ERROR_SCHEMA = ErrorSchema
    # No catch-all `default` response: each operation lists its error statuses (openapi.py).
    DEFAULT_ERROR_RESPONSE_NAME = None

    def handle_http_exception(self, error):
        return handle_http_exception(error)
