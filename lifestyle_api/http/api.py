"""flask-smorest's `Api` and `Blueprint` set up for API.md's conventions, and the app class.

- validation errors are 400 (webargs says 422) and reach the envelope as per-field messages;
- a JSON number too small for DynamoDB to store (under 1e-130 in magnitude) is read as 0;
- an empty body where JSON was announced, or on a PATCH, is a 400 (webargs reads it as `{}`);
- the OpenAPI document, route documentation and URL builders are prepared on first use,
  not at cold start (the overrides that make this possible are in `framework`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from marshmallow import missing
from webargs.flaskparser import abort, is_json_request

from .envelope import ErrorSchema, handle_http_exception
from .framework import DeferredDocsBlueprint, DeferredSpecApi, JsonBodyParser, LazyBuilderRule


class JsonParser(JsonBodyParser):
    """The arguments parser: 400 for invalid input, and no empty JSON body."""

    DEFAULT_VALIDATION_STATUS = 400

    def load_json(self, req, schema):
        data = super().load_json(req, schema)
        if data is missing and (req.method == "PATCH" or is_json_request(req)):
            abort(400, messages={"json": ["Send the body as a JSON object."]})
        return data


class Blueprint(DeferredDocsBlueprint):
    """One per feature: MethodViews with `@blp.arguments` / `@blp.response`."""

    ARGUMENTS_PARSER = JsonParser()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._documenters: list[Callable[[Any], None]] = []

    def document_with(self, documenter: Callable[[Any], None]) -> None:
        """Run `documenter(api)` when the OpenAPI document is built, before this blueprint's
        routes are documented: for components its schemas refer to by name."""
        self._documenters.append(documenter)

    def register_views_in_doc(self, api, app, spec, *, name, parameters):
        for documenter in self._documenters:
            documenter(api)
        return super().register_views_in_doc(api, app, spec, name=name, parameters=parameters)


class LifestyleFlask(Flask):
    """The Flask application class, with URL builders compiled on first use."""

    url_rule_class = LazyBuilderRule


class Api(DeferredSpecApi):
    """The API: blueprints, the error envelope, and a document built on first access."""

    ERROR_SCHEMA = ErrorSchema
    # No catch-all `default` response: each operation lists its error statuses (openapi.py).
    DEFAULT_ERROR_RESPONSE_NAME = None

    def handle_http_exception(self, error):
        return handle_http_exception(error)
