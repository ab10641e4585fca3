"""The HTTP layer shared by every blueprint: flask-smorest's `Api` and `Blueprint` set up
for API.md's conventions, and the request hooks every route goes through.

- validation errors are 400 (webargs says 422) and reach `errors.py` as per-field messages;
- a JSON number too small for DynamoDB to store (under 1e-130 in magnitude) is read as 0;
- a body sent with a non-JSON content type is 415, so a PATCH never silently changes nothing;
- every response carries `X-Request-Id`, `Cache-Control: no-store` and the CORS headers;
- `OPTIONS` preflight is answered here with 204;
- the OpenAPI document, route documentation and URL builders are prepared on first use,
  not at cold start;
- single resources answer `ETag: "<version>"` (`resource_headers`), `If-Match` is read by
  `if_match_version`, and lists page with signed cursors (`paged`).
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from typing import Any

import flask_smorest
from flask import Flask, Response, current_app, g, request, url_for
from flask_smorest.spec import openapi_cli
from marshmallow import missing
from webargs.flaskparser import FlaskParser, abort, is_json_request
from werkzeug.routing import BaseConverter, Rule

from .errors import ErrorSchema, handle_http_exception
from .exceptions import PreconditionFailed
from .observability import logger

ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-Match"
EXPOSED_HEADERS = "ETag, Location, X-Request-Id, Idempotent-Replayed, Retry-After"
ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"
PREFLIGHT_MAX_AGE = "600"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
# DynamoDB stores numbers down to 1e-130 in magnitude and rejects a write holding a smaller
# one; that small, every quantity the API keeps is 0.
SMALLEST_STORED_NUMBER = 1e-130
MAX_IF_MATCH_LENGTH = 256
ENTITY_TAG = re.compile(r'\*|(?:W/)?"([0-9]+)"')


def storable_number(text: str) -> float:
    value = float(text)
    return value if abs(value) >= SMALLEST_STORED_NUMBER else 0.0


class JsonParser(FlaskParser):
    """webargs parser answering 400, refusing JSON nested too deep to parse, and refusing an
    empty body where JSON was announced or a PATCH needs one (webargs reads it as `{}`)."""

    DEFAULT_VALIDATION_STATUS = 400

    def load_json(self, req, schema):
        data = super().load_json(req, schema)
        if data is missing and (req.method == "PATCH" or is_json_request(req)):
            abort(400, messages={"json": ["Send the body as a JSON object."]})
        return data

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return missing
        try:
            # Not valid UTF-8 raises UnicodeDecodeError, which `load_json` answers with a 400.
            text = req.get_data(cache=True).decode("utf-8")
            return json.loads(text, parse_float=storable_number)
        except RecursionError:
            abort(400, messages={"json": ["JSON is nested too deeply."]})


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's `Blueprint`, keeping each route's documentation until the OpenAPI
    document is built (copying and parsing it at import would slow every cold start)."""

    ARGUMENTS_PARSER = JsonParser()

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
    """

    def _compile_builder(self, append_unknown: bool = True):
        compiled = None

        def build(rule, *args, **kwargs):
            nonlocal compiled
            if compiled is None:
                compiled = Rule._compile_builder(rule, append_unknown)
            return compiled(rule, *args, **kwargs)

        return build


class LifestyleFlask(Flask):
    """The Flask application class, with URL builders compiled on first use."""

    url_rule_class = LazyBuilderRule


class Api(flask_smorest.Api):
    """flask-smorest's `Api`, building the OpenAPI document when it is first asked for.

    Turning every schema into OpenAPI costs tens of milliseconds that no API request needs,
    so at cold start only the Flask routes are registered; `spec` builds the document
    (and documents the blueprints registered so far) on first access.
    """

    ERROR_SCHEMA = ErrorSchema
    # No catch-all `default` response: each operation lists its error statuses (openapi.py).
    DEFAULT_ERROR_RESPONSE_NAME = None

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

    def handle_http_exception(self, error):
        return handle_http_exception(error)


def request_id_from_environ(environ: dict[str, Any]) -> str:
    """API Gateway's request id when there is one, else the Lambda's, else a new one."""
    request_context = environ.get("apig_wsgi.request_context") or {}
    if request_context.get("requestId"):
        return str(request_context["requestId"])
    lambda_context = environ.get("apig_wsgi.context")
    if getattr(lambda_context, "aws_request_id", None):
        return str(lambda_context.aws_request_id)
    return uuid.uuid4().hex


def begin_request():
    g.request_id = request_id_from_environ(request.environ)
    logger.append_keys(request_id=g.request_id)
    if request.method == "OPTIONS" and request.routing_exception is None:
        preflight = Response(status=204)
        del preflight.headers["Content-Type"]
        return preflight
    if request.method in BODY_METHODS and _has_body() and not request.is_json:
        abort(415, message="Send the body as JSON with Content-Type: application/json.")
    return None


def _has_body() -> bool:
    return bool(request.content_length) or request.headers.get("Transfer-Encoding") == "chunked"


def finish_response(response: Response) -> Response:
    settings = current_settings()
    headers = response.headers
    headers["X-Request-Id"] = g.get("request_id", "")
    headers["Cache-Control"] = "no-store"
    headers["Access-Control-Allow-Origin"] = settings.cors_origin
    headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS
    if settings.cors_origin != "*":
        headers.add("Vary", "Origin")
    if request.method == "OPTIONS":
        headers["Access-Control-Allow-Methods"] = ALLOWED_METHODS
        headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
        headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
    return response


def end_request(_exc: BaseException | None) -> None:
    logger.remove_keys(["request_id"])


def current_settings():
    """The `Settings` of the app handling this request."""
    return current_app.extensions["lifestyle_api.settings"]


def register_request_hooks(app: Flask) -> None:
    app.before_request(begin_request)
    app.after_request(finish_response)
    app.teardown_request(end_request)


# ETag / If-Match: the item's version number, quoted.

ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "The version, quoted."}}
CREATED_HEADERS = {
    "Location": {"schema": {"type": "string"}, "description": "Where the new resource is."},
    **ETAG_HEADER,
}


def etag(version: int | None) -> str:
    return f'"{version or 0}"'


def resource_headers(item, location_endpoint: str | None = None, **view_args: str) -> dict:
    """`ETag` for a single resource, and `Location` (built from the route) for a new one."""
    headers = {"ETag": etag(item.version)}
    if location_endpoint is not None:
        headers["Location"] = url_for(location_endpoint, **view_args)
    return headers


def if_match_version() -> int | None:
    """The version `If-Match` names, `None` without the header (or with `*`); a malformed
    one (not `"<version>"`, or longer than documented) never matches: 412."""
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    if len(raw) <= MAX_IF_MATCH_LENGTH:
        for candidate in (part.strip() for part in raw.split(",")):
            tag = ENTITY_TAG.fullmatch(candidate)
            if tag is None:
                continue
            return None if tag.group(1) is None else int(tag.group(1))
    raise PreconditionFailed("If-Match must name the resource's current ETag.")


def paged(fetch, *, caller: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run one list query page and answer `{"items", "nextCursor"}`.

    `fetch(start_key, limit)` returns `(items, last_evaluated_key)`. The cursor is bound to
    the caller, the route and every filter in `args`, so it cannot be replayed elsewhere.
    """
    from .pagination import decode_cursor, encode_cursor

    secret = current_settings().cursor_secret
    query = {
        "endpoint": request.endpoint,
        "view_args": request.view_args or {},
        "filters": {k: v for k, v in args.items() if k not in {"cursor", "limit"}},
    }
    start_key = decode_cursor(args.get("cursor"), secret=secret, caller=caller, query=query)
    items, last_key = fetch(start_key=start_key, limit=args["limit"])
    return {
        "items": items,
        "nextCursor": encode_cursor(last_key, secret=secret, caller=caller, query=query),
    }


class UlidConverter(BaseConverter):
    """Path ids are ULIDs: 26 Crockford base32 characters. Anything else matches no route."""

    regex = r"[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}"

    def to_python(self, value: str) -> str:
        return value.upper()


def ulid_param_schema(_converter) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": "^[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]{26}$",
        "minLength": 26,
        "maxLength": 26,
    }
