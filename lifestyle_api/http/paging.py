"""List pages (API.md "Lists"): `paged` runs one query page and answers
`{"items", "nextCursor"}`, with opaque, tamper-proof cursors; `paged_list` does it for a
service's list function and the caller.

A cursor is DynamoDB's `LastEvaluatedKey`, HMAC-signed with `CURSOR_SECRET` together with
the caller and the query it belongs to. An edited cursor, one from another user or another
query, or garbage is an `InvalidInput` (400): never a 500, never someone else's data. The
sync feed signs its tokens the same way (`encode_cursor` / `decode_cursor` sign any JSON
object).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
from collections.abc import Mapping
from typing import Any

from flask import request

from ..exceptions import InvalidInput
from ..identity import current_caller
from .hooks import current_settings

PAGE_ARGUMENTS = frozenset({"cursor", "limit"})
CURSOR_MESSAGE = "The cursor is not valid for this list; start again without it."


def _b64encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _canonical(value: Any) -> bytes:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str).encode()


def _signature(secret: str, caller: str, query: Mapping[str, Any], payload: str) -> str:
    message = b"\n".join([caller.encode(), _canonical(query), payload.encode()])
    return _b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest())


def encode_cursor(
    last_evaluated_key: Mapping[str, Any] | None,
    *,
    secret: str,
    caller: str,
    query: Mapping[str, Any],
) -> str | None:
    """The `nextCursor` for a page; `None` when DynamoDB says there is no more."""
    if not last_evaluated_key:
        return None
    payload = _b64encode(_canonical(last_evaluated_key))
    return f"{payload}.{_signature(secret, caller, query, payload)}"


def decode_cursor(
    cursor: str | None,
    *,
    secret: str,
    caller: str,
    query: Mapping[str, Any],
    parameter: str = "cursor",
    message: str = CURSOR_MESSAGE,
) -> dict[str, Any] | None:
    """The `ExclusiveStartKey` a cursor stands for, after checking its signature; an
    `InvalidInput` naming `parameter` when it is not one of ours for this caller and query."""
    if cursor is None:
        return None
    invalid = InvalidInput(details={parameter: [message]})
    payload, dot, signature = cursor.partition(".")
    if not dot or not payload or not signature:
        raise invalid
    expected = _signature(secret, caller, query, payload)
    # Bytes: compare_digest refuses non-ASCII str, and a cursor may hold anything.
    if not hmac.compare_digest(expected.encode(), signature.encode()):
        raise invalid
    try:
        key = json.loads(_b64decode(payload))
    except (ValueError, binascii.Error) as exc:
        raise invalid from exc
    if not isinstance(key, dict):
        raise invalid
    return key


def paged(fetch, *, caller: str, args: dict[str, Any]) -> dict[str, Any]:
    """Run one list query page and answer `{"items", "nextCursor"}`.

    `fetch(start_key, limit)` returns `(items, last_evaluated_key)`. The cursor is bound to
    the caller, the route and every filter in `args`, so it cannot be replayed elsewhere.
    """
    secret = current_settings().cursor_secret
    query = {
        "endpoint": request.endpoint,
        "view_args": request.view_args or {},
        "filters": list_filters(args),
    }
    start_key = decode_cursor(args.get("cursor"), secret=secret, caller=caller, query=query)
    items, last_key = fetch(start_key=start_key, limit=args["limit"])
    return {
        "items": items,
        "nextCursor": encode_cursor(last_key, secret=secret, caller=caller, query=query),
    }


def list_filters(args: Mapping[str, Any]) -> dict[str, Any]:
    """A list's query arguments but the page's own (`limit`, `cursor`)."""
    return {name: value for name, value in args.items() if name not in PAGE_ARGUMENTS}


def paged_list(list_page, args: dict[str, Any], *path_args: str) -> dict[str, Any]:
    """`paged` over a service's list function for the caller:
    `list_page(sub, *path_args, limit=…, start_key=…, **filters)`, the filters being the
    list's query arguments, named as the service's parameters."""
    sub = current_caller().sub
    filters = list_filters(args)
    return paged(
        lambda start_key, limit: list_page(
            sub, *path_args, limit=limit, start_key=start_key, **filters
        ),
        caller=sub,
        args=args,
    )
