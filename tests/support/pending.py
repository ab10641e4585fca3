"""Routes that reliability tests name explicitly but that other features add.

A test that needs such a route calls `require_route()`. While the route is missing and
listed in `AWAITING_MERGE`, the test is an expected failure that names the feature it
waits for; a missing route that is not listed fails the test. Once a listed route exists,
`tests/security/test_route_registry.py` fails until its entry is removed here, so from then
on its absence can only fail loudly.
"""

from __future__ import annotations

import pytest
from flask import Flask

from lifestyle_api.idempotency import route_shape
from tests.support.routes import has_route

AWAITING_MERGE: dict[tuple[str, str], str] = {
    ("POST", "/auth/login"): "accounts (issue 3)",
    ("POST", "/goals/{}/check-ins"): "tracking (issue 4)",
    ("POST", "/activities"): "tracking (issue 4)",
    ("POST", "/meals"): "tracking (issue 4)",
    ("POST", "/metrics"): "tracking (issue 4)",
    ("POST", "/metrics/batch"): "tracking (issue 4)",
}


def require_route(app: Flask, method: str, path: str) -> None:
    """Fail unless the app serves `method path`; an expected failure while it is pending."""
    if has_route(app, method, path):
        return
    feature = AWAITING_MERGE.get((method, route_shape(path)))
    if feature is not None:
        pytest.xfail(f"{method} {path} arrives with the {feature} branch")
    pytest.fail(f"{method} {path} is not served by the app, and this test needs it.")
