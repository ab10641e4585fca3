"""TypeScript types generated from the served document with openapi-typescript, as a web
team would generate them, type-check (`tsc --strict`) a client written against them
(tests/contract/typescript/client.ts), whose deliberate mistakes must be type errors. The
types are generated into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.contract.conftest import node_tool, run_tool

pytestmark = pytest.mark.slow

CLIENT = Path(__file__).parent / "typescript" / "client.ts"
# As the README tells client teams. openapi-typescript makes a property with a `default`
# required, even in a request body, where the default is what the server assumes when the
# client leaves the field out.
GENERATE_OPTIONS = ("--default-non-nullable", "false")


@pytest.fixture(scope="module")
def types_folder(document_file, tmp_path_factory) -> Path:
    """A folder holding the generated `api.d.ts`, where the test clients are checked."""
    folder = tmp_path_factory.mktemp("typescript")
    types = folder / "api.d.ts"
    # Run in a folder of its own, as in a client team's repository: in tools/openapi it would
    # read our redocly.yaml.
    generated = run_tool(
        node_tool("openapi-typescript"),
        str(document_file),
        *GENERATE_OPTIONS,
        "-o",
        str(types),
        cwd=folder,
    )
    assert generated.returncode == 0, generated.stdout + generated.stderr
    return folder


def test_generated_types_type_check_a_client_strictly(types_folder):
    shutil.copy(CLIENT, types_folder / CLIENT.name)

    checked = run_tool(
        node_tool("tsc"),
        "--strict",
        "--noEmit",
        "--target",
        "ES2022",
        "--module",
        "ES2022",
        "--moduleResolution",
        "bundler",
        "--lib",
        "ES2022,DOM",
        str(types_folder / CLIENT.name),
        cwd=types_folder,
    )

    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "goalId: string;" in (types_folder / "api.d.ts").read_text()


def test_a_mistake_against_the_types_is_caught(types_folder):
    """The check above means something: a field the server does not send is an error."""
    wrong = types_folder / "wrong.ts"
    wrong.write_text(
        'import type { components } from "./api";\n'
        'export const x = (g: components["schemas"]["Goal"]): string => g.colour;\n'
    )

    checked = run_tool(
        node_tool("tsc"), "--strict", "--noEmit", "--moduleResolution", "bundler",
        "--module", "ES2022", str(wrong), cwd=types_folder,
    )  # fmt: skip

    assert checked.returncode != 0
    assert "Property 'colour' does not exist" in checked.stdout
