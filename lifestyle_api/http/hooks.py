"""Request hooks every route goes through, and the settings of the app serving a request.

- every response carries `X-Request-Id` (API Gateway's request id when there is one),
  `Cache-Control: no-store` and the CORS headers;
- `OPTIONS` preflight is answered here with 204;
- a body sent with a non-JSON content type is 415, so a PATCH never silently changes nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Flask, Request, Response, current_app, g, request
from webargs.flaskparser import abort

from ..config import Settings
from ..observability import logger

ALLOWED_HEADERS = "Authorization, Content-Type, Idempotency-Key, If-Match"
EXPOSED_HEADERS = "ETag, Location, X-Request-Id, Idempotent-Replayed, Retry-After"
ALLOWED_METHODS = "GET, POST, PATCH, DELETE, OPTIONS"
PREFLIGHT_MAX_AGE = "600"
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
SETTINGS_EXTENSION = "lifestyle_api.settings"


def current_settings() -> Settings:
    """The `Settings` of the app handling this request."""
    return current_app.extensions[SETTINGS_EXTENSION]


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
    # The request and `g` once each: every use of Flask's proxies looks them up again.
    current = request._get_current_object()
    request_globals = g._get_current_object()
    request_globals.request_id = request_id_from_environ(current.environ)
    logger.append_keys(request_id=request_globals.request_id)
    if current.method == "OPTIONS" and current.routing_exception is None:
        preflight = Response(status=204)
        del preflight.headers["Content-Type"]
        return preflight
    if current.method in BODY_METHODS and _has_body(current) and not current.is_json:
        abort(415, message="Send the body as JSON with Content-Type: application/json.")
    return None


def _has_body(current: Request) -> bool:
    return bool(current.content_length) or current.headers.get("Transfer-Encoding") == "chunked"


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


def register_request_hooks(app: Flask) -> None:
    app.before_request(begin_request)
    app.after_request(finish_response)
    app.teardown_request(end_request)
