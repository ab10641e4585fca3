"""The error envelope for every failure (API.md "Errors").

Every status >= 400, from validation, auth, routing, DynamoDB, AWS SDK calls or an
unexpected exception, is answered as JSON:
`{"error", "message", "timestamp", "requestId", "details"?}`. A 500 never carries
the exception's text; its traceback goes to the log only.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

import marshmallow as ma
from botocore.exceptions import (
    ClientError,
    HTTPClientError,
)
from botocore.exceptions import (
    ConnectionError as BotocoreConnectionError,
)
from flask import Flask, g, jsonify
from pynamodb.exceptions import DoesNotExist, PynamoDBException
from werkzeug.exceptions import HTTPException

from ..base_schemas import BaseSchema
from ..db.errors import is_condition_failure, is_retryable, response_code
from ..exceptions import ServiceError
from ..observability import logger
from ..timeutil import format_instant, utc_now

RETRY_AFTER_SECONDS = "1"
RETRY_STATUSES = frozenset({429, 503})


class ErrorSchema(BaseSchema):
    """The error envelope, as documented in the OpenAPI output."""

    error = ma.fields.String(required=True, metadata={"description": "HTTP reason phrase"})
    message = ma.fields.String(required=True)
    timestamp = ma.fields.String(required=True, metadata={"format": "date-time"})
    requestId = ma.fields.String(required=True)
    details = ma.fields.Dict(metadata={"description": "Per-field messages, where there are any"})


def error_response(
    status: int,
    message: str,
    *,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
    error: str | None = None,
):
    body: dict[str, Any] = {
        "error": error or HTTPStatus(status).phrase,
        "message": message,
        "timestamp": format_instant(utc_now().replace(microsecond=0)),
        "requestId": g.get("request_id", ""),
    }
    if details:
        body["details"] = details
    response = jsonify(body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status in RETRY_STATUSES:
        # API.md: every 429 (and 503) says when to try again, whoever raised it.
        response.headers.setdefault("Retry-After", RETRY_AFTER_SECONDS)
    return response


def flatten_validation_messages(messages: Any) -> dict[str, Any]:
    """webargs nests messages under their location (`{"json": {...}}`); clients want fields."""
    if not isinstance(messages, dict):
        return {"_schema": messages}
    details: dict[str, Any] = {}
    for location, fields in messages.items():
        if isinstance(fields, dict):
            details.update(fields)
        else:
            details.setdefault("_schema", []).extend(
                fields if isinstance(fields, list) else [fields]
            )
            if location not in {"json", "query", "querystring"}:
                details[location] = details.pop("_schema")
    return details


def handle_http_exception(exc: HTTPException):
    status = exc.code or 500
    data = getattr(exc, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if status == 405:
        headers.update({k: v for k, v in exc.get_headers() if k == "Allow"})
    if "messages" in data:
        return error_response(
            status,
            "The request is not valid; see details.",
            details=flatten_validation_messages(data["messages"]),
            headers=headers,
            error="Validation Error" if status == 400 else None,
        )
    if status >= 500:
        return error_response(status, "Internal server error.", headers=headers)
    message = data.get("message") or exc.description or HTTPStatus(status).phrase
    return error_response(status, message, headers=headers)


def handle_service_error(exc: ServiceError):
    return error_response(
        exc.status,
        exc.message,
        details=exc.details,
        headers=exc.headers,
        error="Validation Error" if exc.status == 400 and exc.details else None,
    )


def handle_does_not_exist(_exc: DoesNotExist):
    return error_response(404, "The resource does not exist.")


def handle_unavailable():
    return error_response(
        503,
        "A service the API depends on is unavailable; try again shortly.",
        headers={"Retry-After": RETRY_AFTER_SECONDS},
    )


def handle_pynamodb_error(exc: PynamoDBException):
    if is_condition_failure(exc):
        return error_response(
            409, "The resource was changed by another request; read it and try again."
        )
    if is_retryable(exc):
        logger.warning("DynamoDB unavailable", extra={"error_code": response_code(exc)})
        return handle_unavailable()
    return handle_unexpected(exc)


def handle_client_error(exc: Exception):
    if is_retryable(exc):
        logger.warning("AWS service unavailable", extra={"error_type": type(exc).__name__})
        return handle_unavailable()
    return handle_unexpected(exc)


def handle_unexpected(exc: Exception):
    logger.exception("Unhandled error", extra={"error_type": type(exc).__name__})
    return error_response(500, "Internal server error.")


def register_error_handlers(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(ServiceError, handle_service_error)
    app.register_error_handler(DoesNotExist, handle_does_not_exist)
    app.register_error_handler(PynamoDBException, handle_pynamodb_error)
    app.register_error_handler(ClientError, handle_client_error)
    app.register_error_handler(BotocoreConnectionError, handle_client_error)
    app.register_error_handler(HTTPClientError, handle_client_error)
    app.register_error_handler(Exception, handle_unexpected)
