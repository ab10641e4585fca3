"""Reading the repository's infrastructure in tests: Terraform parsed with python-hcl2, the
Flask URL map and Terraform's routes as comparable (method, path) pairs, and the offline
checkers that `make infra-tools` installs into their own virtualenv."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import hcl2
import pytest
from flask import Flask

REPO_ROOT = Path(__file__).resolve().parents[2]
TERRAFORM_DIR = REPO_ROOT / "terraform"
WORKFLOWS_DIR = REPO_ROOT / ".github" / "workflows"
INFRA_VENV = Path(os.environ.get("INFRA_VENV", REPO_ROOT / ".venv-infra"))
HCL_SUFFIXES = (".tf", ".tfvars", ".tfbackend")

# Literal strings come out unquoted; expressions stay "${...}".
_HCL_OPTIONS = hcl2.SerializationOptions(
    with_comments=False, explicit_blocks=False, strip_string_quotes=True
)


def parse_hcl(text: str) -> dict[str, Any]:
    return hcl2.loads(text, serialization_options=_HCL_OPTIONS)


@cache
def _parse_file(path: Path, modified_ns: int) -> dict[str, Any]:
    return parse_hcl(path.read_text())


def parse_hcl_file(path: Path) -> dict[str, Any]:
    """A parsed file, parsed once per test session (treat it as read-only)."""
    return _parse_file(path, path.stat().st_mtime_ns)


def hcl_files(root: Path = TERRAFORM_DIR) -> list[Path]:
    """Every Terraform file under `root` (configuration, tfvars, backend configuration)."""
    return sorted(
        path
        for path in root.rglob("*")
        if path.suffix in HCL_SUFFIXES and ".terraform" not in path.parts
    )


@dataclass
class TerraformModule:
    """The blocks of one Terraform root module, merged across its files."""

    resources: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    data: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    locals: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, parsed: Mapping[str, Any]) -> None:
        for kind, target in (("resource", self.resources), ("data", self.data)):
            for block in parsed.get(kind, []):
                for type_, named in block.items():
                    for name, body in named.items():
                        target.setdefault(type_, {})[name] = body
        for block in parsed.get("locals", []):
            self.locals.update(block)
        for block in parsed.get("variable", []):
            self.variables.update(block)
        for block in parsed.get("output", []):
            self.outputs.update(block)

    def resources_of(self, type_: str) -> dict[str, dict[str, Any]]:
        return self.resources.get(type_, {})

    def resource(self, type_: str, name: str) -> dict[str, Any]:
        return self.resources_of(type_)[name]


def load_module(directory: Path = TERRAFORM_DIR) -> TerraformModule:
    module = TerraformModule()
    for path in sorted(directory.glob("*.tf")):
        module.add(parse_hcl_file(path))
    return module


def load_tfvars(path: Path) -> dict[str, Any]:
    return parse_hcl_file(path)


# ---- routes -------------------------------------------------------------------------------

Route = tuple[str, str]
_PATH_PARAMETER = re.compile(r"<[^<>]+>|\{[^{}]+\}")
IGNORED_METHODS = frozenset({"HEAD", "OPTIONS"})
# flask-smorest's documentation blueprint: only the OpenAPI document is one of our routes.
_DOCS_BLUEPRINT = "api-docs"
_DOCS_ROUTES = frozenset({"/openapi.json"})


def normalize_path(path: str) -> str:
    """Path parameters compared by position: `/goals/<ulid:goal_id>` ≡ `/goals/{goalId}`."""
    path = path.rstrip("/") or "/"
    return _PATH_PARAMETER.sub("{}", path)


def normalize_routes(routes: Iterable[Route]) -> set[Route]:
    return {(method.upper(), normalize_path(path)) for method, path in routes}


def app_routes(app: Flask) -> set[Route]:
    """The (method, path) pairs the Flask app answers, without HEAD/OPTIONS and internals."""
    routes: set[Route] = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        blueprint = rule.endpoint.partition(".")[0] if "." in rule.endpoint else None
        if blueprint == _DOCS_BLUEPRINT and rule.rule not in _DOCS_ROUTES:
            continue
        for method in (rule.methods or set()) - IGNORED_METHODS:
            routes.add((method, normalize_path(rule.rule)))
    return routes


@dataclass(frozen=True)
class TerraformRoute:
    resource: str
    route_key: str
    authorization_type: str
    authorizer_id: str | None
    target: str | None


def terraform_routes(module: TerraformModule) -> dict[Route, TerraformRoute]:
    """Terraform's `aws_apigatewayv2_route`s by normalized (method, path); duplicates fail."""
    routes: dict[Route, TerraformRoute] = {}
    for name, body in module.resources_of("aws_apigatewayv2_route").items():
        route_key = body["route_key"]
        method, _, path = route_key.partition(" ")
        key = (method.upper(), normalize_path(path))
        assert key not in routes, f"{route_key} is declared twice ({routes[key].resource}, {name})"
        routes[key] = TerraformRoute(
            resource=name,
            route_key=route_key,
            authorization_type=body.get("authorization_type", "NONE"),
            authorizer_id=body.get("authorizer_id"),
            target=body.get("target"),
        )
    return routes


@dataclass(frozen=True)
class RouteDifference:
    only_in_app: set[Route]
    only_in_terraform: set[Route]

    @property
    def empty(self) -> bool:
        return not self.only_in_app and not self.only_in_terraform

    def explain(self) -> str:
        lines = [
            f"  app only, add to terraform/routes.tf: {m} {p}" for m, p in sorted(self.only_in_app)
        ]
        lines += [
            f"  terraform only, no such app route: {m} {p}"
            for m, p in sorted(self.only_in_terraform)
        ]
        return "\n".join(lines)


def compare_routes(app: Iterable[Route], terraform: Iterable[Route]) -> RouteDifference:
    app_set, terraform_set = normalize_routes(app), normalize_routes(terraform)
    return RouteDifference(app_set - terraform_set, terraform_set - app_set)


# ---- offline checkers ---------------------------------------------------------------------


def infra_tool(name: str) -> Path:
    """A checker from .venv-infra; its absence is a failure, not a skip."""
    path = INFRA_VENV / "bin" / name
    if not path.exists():
        pytest.fail(f"{name} is not installed in {INFRA_VENV.name}: run `make infra-tools`.")
    return path


def run_tool(name: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run a checker from the repository root, offline: no update checks, no telemetry."""
    env = {
        **os.environ,
        "BC_SKIP_MAPPING": "TRUE",
        "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false",
        "NO_COLOR": "1",
    }
    return subprocess.run(
        [str(infra_tool(name)), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
