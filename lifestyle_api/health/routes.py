"""The public health check."""

from __future__ import annotations

import marshmallow as ma
from flask.views import MethodView

from .. import __version__
from ..base_schemas import ResponseSchema
from ..http.api import Blueprint
from ..http.routes import public

blp = Blueprint("health", __name__, url_prefix="/health", description="Liveness.")


class HealthSchema(ResponseSchema):
    status = ma.fields.String()
    version = ma.fields.String()


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
