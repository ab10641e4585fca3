"""DESIGN.md's layering, checked on the import graph of `lifestyle_api` and
`migrations_scripts` (every import statement, deferred ones included):

- routes never touch DynamoDB: no `routes.py` imports PynamoDB, boto3, `db` or `models`;
- services never touch Flask: no module of a feature but its `routes.py` imports Flask,
  flask-smorest, webargs, werkzeug or the HTTP layer;
- `db/` imports nothing of Flask, the HTTP layer or any feature, and holds every key format;
- features import each other only through what a feature offers others (its services,
  its schemas, the goal's `shape` vocabulary and `progress` rules, which the summaries
  share on purpose: one implementation of "due" and streaks; the notifications' `delivery`,
  which the reminders pass sends through), never its `models` or other internals,
  except the read models noted in `READ_MODELS`;
- no module is over 400 lines.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "lifestyle_api"
FEATURES = (
    "health",
    "accounts",
    "profile",
    "goals",
    "activities",
    "meals",
    "metrics",
    "summaries",
    "coach",
    "sync",
    "notifications",
    "reminders",
)
WEB_FRAMEWORKS = ("flask", "flask_smorest", "webargs", "werkzeug", "apig_wsgi")
DYNAMODB = ("pynamodb", "boto3", "botocore")
# The summaries and the coach read every kind on a user's day in one Query of the day
# index, so they read those items as the models their features define.
READ_MODELS = {
    "summaries": {"activities", "goals", "meals", "metrics"},
    "coach": {"goals", "summaries"},
}
MAX_MODULE_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """Absolute names of every module `path` imports (relative imports resolved)."""
    package = module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    found: set[str] = set()
    for node in _runtime_nodes(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def _runtime_nodes(tree: ast.AST):
    """Every node but those under `if TYPE_CHECKING:` (type hints, never imported)."""
    for node in ast.iter_child_nodes(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            continue
        yield node
        yield from _runtime_nodes(node)


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def feature_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in FEATURES else None


def uses(names: set[str], prefixes: tuple[str, ...]) -> set[str]:
    return {n for n in names if n.split(".")[0] in prefixes or n.startswith(prefixes)}


@pytest.mark.parametrize(
    "path", [p for p in modules(PACKAGE) if p.name == "routes.py" and feature_of(module_name(p))]
)
def test_routes_never_touch_dynamodb(path):
    names = imports_of(path)
    assert not uses(names, DYNAMODB), path
    assert not {n for n in names if ".db" in n or n.endswith(".models") or ".models." in n}


@pytest.mark.parametrize(
    "path",
    [p for p in modules(PACKAGE) if feature_of(module_name(p)) and p.name != "routes.py"],
    ids=str,
)
def test_services_never_touch_flask(path):
    names = imports_of(path)
    assert not uses(names, WEB_FRAMEWORKS), path
    assert not uses(names, ("lifestyle_api.http", "lifestyle_api.identity")), path


@pytest.mark.parametrize("path", modules(PACKAGE / "db"), ids=str)
def test_db_imports_no_flask_no_http_and_no_feature(path):
    names = imports_of(path)
    assert not uses(names, WEB_FRAMEWORKS), path
    assert not uses(names, ("lifestyle_api.http", "lifestyle_api.identity")), path
    runtime_features = {feature_of(n) for n in names} - {None}
    assert not runtime_features, path


@pytest.mark.parametrize("path", modules(PACKAGE), ids=str)
def test_features_use_each_other_only_through_service_and_schemas(path):
    feature = feature_of(module_name(path))
    if feature is None:
        return
    for name in imports_of(path):
        other = feature_of(name)
        if other in (None, feature):
            continue
        part = name.split(".")[2] if len(name.split(".")) > 2 else ""
        allowed = {
            *("service", "schemas", "shape", "progress", "checkins", "export", "deletion"),
            "delivery",
        }
        if part == "models" and other in READ_MODELS.get(feature, set()):
            continue
        assert part in allowed or part == "", f"{path} imports {name}"


def test_every_key_format_is_written_in_db_keys():
    """A key prefix such as `GOAL#` is spelled out only in `db/keys.py`."""
    key_literal = re.compile(
        r"""["'](?:USER|GOAL|CHECKIN|ACTIVITY|MEAL|METRIC|SOURCE|DAY|"""
        r"""IDEMPOTENCY|COACH|STATUS|CHANGE|TOMBSTONE|DEVICE|NOTIFICATION|PUSH|LIMIT|ERASURE)#"""
    )
    offenders = [
        str(path.relative_to(ROOT))
        for folder in (PACKAGE, ROOT / "migrations_scripts")
        for path in modules(folder)
        if path != PACKAGE / "db" / "keys.py" and key_literal.search(path.read_text())
    ]
    assert offenders == []


@pytest.mark.parametrize(
    "path", [*modules(PACKAGE), *modules(ROOT / "migrations_scripts")], ids=str
)
def test_no_module_is_over_400_lines(path):
    assert len(path.read_text().splitlines()) <= MAX_MODULE_LINES, path


def test_the_checker_finds_a_violation():
    """The import reader resolves relative imports, so a violation is not missed."""
    route = PACKAGE / "goals" / "routes.py"
    assert "lifestyle_api.goals.service" in imports_of(route)
    assert "lifestyle_api.http.api.Blueprint" in imports_of(route)
    db_module = PACKAGE / "db" / "writes.py"
    assert "lifestyle_api.exceptions" in imports_of(db_module)
