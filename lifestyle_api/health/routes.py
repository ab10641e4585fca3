"""The public health check."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from .. import __version__
from ..http.api import Blueprint
from ..http.routes import public

blp = Blueprint("health", __name__, url_prefix="/health", description="Liveness.")


class HealthSchema(ma.Schema):
    status = ma.fields.String(required=True)
    version = ma.fields.String(required=True)


@blp.route("")
class Health(MethodView):
    @public
    @blp.doc(operationId="getHealth")
    @blp.response(200, HealthSchema)
    def get(self):
        """Check health

        Answers while the function can serve requests, with the API's version; touches no
        dependency."""
        return {"status": "ok", "version": __version__}
