"""`GET /docs` (the page) and `GET /docs/redoc.standalone.js` (ReDoc's standalone bundle, from
its npm package; `make reference-assets` refreshes it). Both are `@public` and outside the
OpenAPI document, as `/openapi.json` is.

The page may load only what the API serves itself (its Content-Security-Policy says so): it
works offline, and ReDoc's own links to its CDN are never fetched.
"""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, send_from_directory

from ..http.routes import public

STATIC = Path(__file__).parent / "static"
PAGE = "docs.html"
REDOC_BUNDLE = "redoc.standalone.js"
# ReDoc styles with inline <style> elements and runs its search in a blob: worker.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
)

blp = Blueprint("reference", __name__)


@blp.get("/docs")
@public
def docs_page() -> Response:
    response = send_from_directory(STATIC, PAGE, mimetype="text/html")
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
    return response


@blp.get(f"/docs/{REDOC_BUNDLE}")
@public
def redoc_bundle() -> Response:
    return send_from_directory(STATIC, REDOC_BUNDLE, mimetype="text/javascript")
