"""Path converters: ids in paths are ULIDs, documented as such in the OpenAPI output."""

from __future__ import annotations

from typing import Any

from werkzeug.routing import BaseConverter

ULID_CHARACTERS = "[0-9A-HJKMNP-TV-Za-hjkmnp-tv-z]"


class UlidConverter(BaseConverter):
    """Path ids are ULIDs: 26 Crockford base32 characters. Anything else matches no route."""

    regex = f"{ULID_CHARACTERS}{{26}}"

    def to_python(self, value: str) -> str:
        return value.upper()


def ulid_param_schema(_converter) -> dict[str, Any]:
    return {
        "type": "string",
        "pattern": f"^{ULID_CHARACTERS}{{26}}$",
        "minLength": 26,
        "maxLength": 26,
    }
