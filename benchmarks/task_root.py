"""A directory laid out like the image's task root, for the cold-init benchmark.

The Dockerfile installs the lock's wheels with `pip --target`, copies `wsgi.py` and the
package next to them and compiles everything with unchecked-hash bytecode; this does the
same into `build/bench/`. The locked dependencies are installed and compiled once per lock
(their directory is named by the lock's hash) and hard-linked into a fresh task root with
the current app on every run, so a cold probe imports exactly what a Lambda container
would: no development-only package is on its path.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "requirements" / "lock.txt"
BUILD = ROOT / "build" / "bench"


def _compile(*paths: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            *("-m", "compileall", "-q", "-j", "0"),
            *("--invalidation-mode", "unchecked-hash"),
            *map(str, paths),
        ],
        check=True,
        timeout=900,
    )


def locked_dependencies() -> Path:
    """The lock installed and compiled as the image has it; built once per lock and
    interpreter (wheels and bytecode are the interpreter's: run with the image's Python to
    measure what the image loads)."""
    digest = hashlib.sha256(LOCK.read_bytes()).hexdigest()[:16]
    target = BUILD / f"deps-{sys.implementation.cache_tag}-{digest}"
    if target.is_dir():
        return target
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    subprocess.run(
        [
            sys.executable,
            *("-m", "pip", "install", "--quiet", "--disable-pip-version-check"),
            *("--no-deps", "--require-hashes", "--only-binary=:all:", "--no-compile"),
            *("--target", str(partial), "-r", str(LOCK)),
        ],
        check=True,
        timeout=900,
    )
    _compile(partial)
    partial.rename(target)
    for stale in BUILD.glob(f"deps-{sys.implementation.cache_tag}-*"):
        if stale != target and not stale.name.endswith(".partial"):
            shutil.rmtree(stale, ignore_errors=True)
    return target


def build(source: Path = ROOT, name: str = "task-root") -> Path:
    """A fresh task root `build/bench/<name>`: the locked dependencies (hard links) plus the
    app from `source` (a checkout: this one, or another commit's to compare with), compiled."""
    dependencies = locked_dependencies()
    task_root = BUILD / name
    shutil.rmtree(task_root, ignore_errors=True)
    shutil.copytree(dependencies, task_root, copy_function=_link_or_copy)
    shutil.copy2(source / "wsgi.py", task_root / "wsgi.py")
    shutil.copytree(
        source / "lifestyle_api",
        task_root / "lifestyle_api",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    _compile(task_root / "wsgi.py", task_root / "lifestyle_api")
    return task_root


def _link_or_copy(source: str, destination: str) -> None:
    try:
        os.link(source, destination)
    except OSError:  # another filesystem
        shutil.copy2(source, destination)
