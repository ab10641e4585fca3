"""What the generated OpenAPI document says beyond the schemas: the bearer security
scheme (routes declared `@public` marked `security: []`), the headers of API.md's
conventions, and the error envelope on every operation.

Each operation lists the error statuses it can answer (there is no catch-all `default`
response), derived from its shape: 404 for ids in the path, 400/413/415 for a body,
409/412 and `If-Match` for conditional writes (every PATCH and DELETE: each changes one
versioned resource), 409/422 and `Idempotency-Key` for idempotent creates, 429 for the
`/auth` routes (Cognito limits attempts), 503 for anything that reaches DynamoDB or
Cognito. Statuses particular to one route are declared on it (`alt_response`)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from apispec import BasePlugin

from .. import __version__
from ..fields import EARLIEST_DAY, LATEST_DAY
from ..idempotency import KEY_HEADER, MAX_KEY_LENGTH, REPLAYED_HEADER
from .conditional import MAX_IF_MATCH_LENGTH
from .routes import IDEMPOTENT, NO_FACTS, PUBLIC, route_facts, route_shape

BEARER = "bearerAuth"
PROTECTED_ERRORS = ("401",)
# Routes answered by Cognito, which throttles and limits attempts (429).
COGNITO_PREFIX = "/auth/"


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
                    "`{error, message, timestamp, requestId, details?}`; instants are RFC 3339 "
                    "with an offset on input and UTC with `Z` on output; days and instants are "
                    f"accepted from {EARLIEST_DAY} to {LATEST_DAY} (UTC)."
                ),
            },
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
    """Marks public operations `security: []` and documents the 401 on all others."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            if PUBLIC in self.of(method, path):
                operation["security"] = []
            else:
                responses.setdefault("401", "UNAUTHORIZED")


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


class ErrorResponsesPlugin(RouteFactsPlugin):
    """Documents the statuses each operation can answer beyond its own, by its shape."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            verb = method.upper()
            facts = self.of(verb, path)
            codes: list[int] = []
            if "{" in (path or ""):
                codes.append(404)
            if "requestBody" in operation:
                codes += [400, 413, 415]
            if verb in {"PATCH", "DELETE"}:
                codes += [409, 412]
                operation.setdefault("parameters", []).append(IF_MATCH_PARAMETER)
            if (path or "").startswith(COGNITO_PREFIX):
                codes.append(429)
            if not (verb == "GET" and PUBLIC in facts):
                codes.append(503)
            if IDEMPOTENT in facts:
                codes += [400, 409, 422]
                _document_idempotency(operation)
            responses = operation.setdefault("responses", {})
            for code in codes:
                responses.setdefault(str(code), HTTPStatus(code).name)


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


def register_openapi_extras(api) -> None:
    api.spec.components.security_scheme(
        BEARER,
        {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "JWT",
            "description": "A Cognito access token (not an ID token).",
        },
    )
    facts = route_facts(api._app)
    for plugin in (PublicRoutesPlugin(facts), ErrorResponsesPlugin(facts)):
        plugin.init_spec(api.spec)
        api.spec.plugins.append(plugin)
