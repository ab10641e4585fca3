"""The API reference page (`GET /docs`) and the ReDoc bundle it loads: public, served from
the files the package ships, pointing at the served OpenAPI document."""

from __future__ import annotations

import re

from lifestyle_api.reference.routes import STATIC


def test_the_reference_page_is_public_html_loading_only_our_own_files(client):
    response = client.get("/docs")

    assert response.status_code == 200
    assert response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert '<redoc spec-url="/openapi.json"' in page
    scripts = re.findall(r'<script src="([^"]+)"', page)
    assert scripts == ["/docs/redoc.standalone.js"]
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Request-Id"]


def test_the_redoc_bundle_is_served_from_the_package(client):
    response = client.get("/docs/redoc.standalone.js")

    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.get_data() == (STATIC / "redoc.standalone.js").read_bytes()
    assert response.get_data().startswith(b"/*! For license information please see")
    assert (STATIC / "redoc.standalone.js.LICENSE.txt").exists()
    assert "MIT License" in (STATIC / "redoc.LICENSE").read_text()


def test_the_reference_is_not_an_operation_of_the_document(client):
    paths = client.get("/openapi.json").json["paths"]

    assert not [path for path in paths if path.startswith("/docs")]


def test_other_methods_are_405(client):
    response = client.post("/docs")

    assert response.status_code == 405
    assert response.json["error"] == "Method Not Allowed"
