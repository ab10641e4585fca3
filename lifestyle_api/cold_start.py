"""What the Lambda entry point (`wsgi`) keeps out of a cold start: modules that Flask,
werkzeug and Powertools import whether or not an app uses them, and that a JSON API on
Lambda does not use.

`leave_out_unused_modules()`, called by `wsgi` before anything imports Flask, puts a
stand-in for each in `sys.modules`:

- **Jinja2.** Flask imports it at module level (`flask.templating`, `flask.sansio.scaffold`);
  a JSON API renders no template. The stand-in has the names Flask imports, and each refuses
  to be used, saying why.
- **werkzeug's development server, test client and form parser** (`werkzeug.serving`,
  `werkzeug.test` and `werkzeug.formparser`, with `http.server`, `socketserver` and the
  multipart parser under them; the API reads JSON bodies only, and answers any other with
  a 415 before reading it). werkzeug's package imports `run_simple` and `Client`, its
  request class the form parser's two names, Flask `is_running_from_reloader`: those names
  stand in, and the first call of one imports the real module. Once werkzeug's package is
  imported, the test client's stand-in is taken out again, so `app.test_client()` imports
  the real one.
- **Modules imported whole for a path this app never takes**: Powertools' JMESPath helpers
  (the logger uses them only for a `correlation_id_path`), difflib (werkzeug's suggestions
  for a URL that cannot be built) and pkgutil (werkzeug's `find_modules`). Each is a
  `DeferredModule`: the module itself, executed on the first access of a name it does not
  have yet.

Together they are some 9 ms of this app's init (`make bench`). A process where
Flask or werkzeug is imported before `wsgi` (the tests, `flask run`, `make run`) has the
real modules; so has any process that imported one of them first.

This module imports nothing but the standard library, and the package's `__init__` does not
import Flask, so that this can run first.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import threading
import types
from importlib.machinery import ModuleSpec, PathFinder
from typing import Any

# What Flask 3.1's modules import from Jinja2 (`flask.templating`, `flask.sansio.scaffold`).
FLASK_IMPORTS = ("BaseLoader", "Environment", "FileSystemLoader", "Template")
TEMPLATES_LEFT_OUT = (
    "Templates are not available in this process: the Lambda entry point (wsgi.py) keeps "
    "Jinja2 out of the cold start (lifestyle_api/cold_start.py). Import jinja2 before wsgi "
    "to render templates."
)
# werkzeug 3.1's development server, test client and form parser, each with the names that
# werkzeug's package and request class and Flask 3.1 import from it.
SERVING = "werkzeug.serving"
TEST_CLIENT = "werkzeug.test"
FORM_PARSER = "werkzeug.formparser"
STAND_INS = {
    SERVING: ("run_simple", "is_running_from_reloader"),
    TEST_CLIENT: ("Client",),
    FORM_PARSER: ("default_stream_factory", "FormDataParser"),
}
# Imported as modules (`import difflib`) and used only on paths this app does not take.
DEFERRED_MODULES = ("aws_lambda_powertools.utilities.jmespath_utils", "difflib", "pkgutil")

# Re-entrant: importing a real module may run a deferred one.
_loading = threading.RLock()


class TemplateEngineLeftOut:
    """Base of the stand-in's classes: building one raises, naming the reason."""

    def __init__(self, *_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError(TEMPLATES_LEFT_OUT)


class TemplateNotFound(Exception):
    """Jinja2's exception name, for `except` clauses that mention it."""


class DeferredModule(types.ModuleType):
    """A module whose code runs on the first access of a name it does not have yet.

    Unlike `importlib.util.LazyLoader`, whose modules run on any attribute access, this one
    answers `__spec__`, `__name__` and the like itself, so an `import` statement that finds
    it in `sys.modules` does not run it.
    """

    def __getattr__(self, name: str) -> Any:
        if _is_dunder(name):  # `__path__` and the like: asked by the import system
            raise AttributeError(name)
        with _loading:
            if type(self) is DeferredModule:
                self.__class__ = types.ModuleType
                try:
                    self.__spec__.loader.exec_module(self)
                except BaseException:
                    self.__class__ = DeferredModule  # the next use tries again
                    raise
        return getattr(self, name)


def leave_out_unused_modules() -> bool:
    """Install the stand-ins unless Flask, werkzeug or Jinja2 is already imported; whether
    they were."""
    if any(name in sys.modules for name in ("flask", "werkzeug", "jinja2")):
        return False
    sys.modules["jinja2"] = _template_engine_stand_in()
    for name in DEFERRED_MODULES:
        if name not in sys.modules:
            spec = _find_without_importing(name)
            if spec is not None:
                sys.modules[name] = _deferred(spec)
    _leave_out_werkzeug_extras()  # imports werkzeug, which imports pkgutil
    return True


def template_engine_left_out() -> bool:
    """Whether this process runs with the stand-in rather than Jinja2."""
    module = sys.modules.get("jinja2")
    return module is not None and getattr(module, "__doc__", None) == TEMPLATES_LEFT_OUT


def _template_engine_stand_in() -> types.ModuleType:
    stand_in = types.ModuleType("jinja2", TEMPLATES_LEFT_OUT)
    for name in FLASK_IMPORTS:
        setattr(stand_in, name, type(name, (TemplateEngineLeftOut,), {"__module__": "jinja2"}))
    stand_in.TemplateNotFound = TemplateNotFound
    return stand_in


def _leave_out_werkzeug_extras() -> None:
    stand_ins = {name: _stand_in(name, *names) for name, names in STAND_INS.items()}
    sys.modules.update(stand_ins)
    werkzeug = importlib.import_module("werkzeug")
    for name, stand_in in stand_ins.items():
        # `import werkzeug.serving` reads the package's attribute.
        setattr(werkzeug, name.rpartition(".")[2], stand_in)
    # The package holds `Client` now; the module goes, so that `from werkzeug.test import
    # Client` (Flask's test client subclasses it) imports the real one.
    del sys.modules[TEST_CLIENT]
    del werkzeug.test


def _stand_in(name: str, *names: str) -> types.ModuleType:
    """A module holding `names`, each calling the real module's on use, and giving any
    other name from the real module, which it imports then and puts in its place."""
    stand_in = types.ModuleType(name, f"Stands in for {name} until it is used (cold_start).")
    for attribute in names:
        setattr(stand_in, attribute, Forwarding(name, attribute))

    def real_attribute(attribute: str) -> Any:
        if _is_dunder(attribute):  # `__path__` and the like: asked by the import system
            raise AttributeError(attribute)
        return getattr(_real(name), attribute)

    stand_in.__getattr__ = real_attribute
    return stand_in


def _is_dunder(name: str) -> bool:
    return name.startswith("__") and name.endswith("__")


class Forwarding:
    """A stand-in's name: calling it calls the real module's. An object, not a function,
    so that held as a class attribute (werkzeug's `Request.form_data_parser_class`) it is
    not bound to the instance it is read from."""

    def __init__(self, module: str, name: str) -> None:
        self.__module__, self.__name__, self.__qualname__ = module, name, name

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return getattr(_real(self.__module__), self.__name__)(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<{self.__module__}.{self.__name__}, imported on first call>"


def _real(name: str) -> types.ModuleType:
    """The real module `name`, imported in place of its stand-in on first use."""
    with _loading:
        module = sys.modules.get(name)
        if module is None or module.__spec__ is None:
            sys.modules.pop(name, None)
            module = importlib.import_module(name)  # and the parent package's attribute
        return module


def _find_without_importing(name: str) -> ModuleSpec | None:
    """`name`'s spec, found from `sys.path` without running its parent packages (which
    may import it)."""
    parts = name.split(".")
    spec = PathFinder.find_spec(parts[0])
    for depth in range(2, len(parts) + 1):
        if spec is None or spec.submodule_search_locations is None:
            return None
        spec = PathFinder.find_spec(".".join(parts[:depth]), spec.submodule_search_locations)
    return spec


def _deferred(spec: ModuleSpec) -> types.ModuleType:
    module = importlib.util.module_from_spec(spec)
    module.__class__ = DeferredModule
    return module
