"""Request hooks applying `Idempotency-Key` to the routes that declare `@idempotent`
(API.md "Conventions"); the records and their rules are in `lifestyle_api.idempotency`."""

from __future__ import annotations

from flask import Flask, Response, current_app, g, request

from ..exceptions import InvalidInput
from ..fields import INVALID_TEXT, is_valid_text
from ..idempotency import (
    KEY_HEADER,
    MAX_KEY_LENGTH,
    REPLAYED_HEADER,
    REPLAYED_RESPONSE_HEADERS,
    Replay,
    claim,
    complete,
    fingerprint,
    release,
)
from ..identity import current_caller
from .routes import IDEMPOTENT, facts_of


def _claim_before_view() -> Response | None:
    current = request._get_current_object()
    view = current_app.view_functions.get(current.endpoint)
    if IDEMPOTENT not in facts_of(view, current.method):
        return None
    key = current.headers.get(KEY_HEADER)
    if key is None:
        return None
    if not 1 <= len(key) <= MAX_KEY_LENGTH:
        raise InvalidInput(
            details={KEY_HEADER: [f"Give between 1 and {MAX_KEY_LENGTH} characters."]}
        )
    if not is_valid_text(key):
        raise InvalidInput(details={KEY_HEADER: [INVALID_TEXT]})
    outcome = claim(
        current_caller().sub,
        key,
        fingerprint(current.method, current.path, current.get_data()),
    )
    if isinstance(outcome, Replay):
        response = current_app.response_class(
            outcome.body, status=outcome.status, mimetype="application/json"
        )
        response.headers.update(outcome.headers)
        response.headers[REPLAYED_HEADER] = "true"
        return response
    g.idempotency_claim = outcome
    return None


def _settle_after_view(response: Response) -> Response:
    record = g.pop("idempotency_claim", None)
    if record is None:
        return response
    if response.status_code < 400:
        headers = {
            name: response.headers[name]
            for name in REPLAYED_RESPONSE_HEADERS
            if name in response.headers
        }
        complete(record, response.status_code, response.get_data(as_text=True), headers)
    else:
        release(record)
    return response


def _release_after_crash(_exc: BaseException | None) -> None:
    record = g.pop("idempotency_claim", None)
    if record is not None:
        release(record)


def register_idempotency(app: Flask) -> None:
    """Install the hooks; call after the authentication hook (claims need the caller)."""
    app.before_request(_claim_before_view)
    app.after_request(_settle_after_view)
    app.teardown_request(_release_after_crash)
