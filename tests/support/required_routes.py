"""Routes that reliability tests name explicitly: a test that needs one calls
`require_route()`, which fails loudly (never skips) when the app does not serve it."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support.routes import has_route


def require_route(app: Flask, method: str, path: str) -> None:
    """Fail unless the app serves `method path`."""
    if not has_route(app, method, path):
        pytest.fail(f"{method} {path} is not served by the app, and this test needs it.")
