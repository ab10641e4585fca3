"""Versioned migrations: discovered from `migrations_scripts/migrations/NNNN_name.py`, applied
once each, in version order, and recorded as MIGRATION items.

Before running a migration the runner claims it with a conditional put of an `applying`
record; only one runner can win that write, so two operators running `migrate` at once can
never apply the same migration twice. After the run the record becomes `applied`; a run that
fails deletes its claim, records nothing, and stops the runner (later migrations may depend
on it). Migrations must therefore be safe to run again after a failure.

A migration module has a docstring (its first line is the description), a
`run(context) -> str | None` returning a one-line summary, and optionally
`preview(context) -> str` saying what it would touch (used by `--dry-run`).
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pynamodb.exceptions import PynamoDBException

from lifestyle_api.db.errors import is_condition_failure
from lifestyle_api.timeutil import format_instant, utc_now

from .conditional import condition_held
from .records import APPLIED, APPLYING, MigrationItem

MIGRATIONS_PACKAGE = "migrations_scripts.migrations"
VERSIONED_MODULE = re.compile(r"(?P<version>\d{4})_(?P<name>[a-z0-9_]+)")
# A claim whose runner has been silent this long is taken to be dead and may be taken over.
DEFAULT_LEASE_SECONDS = 600.0
HEARTBEAT_INTERVAL_SECONDS = 30.0


class MigrationError(Exception):
    """A migration could not be applied; the message says which and why, in one line."""


class MigrationInProgress(MigrationError):
    """Another runner holds the claim on a migration."""


@dataclass
class MigrationContext:
    """What a running migration may use: its options, progress output and the heartbeat."""

    segments: int = 4
    page_size: int | None = None
    report: Callable[[str], None] = print
    heartbeat: Callable[[], None] = lambda: None


@dataclass(frozen=True)
class Migration:
    version: str
    name: str
    description: str
    run: Callable[[MigrationContext], str | None]
    preview: Callable[[MigrationContext], str] | None = None

    @property
    def label(self) -> str:
        return f"{self.version}_{self.name}"


@dataclass(frozen=True)
class Outcome:
    migration: Migration
    result: str  # "applied" | "already applied" | "pending"
    summary: str = ""


def discover(package: str = MIGRATIONS_PACKAGE) -> list[Migration]:
    """Every `NNNN_name` module of `package`, in version order."""
    root = importlib.import_module(package)
    migrations: dict[str, Migration] = {}
    for info in pkgutil.iter_modules(root.__path__):
        match = VERSIONED_MODULE.fullmatch(info.name)
        if match is None:
            continue
        version = match["version"]
        if version in migrations:
            raise MigrationError(
                f"two migrations share version {version}: "
                f"{migrations[version].label} and {info.name}"
            )
        module = importlib.import_module(f"{package}.{info.name}")
        migrations[version] = Migration(
            version=version,
            name=match["name"],
            description=(module.__doc__ or info.name).strip().splitlines()[0],
            run=module.run,
            preview=getattr(module, "preview", None),
        )
    return [migrations[version] for version in sorted(migrations)]


def default_owner() -> str:
    """Who holds a claim, as operators will read it in `status`."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class MigrationRunner:
    migrations: list[Migration]
    report: Callable[[str], None] = print
    owner: str = field(default_factory=default_owner)
    lease_seconds: float = DEFAULT_LEASE_SECONDS
    heartbeat_interval: float = HEARTBEAT_INTERVAL_SECONDS
    clock: Callable[[], datetime] = utc_now

    def run(
        self, *, dry_run: bool = False, segments: int = 4, page_size: int | None = None
    ) -> list[Outcome]:
        """Apply every pending migration in version order (or, with `dry_run`, say what would
        be applied). Raises `MigrationError` at the first one that cannot be applied."""
        records = MigrationItem.all_records()
        outcomes: list[Outcome] = []
        for migration in sorted(self.migrations, key=lambda m: m.version):
            record = records.get(migration.version)
            if record is not None and record.state == APPLIED:
                outcomes.append(Outcome(migration, "already applied"))
                continue
            context = MigrationContext(segments=segments, page_size=page_size, report=self.report)
            if dry_run:
                outcomes.append(self._preview(migration, record, context))
                continue
            outcome = self._apply(migration, context)
            outcomes.append(outcome)
        return outcomes

    def _preview(
        self, migration: Migration, record: MigrationItem | None, context: MigrationContext
    ) -> Outcome:
        self.report(f"would apply {migration.label}: {migration.description}")
        if record is not None:
            self.report(f"  note: {_claim_description(record)}")
        summary = migration.preview(context) if migration.preview else ""
        if summary:
            self.report(f"  {summary}")
        return Outcome(migration, "pending", summary)

    def _apply(self, migration: Migration, context: MigrationContext) -> Outcome:
        if not self._claim(migration):
            self.report(f"{migration.label}: applied meanwhile by another runner; skipped")
            return Outcome(migration, "already applied")
        self.report(f"applying {migration.label}: {migration.description}")
        context.heartbeat = self._heartbeat(migration)
        started = time.monotonic()
        try:
            summary = migration.run(context) or ""
        except BaseException as exc:
            self._release(migration)
            if isinstance(exc, Exception):
                raise MigrationError(
                    f"{migration.label} failed: {_describe(exc)}; its claim was removed and "
                    "nothing was recorded; fix the cause and run migrate again"
                ) from exc
            raise
        self._mark_applied(migration, summary)
        elapsed = time.monotonic() - started
        self.report(f"applied {migration.label} in {elapsed:.1f}s: {summary or 'done'}")
        return Outcome(migration, "applied", summary)

    def _claim(self, migration: Migration) -> bool:
        """Win the one conditional write that lets this runner apply `migration`; `False` if
        it was applied meanwhile, `MigrationInProgress` if another runner holds it."""
        now = self.clock()
        record = MigrationItem(
            *MigrationItem.key(migration.version),
            name=migration.name,
            description=migration.description,
            state=APPLYING,
            owner=self.owner,
            claimed_at=now,
            heartbeat_at=now,
        )
        stale_before = now - timedelta(seconds=self.lease_seconds)
        free = MigrationItem.pk.does_not_exist() | (
            (MigrationItem.state == APPLYING) & (MigrationItem.heartbeat_at < stale_before)
        )
        try:
            record.save(condition=free, add_version_condition=False)
        except PynamoDBException as exc:
            if not is_condition_failure(exc):
                raise
            current = MigrationItem.get(*MigrationItem.key(migration.version), consistent_read=True)
            if current.state == APPLIED:
                return False
            raise MigrationInProgress(
                f"{migration.label} {_claim_description(current)}; not applying it twice "
                f"(a claim silent for {self.lease_seconds:.0f}s may be taken over)"
            ) from exc
        return True

    def _is_mine(self):
        return (MigrationItem.owner == self.owner) & (MigrationItem.state == APPLYING)

    def _heartbeat(self, migration: Migration) -> Callable[[], None]:
        lock = threading.Lock()
        last = time.monotonic()

        def beat() -> None:
            nonlocal last
            with lock:
                if time.monotonic() - last < self.heartbeat_interval:
                    return
                last = time.monotonic()
                record = MigrationItem(*MigrationItem.key(migration.version))
                try:
                    record.update(
                        actions=[MigrationItem.heartbeat_at.set(self.clock())],
                        condition=self._is_mine(),
                        add_version_condition=False,
                    )
                except PynamoDBException as exc:
                    if not is_condition_failure(exc):
                        raise
                    raise MigrationError(
                        f"{migration.label}: this runner lost its claim (silent for longer "
                        "than the lease); stopping"
                    ) from exc

        return beat

    def _mark_applied(self, migration: Migration, summary: str) -> None:
        now = self.clock()
        record = MigrationItem(*MigrationItem.key(migration.version))
        record.update(
            actions=[
                MigrationItem.state.set(APPLIED),
                MigrationItem.applied_at.set(now),
                MigrationItem.heartbeat_at.set(now),
                MigrationItem.summary.set(summary or "done"),
            ],
            condition=self._is_mine(),
            add_version_condition=False,
        )

    def _release(self, migration: Migration) -> None:
        record = MigrationItem(*MigrationItem.key(migration.version))
        # A claim already taken over by another runner is theirs to keep.
        condition_held(
            lambda: record.delete(condition=self._is_mine(), add_version_condition=False)
        )


def _claim_description(record: MigrationItem) -> str:
    return (
        f"is being applied by {record.owner} (claimed {format_instant(record.claimed_at)}, "
        f"last heartbeat {format_instant(record.heartbeat_at)})"
    )


def _describe(exc: BaseException) -> str:
    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__
