"""The mutation score of each target module after `mutmut run` (`make mutation`).

Reads the targets from setup.cfg (`[mutmut] only_mutate`, the one list), mutmut's results
from `mutants/`, and the survivors judged equivalent from `equivalent_mutants.txt` next to
this file. Prints one row per module:

    module | mutants | killed | survived | equivalent (documented) | score

`killed` counts mutants a test failed on (or that ran out of time); `survived` every other
one, mutants no test of the selection reached included; `equivalent` the survivors the file
explains; the score is killed / (mutants - equivalent). Lists the survivors the file does not
explain (each is a gap: `mutmut show <name>` gives its diff) and the file's stale entries.
Exits 1 when a module scores under `REQUIRED_SCORE`.
"""

from __future__ import annotations

import configparser
import json
import sys
from pathlib import Path
from typing import NamedTuple

from mutmut.stats import status_by_exit_code

REQUIRED_SCORE = 95.0
ROOT = Path(__file__).resolve().parents[2]
EQUIVALENTS_FILE = Path(__file__).with_name("equivalent_mutants.txt")
DETECTED = {"killed", "timeout", "caught by type check"}


class Row(NamedTuple):
    module: str
    mutants: int
    killed: int
    survived: list[str]
    equivalent: int

    @property
    def score(self) -> float:
        considered = self.mutants - self.equivalent
        return 100.0 * self.killed / considered if considered else 100.0


def targets(setup_cfg: Path = ROOT / "setup.cfg") -> list[str]:
    parser = configparser.ConfigParser()
    parser.read(setup_cfg)
    return [line.strip() for line in parser["mutmut"]["only_mutate"].splitlines() if line.strip()]


def equivalents(path: Path = EQUIVALENTS_FILE) -> dict[str, str]:
    """`name reason…` per line; blank lines and `#` comments are skipped."""
    listed: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, _, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f"{path.name}: {name} needs a reason")
        listed[name] = reason.strip()
    return listed


def results(target: str) -> dict[str, str]:
    """mutant name → status, from mutmut's record for one source file."""
    meta = ROOT / "mutants" / f"{target}.meta"
    if not meta.exists():
        raise SystemExit(f"no mutation results for {target}: run `make mutation` first")
    codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return {name: status_by_exit_code[code] for name, code in codes.items()}


def main() -> int:
    listed = equivalents()
    rows: list[Row] = []
    seen: dict[str, str] = {}
    for target in targets():
        statuses = results(target)
        seen.update(statuses)
        killed = sum(status in DETECTED for status in statuses.values())
        survived = sorted(name for name, status in statuses.items() if status not in DETECTED)
        equivalent = sum(name in listed for name in survived)
        rows.append(Row(target, len(statuses), killed, survived, equivalent))

    header = ("module", "mutants", "killed", "survived", "equivalent (documented)", "score")
    lines = [
        (
            row.module,
            row.mutants,
            row.killed,
            len(row.survived),
            row.equivalent,
            f"{row.score:.1f} %",
        )
        for row in rows
    ]
    widths = [
        max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=False)
    ]
    for cells in (header, *lines):
        print("  ".join(str(cell).rjust(width) for cell, width in zip(cells, widths, strict=True)))

    gaps = [name for row in rows for name in row.survived if name not in listed]
    if gaps:
        print(f"\nSurvivors not explained in {EQUIVALENTS_FILE.name} (mutmut show <name>):")
        print("\n".join(f"  {name}  [{seen[name]}]" for name in gaps))
    stale = sorted(name for name in listed if seen.get(name) in DETECTED)
    unknown = sorted(name for name in listed if name not in seen)
    if stale or unknown:
        print(f"\nEntries of {EQUIVALENTS_FILE.name} to remove or rename:")
        print("\n".join(f"  {name}  [killed now]" for name in stale))
        print("\n".join(f"  {name}  [no such mutant]" for name in unknown))

    failing = [row.module for row in rows if row.score < REQUIRED_SCORE]
    if failing:
        print(f"\nUnder {REQUIRED_SCORE:.0f} %: {', '.join(failing)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
