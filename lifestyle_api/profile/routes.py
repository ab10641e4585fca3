"""Profile routes: `GET|PATCH|DELETE /me` and `GET /me/export`. HTTP only; the profile's
rules live in `service.py`, the account's (Cognito, export, deletion) in `accounts/`."""

from __future__ import annotations

from flask import jsonify
from flask.views import MethodView

from ..accounts import deletion, export
from ..accounts import service as accounts
from ..accounts.schemas import ExportArgs, ExportPageSchema
from ..http.api import Blueprint
from ..http.conditional import if_match_version, with_etag
from ..http.hooks import current_settings
from ..http.paging import paged
from ..identity import current_caller
from . import service
from .schemas import ProfileSchema, ProfileUpdateSchema

blp = Blueprint(
    "profile", __name__, url_prefix="/me", description="The caller's profile and account."
)


def _cognito_attributes():
    """Reads the caller's Cognito attributes, when a new profile needs its email."""
    settings = current_settings()
    token = current_caller().access_token
    return lambda: accounts.user_attributes(settings, token)


@blp.route("")
class Me(MethodView):
    @blp.reads("getProfile", ProfileSchema)
    def get(self):
        """Get the profile

        The caller's profile, with its version as `ETag`. The first call creates it (the
        email comes from Cognito). After the account is deleted, a token issued before the
        deletion gets a 401."""
        return with_etag(service.get_profile(current_caller().sub, _cognito_attributes()))

    @blp.updates("updateProfile", ProfileUpdateSchema, ProfileSchema)
    @blp.alt_response(412, response="PRECONDITION_FAILED", description="If-Match mismatch.")
    def patch(self, changes):
        """Update the profile

        Changes the name, timezone, unit system or daily targets sent and keeps the rest. In
        `dailyTargets`, absent targets stay and `null` clears one. `If-Match: "<version>"`
        makes the change conditional (412 when it is stale)."""
        return with_etag(
            service.update_profile(
                current_caller().sub, changes, _cognito_attributes(), if_match=if_match_version()
            )
        )

    @blp.deletes("deleteAccount")
    @blp.alt_response(412, response="PRECONDITION_FAILED", description="If-Match mismatch.")
    def delete(self):
        """Delete the account

        Removes every item of the caller, then the Cognito user. From the 204 on, tokens
        issued before it are refused (`GET /me` is a 401), and whatever they still write is
        removed once they have expired. A deletion that failed half way (503) is finished by
        the same request again, with or without its `If-Match`."""
        caller = current_caller()
        settings = current_settings()
        deletion.delete_account(
            caller.sub,
            settings,
            lambda username: accounts.delete_user(settings, username),
            cognito_username=str(caller.claims.get("username") or caller.sub),
            if_match=if_match_version(),
        )


@blp.route("/export")
class Export(MethodView):
    @blp.operation("exportProfile", 200, ExportPageSchema, query=ExportArgs)
    def get(self, **args):
        """Export all data

        Everything the caller has, grouped by kind, in pages of at most 1,000 items or
        4 MB; `profile` is in every page. Follow `nextCursor` until it is null."""
        sub = current_caller().sub
        page = paged(
            lambda start_key, limit: export.export_page(sub, start_key=start_key, limit=limit),
            caller=sub,
            args={**args, "limit": export.EXPORT_PAGE_ITEMS},
        )
        # The service has already written each item as JSON (it measures the page's size),
        # so the body is sent as it is; the schema above documents it.
        return jsonify({**page["items"], "nextCursor": page["nextCursor"]})
