"""dynalite, a DynamoDB emulator on an ordered key-value store, in its own process on loopback.

moto answers a Query by walking every item of the partition, so its latency grows with a
user's history where DynamoDB's does not (DynamoDB reads only the key range asked for).
dynalite keeps items sorted by key and reads ranges, as DynamoDB does, so the scaling
benchmark runs end to end on it too. It needs Node.js and npm; the version is locked in
`benchmarks/dynalite/package-lock.json` and installed once into `build/bench/dynalite`.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from .emulator import LoopbackServer
from .task_root import BUILD

PACKAGE = Path(__file__).resolve().parent / "dynalite"
INSTALL = BUILD / "dynalite"


def available() -> str | None:
    """Why dynalite cannot run here, or None when it can."""
    missing = [tool for tool in ("node", "npm") if shutil.which(tool) is None]
    return f"needs {' and '.join(missing)}" if missing else None


def install() -> Path:
    """The locked dynalite, installed once per lock; returns its command-line entry."""
    lock = (PACKAGE / "package-lock.json").read_bytes()
    cli = INSTALL / "node_modules" / "dynalite" / "cli.js"
    installed_lock = INSTALL / "package-lock.json"
    if cli.exists() and installed_lock.exists() and installed_lock.read_bytes() == lock:
        return cli
    shutil.rmtree(INSTALL, ignore_errors=True)
    INSTALL.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(PACKAGE / name, INSTALL / name)
    # In memory (no --path), dynalite never loads the native LevelDB binding: no scripts.
    subprocess.run(
        ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=INSTALL,
        check=True,
        timeout=600,
    )
    return cli


class Dynalite(LoopbackServer):
    name = "dynalite"

    def command(self) -> list[str]:
        return [
            *("node", str(install()), "--host", "127.0.0.1", "--port", str(self.port)),
            # Tables are ready at once instead of after DynamoDB-like delays.
            *("--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"),
        ]
