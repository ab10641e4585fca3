"""What the generated OpenAPI document says beyond the schemas: the bearer security
scheme (public routes marked `security: []` from `auth.PUBLIC_ROUTES`), the headers of
API.md's conventions, and the error envelope on every operation."""

from __future__ import annotations

from typing import Any

from apispec import BasePlugin

from . import __version__
from .auth import PUBLIC_ROUTES

BEARER = "bearerAuth"
PROTECTED_ERRORS = ("401",)


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
                    "with an offset on input and UTC with `Z` on output."
                ),
            },
            "security": [{BEARER: []}],
        },
    }


class PublicRoutesPlugin(BasePlugin):
    """Marks public operations `security: []` and documents the 401 on all others."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for method, operation in (operations or {}).items():
            responses = operation.setdefault("responses", {})
            if (method.upper(), path) in PUBLIC_ROUTES:
                operation["security"] = []
            else:
                responses.setdefault("401", "UNAUTHORIZED")


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
    plugin = PublicRoutesPlugin()
    plugin.init_spec(api.spec)
    api.spec.plugins.append(plugin)
