"""A scheduled task for the tests of the scheduled-event path."""

from __future__ import annotations

from typing import Any


def echo(event: dict[str, Any], settings) -> dict[str, Any]:
    return {"echoed": event.get("value"), "table": settings.table_name}
