"""The OpenAPI document as client generators need it (API.md "Conventions"), beyond what
flask-smorest derives from the routes and schemas:

- `info` (contact, license), `servers`, and the bearer security scheme, routes declared
  `@public` marked `security: []`;
- every status each operation can answer, derived from its shape: 404 for ids in the path,
  400/413/415 for a body, 409/412 and `If-Match` for conditional writes (every PATCH and
  DELETE changes one versioned resource), 409/422 and `Idempotency-Key` for idempotent
  creates, 401 for protected routes, and 429, 500 and 503 everywhere (API Gateway throttles
  every route; anything may fail). Statuses particular to one route are declared on it
  (`alt_response`, e.g. the 401 of a wrong password at login). 401, 404 and 429 may come
  from API Gateway itself, in its own shape `{"message": ...}`: those answer a `oneOf` of
  the app's envelope and that shape;
- nullability on the field itself: a nullable nested object is `allOf: [$ref]` beside
  `nullable: true` (apispec writes an `anyOf` with an open object, which matches anything);
- enums as named components (`openapi_enums`), so a generated client has one type per enum.
"""

from __future__ import annotations

import types
from typing import Any

from apispec import BasePlugin

from .. import __version__
from ..fields import EARLIEST_DAY, LATEST_DAY
from ..idempotency import KEY_HEADER, MAX_KEY_LENGTH, REPLAYED_HEADER
from .conditional import MAX_IF_MATCH_LENGTH
from .openapi_enums import NamedEnumsPlugin, named_enums, schema_ref
from .routes import IDEMPOTENT, NO_FACTS, PUBLIC, route_facts, route_shape

BEARER = "bearerAuth"
ERROR_SCHEMA = "Error"
GATEWAY_ERROR_SCHEMA = "GatewayError"
# Statuses API Gateway may answer itself, in its own `{"message"}` shape.
GATEWAY_STATUSES = frozenset({401, 404, 429})
EVERY_OPERATION = (429, 500, 503)

RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again.",
        "schema": {"type": "integer", "minimum": 0},
    }
}
# One response component per error status, named as the status is; each operation refers
# to those it can answer.
ERROR_RESPONSES: dict[int, tuple[str, dict[str, Any]]] = {
    400: ("BadRequest", {"description": "The request is not valid; `details` says why."}),
    401: (
        "Unauthorized",
        {
            "description": 'No valid access token (API Gateway answers `{"message"}` itself '
            "for a missing or expired one), or wrong credentials.",
            "headers": {
                "WWW-Authenticate": {
                    "description": "The bearer challenge, when the app answers.",
                    "schema": {"type": "string"},
                }
            },
        },
    ),
    403: ("Forbidden", {"description": "The account cannot do this yet."}),
    404: (
        "NotFound",
        {"description": "No such resource for the caller (another user's is missing too)."},
    ),
    409: (
        "Conflict",
        {"description": "A concurrent change or request won; read again and retry."},
    ),
    410: (
        "Gone",
        {"description": "What the request names is gone for good; `details` says what to do."},
    ),
    412: ("PreconditionFailed", {"description": "`If-Match` does not name the version."}),
    413: ("ContentTooLarge", {"description": "The body is over 256 KB."}),
    415: ("UnsupportedMediaType", {"description": "The body is not sent as JSON."}),
    422: (
        "UnprocessableContent",
        {"description": "The `Idempotency-Key` was used for another request."},
    ),
    429: (
        "TooManyRequests",
        {
            "description": 'Too many requests: API Gateway\'s throttling (`{"message"}`) or '
            "the app's limits on attempts.",
            "headers": RETRY_AFTER,
        },
    ),
    500: ("InternalServerError", {"description": "An unexpected error; it is logged."}),
    503: (
        "ServiceUnavailable",
        {
            "description": "A service the API depends on is unavailable; try again shortly.",
            "headers": RETRY_AFTER,
        },
    ),
}
GATEWAY_ERROR = {
    "type": "object",
    "description": "What API Gateway answers by itself, before the app sees the request: a "
    "missing or invalid token (401), an unknown route (404), throttling (429).",
    "properties": {"message": {"type": "string"}},
    "required": ["message"],
    "additionalProperties": False,
}


def openapi_settings() -> dict[str, Any]:
    return {
        "API_TITLE": "Lifestyle API",
        "API_VERSION": __version__,
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/",
        "OPENAPI_JSON_PATH": "openapi.json",
        "API_SPEC_OPTIONS": {
            "info": {
                "description": (
                    "Goals, habit check-ins, activities, meals, health metrics, summaries and "
                    "coaching. JSON in and out; errors use one envelope "
                    "`{error, message, timestamp, requestId, details?}`, except that API "
                    "Gateway answers some 401, 404 and 429 itself as `{message}`; instants "
                    "are RFC 3339 with an offset on input and UTC with `Z` on output; days "
                    f"and instants are accepted from {EARLIEST_DAY} to {LATEST_DAY} (UTC). "
                    "The reference is served at `/docs`."
                ),
                "contact": {"name": "Lifestyle API team"},
                "license": {"name": "Proprietary"},
            },
            "servers": [
                {
                    "url": "https://{apiId}.execute-api.{region}.amazonaws.com",
                    "description": "The HTTP API on AWS (Terraform's `api_url` output).",
                    "variables": {
                        "apiId": {"default": "api-id", "description": "The HTTP API's id."},
                        "region": {"default": "us-east-1", "description": "Its AWS region."},
                    },
                },
                {"url": "http://127.0.0.1:5000", "description": "`make run` on this machine."},
            ],
            "security": [{BEARER: []}],
        },
    }


