"""The overrides of private framework methods (`lifestyle_api.http.framework`) were checked
against the versions in `MIRRORED_VERSIONS`; another installed version fails here, so an
upgrade means re-reading the mirrored functions first."""

from __future__ import annotations

import inspect
from importlib.metadata import version

import flask_smorest
import pytest
from flask_smorest.spec import APISpecMixin
from webargs.flaskparser import FlaskParser
from werkzeug.routing import Rule

from lifestyle_api.http import framework
from lifestyle_api.http.framework import MIRRORED_VERSIONS


@pytest.mark.parametrize("distribution", sorted(MIRRORED_VERSIONS))
def test_installed_version_is_the_one_the_overrides_mirror(distribution):
    assert version(distribution) == MIRRORED_VERSIONS[distribution], (
        f"{distribution} is now {version(distribution)}: re-read the upstream functions named "
        "in lifestyle_api/http/framework.py, adapt the overrides, then update MIRRORED_VERSIONS"
    )


@pytest.mark.parametrize(
    ("upstream", "name"),
    [
        (FlaskParser, "_raw_load_json"),
        (flask_smorest.Blueprint, "_store_endpoint_docs"),
        (Rule, "_compile_builder"),
        (APISpecMixin, "_init_spec"),
        (flask_smorest.Api, "register_blueprint"),
    ],
)
def test_every_overridden_method_still_exists_upstream_and_is_named(upstream, name):
    assert callable(getattr(upstream, name, None)), f"{upstream.__name__}.{name} is gone"
    assert name in inspect.getsource(framework)


def test_no_other_module_overrides_a_private_framework_method():
    """Private overrides live in `framework` only: the other HTTP modules define no method
    whose name starts with one underscore on a class deriving from a framework class."""
    from lifestyle_api.http import api, conditional, converters, envelope, hooks, paging

    for module in (api, conditional, converters, envelope, hooks, paging):
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            private = [
                attribute
                for attribute, value in vars(cls).items()
                if inspect.isfunction(value)
                and attribute.startswith("_")
                and not attribute.startswith("__")
            ]
            assert private == [], f"{cls.__qualname__} overrides {private}"


def test_schema_instances_are_copied_by_reference_and_still_work():
    """flask-smorest deep-copies route documentation at every decorator; the schema
    instances in it are shared rather than copied (`copy_schemas_by_reference`)."""
    import copy

    import lifestyle_api.http.api  # noqa: F401 (applies it before any route is declared)
    from lifestyle_api.goals.schemas import GoalCreateSchema

    schema = GoalCreateSchema()
    documentation = {"response": {"schema": schema}}
    copied = copy.deepcopy(documentation)
    assert copied is not documentation
    assert copied["response"]["schema"] is schema
    assert schema.load({"title": "Walk", "category": "fitness"})["title"] == "Walk"
