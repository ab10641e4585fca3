"""The API reference at `/docs`, opened in a real browser (headless Chromium, driven by
playwright-core) from the API as `make run` serves it: every operation's summary is
rendered, from files the app ships, with nothing fetched from anywhere else. The screenshot
is kept as test-output/docs.png.

Without a Chromium that runs, this test fails and says why: `make test` installs Debian's
`chromium` when it is missing (`make browser`); CHROMIUM may name another Chromium-based
browser."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from tests.contract.conftest import TOOLS, require_node_package, run_tool

pytestmark = pytest.mark.slow

RENDER_SCRIPT = TOOLS / "render-reference.mjs"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# ReDoc's sidebar links its logo from its CDN; the page's Content-Security-Policy blocks it.
BLOCKED_BY_POLICY = "violates the following Content Security Policy directive"


def chromium() -> str:
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium")
    if not executable:
        pytest.fail(
            "Chromium is not installed, so the reference page cannot be checked in a browser: "
            "run `make browser` (Debian's chromium, through apt-get as root) or set CHROMIUM "
            "to a Chromium-based browser."
        )
    return executable


def test_every_operation_is_rendered_in_a_browser(local_api, document, output_dir):
    require_node_package("playwright-core")
    screenshot = output_dir / "docs.png"
    screenshot.unlink(missing_ok=True)

    page_url = f"{local_api.url}/docs"
    result = run_tool("node", str(RENDER_SCRIPT), page_url, str(screenshot), chromium())

    if result.returncode != 0:
        pytest.fail(f"Chromium could not render /docs:\n{result.stdout}\n{result.stderr}")
    page = json.loads(result.stdout)
    assert page["status"] == 200
    assert page["title"] == "Lifestyle API reference"
    summaries = [
        operation["summary"]
        for item in document["paths"].values()
        for operation in item.values()
        if isinstance(operation, dict) and "summary" in operation
    ]
    assert len(summaries) == 49
    missing = [summary for summary in summaries if summary not in page["headings"]]
    assert not missing, f"not rendered: {missing}"
    assert {tag["name"] for tag in document["tags"]} <= set(page["menu"])

    same_origin = (local_api.url, f"blob:{local_api.url}")
    assert all(url.startswith(same_origin) for url in page["answered"]), page["answered"]
    assert f"{local_api.url}/docs/redoc.standalone.js" in page["answered"]
    assert f"{local_api.url}/openapi.json" in page["answered"]
    assert all(not url.startswith(same_origin) for url in page["failed"]), page["failed"]
    assert all(BLOCKED_BY_POLICY in error for error in page["consoleErrors"]), page["consoleErrors"]

    image = screenshot.read_bytes()
    assert image.startswith(PNG_SIGNATURE)
    assert len(image) > 20_000  # a rendered page, not a blank one
