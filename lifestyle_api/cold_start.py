"""What the Lambda entry point (`wsgi`) keeps out of a cold start: Jinja2.

Flask imports Jinja2 whether or not an app renders templates (`flask.templating` and
`flask.sansio.scaffold` import its loader and environment classes at module level), and
importing it is about a tenth of this app's init. A JSON API renders no template, so
`leave_out_template_engine()`, called by `wsgi` before anything imports Flask, puts a
stand-in `jinja2` module in `sys.modules`: it has the names Flask imports, and each refuses
to be used, saying why. A process where Flask is imported before `wsgi` (the tests, `flask
run`, `make run`) has the real Jinja2; so has any process that imported it first.

This module imports nothing but the standard library, and the package's `__init__` does not
import Flask, so that this can run first.
"""

from __future__ import annotations

import sys
import types
from typing import Any

# What Flask 3.1's modules import from Jinja2 (`flask.templating`, `flask.sansio.scaffold`).
FLASK_IMPORTS = ("BaseLoader", "Environment", "FileSystemLoader", "Template")
TEMPLATES_LEFT_OUT = (
    "Templates are not available in this process: the Lambda entry point (wsgi.py) keeps "
    "Jinja2 out of the cold start (lifestyle_api/cold_start.py). Import jinja2 before wsgi "
    "to render templates."
)


class TemplateEngineLeftOut:
    """Base of the stand-in's classes: building one raises, naming the reason."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError(TEMPLATES_LEFT_OUT)


class TemplateNotFound(Exception):
    """Jinja2's exception name, for `except` clauses that mention it."""


def leave_out_template_engine() -> bool:
    """Install the stand-in unless Flask or Jinja2 is already imported; whether it was."""
    if "flask" in sys.modules or "jinja2" in sys.modules:
        return False
    stand_in = types.ModuleType("jinja2", TEMPLATES_LEFT_OUT)
    for name in FLASK_IMPORTS:
        setattr(stand_in, name, type(name, (TemplateEngineLeftOut,), {"__module__": "jinja2"}))
    stand_in.TemplateNotFound = TemplateNotFound
    sys.modules["jinja2"] = stand_in
    return True


def template_engine_left_out() -> bool:
    """Whether this process runs with the stand-in rather than Jinja2."""
    module = sys.modules.get("jinja2")
    return module is not None and getattr(module, "__doc__", None) == TEMPLATES_LEFT_OUT