class RouteFactsPlugin(BasePlugin):
    """Gives the other plugins the facts each route's view declares."""

    def __init__(self, facts: dict[tuple[str, str], frozenset[str]]) -> None:
        self.facts = facts

    def of(self, method: str, path: str | None) -> frozenset[str]:
        return self.facts.get((method.upper(), route_shape(path or "")), NO_FACTS)


class PublicRoutesPlugin(RouteFactsPlugin):
    """Marks public operations `security: []`."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            if PUBLIC in self.of(method, path):
                operation["security"] = []


IF_MATCH_PARAMETER = {
    "in": "header",
    "name": "If-Match",
    "required": False,
    "description": 'The `ETag` read (`"<version>"`): the write happens only on that version, '
    "else 412.",
    "schema": {
        "type": "string",
        "maxLength": MAX_IF_MATCH_LENGTH,
        "pattern": r'^(\*|(W/)?"[0-9]+")(\s*,\s*(\*|(W/)?"[0-9]+"))*$',
    },
}


def error_statuses(
    verb: str, path: str, operation: dict[str, Any], facts: frozenset[str]
) -> set[int]:
    """The error statuses an operation can answer, from its shape, its route's facts and its
    own declarations."""
    declared = {int(code) for code in operation.get("responses", {}) if int(code) >= 400}
    codes = {*declared, *EVERY_OPERATION}
    if "{" in path:
        codes.add(404)
    if PUBLIC not in facts:
        codes.add(401)
    if "requestBody" in operation:
        codes |= {400, 413, 415}
    if verb in {"PATCH", "DELETE"}:
        codes |= {409, 412}
    if IDEMPOTENT in facts:
        codes |= {400, 409, 422}
    return codes


class ErrorResponsesPlugin(RouteFactsPlugin):
    """Documents every error status each operation can answer, as a response component."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        path = path or ""
        for method, operation in (operations or {}).items():
            verb = method.upper()
            facts = self.of(verb, path)
            codes = error_statuses(verb, path, operation, facts)
            if verb in {"PATCH", "DELETE"}:
                operation.setdefault("parameters", []).append(IF_MATCH_PARAMETER)
            if IDEMPOTENT in facts:
                _document_idempotency(operation)
            declared = operation.get("responses", {})
            responses = {str(code): response for code, response in declared.items()}
            for code in codes:
                responses[str(code)] = ERROR_RESPONSES[code][0]
            operation["responses"] = dict(sorted(responses.items()))


def _document_idempotency(operation: dict[str, Any]) -> None:
    operation.setdefault("parameters", []).append(
        {
            "in": "header",
            "name": KEY_HEADER,
            "required": False,
            "description": (
                "Retry safely: the same key with the same request within 24 h replays the "
                "first response (with `Idempotent-Replayed: true`) and creates nothing; "
                "with another request it is a 422; while the first is running, a 409."
            ),
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH},
        }
    )
    for status, response in operation.get("responses", {}).items():
        if isinstance(response, dict) and str(status).startswith("2"):
            response.setdefault("headers", {})[REPLAYED_HEADER] = {
                "description": "`true` when this is the replay of an earlier response.",
                "schema": {"type": "string", "enum": ["true"]},
            }


def nullable_on_the_field(self, field, ret) -> dict[str, Any]:
    """apispec's `field2nullable` for OpenAPI 3.0, with a nullable reference written as
    `allOf: [$ref]` beside `nullable: true` instead of `anyOf` with an open object."""
    if not field.allow_none:
        return {}
    if "$ref" in ret:
        ret["allOf"] = [{"$ref": ret.pop("$ref")}]
    return {"nullable": True}


def register_openapi_extras(api) -> None:
    """Complete the document once it is built (`Api.on_spec_ready`)."""
    spec = api.spec
    converter = api.ma_plugin.converter
    functions = converter.attribute_functions
    functions[functions.index(converter.field2nullable)] = types.MethodType(
        nullable_on_the_field, converter
    )
    # flask-smorest's pagination header schema: lists here page with cursors in the body.
    spec.components.schemas.pop("PaginationMetadata", None)

    spec.components.security_scheme(
        BEARER,
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A Cognito access token (not an ID token).",
        },
    )
    enums = named_enums()
    for name, (values, description) in enums.items():
        spec.components.schema(
            name, {"type": "string", "enum": list(values), "description": description}
        )
    spec.components.schema(GATEWAY_ERROR_SCHEMA, GATEWAY_ERROR)
    for status, (name, response) in ERROR_RESPONSES.items():
        schema = schema_ref(ERROR_SCHEMA)
        if status in GATEWAY_STATUSES:
            schema = {"oneOf": [schema, schema_ref(GATEWAY_ERROR_SCHEMA)]}
        spec.components.response(
            name,
            {**response, "content": {"application/json": {"schema": schema}}},
            lazy=True,
        )
    facts = route_facts(api._app)
    plugins = (PublicRoutesPlugin(facts), ErrorResponsesPlugin(facts), NamedEnumsPlugin(enums))
    for plugin in plugins:
        plugin.init_spec(spec)
        spec.plugins.append(plugin)
