"""`cold_start`'s building blocks in this process, on throwaway modules: a deferred module
runs on the first use of one of its names (not on an import that finds it), once, and again
after a failed run; a stand-in forwards its names to the real module, which then takes its
place. The whole Lambda init is checked in a fresh interpreter by tests/lambda/test_init.py."""

from __future__ import annotations

import sys

import pytest

from lifestyle_api import cold_start


@pytest.fixture
def module_dir(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path
    for name in [name for name in sys.modules if name.startswith("coldmod")]:
        del sys.modules[name]


def _deferred(name: str):
    module = cold_start._deferred(cold_start._find_without_importing(name))
    sys.modules[name] = module
    return module


def test_a_deferred_module_runs_on_the_first_use_of_a_name_and_only_once(module_dir):
    (module_dir / "coldmod_counted.py").write_text("RUNS = []\nRUNS.append(1)\nVALUE = 42\n")
    module = _deferred("coldmod_counted")

    import coldmod_counted  # finds it in sys.modules: does not run it

    assert coldmod_counted is module
    assert type(module) is cold_start.DeferredModule
    assert module.__name__ == "coldmod_counted"
    assert not hasattr(module, "__path__")  # asked by the import system: not a use

    assert module.VALUE == 42
    assert type(module) is not cold_start.DeferredModule
    from coldmod_counted import RUNS

    assert RUNS == [1]


def test_a_deferred_module_that_fails_raises_on_use_and_runs_again_next_time(module_dir):
    (module_dir / "coldmod_failing.py").write_text(
        "import os\nif not os.environ.get('COLDMOD_READY'):\n    raise RuntimeError('not yet')\n"
        "VALUE = 7\n"
    )
    module = _deferred("coldmod_failing")

    with pytest.raises(RuntimeError, match="not yet"):
        _ = module.VALUE
    assert type(module) is cold_start.DeferredModule

    import os

    os.environ["COLDMOD_READY"] = "1"
    try:
        assert module.VALUE == 7
    finally:
        del os.environ["COLDMOD_READY"]


def test_a_submodule_is_found_without_running_its_package(module_dir):
    package = module_dir / "coldmod_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("raise RuntimeError('the package ran')\n")
    (package / "helpers.py").write_text("VALUE = 3\n")

    spec = cold_start._find_without_importing("coldmod_pkg.helpers")

    assert spec is not None
    assert spec.origin.endswith("helpers.py")
    assert "coldmod_pkg" not in sys.modules
    assert cold_start._find_without_importing("coldmod_missing.helpers") is None


def test_a_stand_in_forwards_its_names_and_gives_way_to_the_real_module(module_dir):
    package = module_dir / "coldmod_lib"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "server.py").write_text(
        "def serve(port):\n    return f'serving on {port}'\n\nclass Handler:\n    pass\n"
    )
    import coldmod_lib

    stand_in = cold_start._stand_in("coldmod_lib.server", "serve")
    sys.modules["coldmod_lib.server"] = stand_in
    serve = stand_in.serve  # what `from coldmod_lib.server import serve` binds

    assert serve.__name__ == "serve"
    assert not hasattr(stand_in, "__path__")  # asked by the import system: not a use
    assert sys.modules["coldmod_lib.server"] is stand_in

    class Request:
        # As werkzeug's request class holds its form parser: read through an instance,
        # the stand-in's name is not bound to it.
        serve_with = serve

    assert Request().serve_with(8000) == "serving on 8000"
    real = sys.modules["coldmod_lib.server"]
    assert real is not stand_in
    assert coldmod_lib.server is real
    assert stand_in.Handler is real.Handler  # any other name comes from the real module
