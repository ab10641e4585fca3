"""`GET /sync`: HTTP only; the feed's rules live in `service.py`.

A token is the position of `service.Position`, signed with the cursor secret and bound to
the caller and to this feed (`http.paging`), so an edited, foreign or garbage token is a
400 and never another user's data.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from ..http.api import Blueprint
from ..http.hooks import current_settings
from ..http.paging import decode_cursor, encode_cursor
from ..identity import current_caller
from . import service
from .schemas import SyncArgs, SyncPageSchema, document_changes

blp = Blueprint(
    "sync",
    __name__,
    url_prefix="/sync",
    description="The change feed of offline-first clients: every change, oldest first.",
)
blp.document_with(
    lambda api: document_changes(api.spec, api.ma_plugin.converter.resolve_nested_schema)
)

# What a token is bound to besides the caller: this feed, never a list's cursor.
TOKEN_SCOPE = {"feed": "sync"}


@blp.route("")
class Sync(MethodView):
    @blp.doc(operationId="listChanges")
    @blp.arguments(SyncArgs, location="query", as_kwargs=True)
    @blp.response(200, SyncPageSchema)
    @blp.alt_response(
        400,
        response="BAD_REQUEST",
        description="`since` is not a token of this feed for the caller (edited, another "
        "user's, garbage), or `limit` is out of range.",
    )
    @blp.alt_response(
        410,
        response="GONE",
        description="`since` is older than the deletes the feed keeps (30 days): start over "
        'without it. `details` is `{"resync": true}`.',
    )
    def get(self, **args):
        """List changes

        The caller's changes after `since`, oldest first: upserts with each item as its
        `GET` answers it, and deletes (kept at least 30 days). Without `since`, every live
        item once, as upserts (the initial download).

        Store `next` after applying each page and resume from it after a crash: no change is
        ever skipped, whatever the writers do. The last few seconds are held back until they
        settle, so `hasMore: false` means nothing more has settled yet; poll again from
        `next`. A client applies an upsert whose `version` is newer than the one it holds,
        and every delete. A `since` that is not a token of this feed for the caller is a
        400; one older than the deletes the feed keeps is a 410 (`details` is
        `{"resync": true}`): start over without it."""
        sub = current_caller().sub
        secret = current_settings().cursor_secret
        payload = decode_cursor(
            args.get("since"),
            secret=secret,
            caller=sub,
            query=TOKEN_SCOPE,
            parameter="since",
            message=service.SINCE_ERROR,
        )
        position = service.Position.from_payload(payload) if payload is not None else None
        page = service.changes_page(sub, position, limit=args["limit"])
        token = encode_cursor(page.next.payload(), secret=secret, caller=sub, query=TOKEN_SCOPE)
        body: dict[str, Any] = {"changes": page.changes, "next": token, "has_more": page.has_more}
        return body
