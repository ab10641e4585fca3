"""A parallel Scan over the single table, page by page, with progress; and `ScanMigration`,
the migration that walks the table with it.

DynamoDB splits a table into `segments` disjoint parts; one thread scans each. Every page's
items go to `handle` (which says whether it changed the item), then a progress line is
reported and `on_page` runs (the migration runner uses it as its heartbeat). When one
segment fails, the others stop after their current page and the first error is raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from typing import TypedDict

from pynamodb.expressions.condition import Condition
from pynamodb.models import Model

from .runner import MigrationContext


class ScanOptions(TypedDict, total=False):
    """How a scan runs and reports: `ScanMigration.scan`'s keyword arguments."""

    segments: int
    page_size: int | None
    report: Callable[[str], None]
    on_page: Callable[[], None]


@dataclass
class ScanTotals:
    pages: int = 0
    scanned: int = 0
    matched: int = 0
    changed: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def add(self, *, scanned: int, matched: int, changed: int) -> ScanTotals:
        """Add one page and return a snapshot of the totals so far."""
        with self._lock:
            self.pages += 1
            self.scanned += scanned
            self.matched += matched
            self.changed += changed
            return ScanTotals(self.pages, self.scanned, self.matched, self.changed)


def parallel_scan(
    model: type[Model],
    handle: Callable[[Model], bool],
    *,
    segments: int,
    page_size: int | None = None,
    filter_condition: Condition | None = None,
    report: Callable[[str], None] = print,
    on_page: Callable[[], None] = lambda: None,
    verb: str = "changed",
) -> ScanTotals:
    """Scan `model`'s items matching `filter_condition` in `segments` threads."""
    if segments < 1:
        raise ValueError("segments must be at least 1")
    totals = ScanTotals()
    failed = threading.Event()

    def scan_segment(segment: int) -> None:
        results = model.scan(
            filter_condition=filter_condition,
            segment=segment,
            total_segments=segments,
            page_size=page_size,
        )
        try:
            for page_number, page in enumerate(results.page_iter, start=1):
                items = [model.from_raw_data(raw) for raw in page.get("Items", [])]
                changed = sum(1 for item in items if handle(item))
                now = totals.add(
                    scanned=page.get("ScannedCount", len(items)),
                    matched=len(items),
                    changed=changed,
                )
                report(
                    f"  segment {segment + 1}/{segments} page {page_number}: "
                    f"{len(items)} matched, {changed} {verb} | total: {now.scanned} scanned, "
                    f"{now.matched} matched, {now.changed} {verb}"
                )
                on_page()
                if failed.is_set():
                    return
        except BaseException:
            failed.set()
            raise

    pool = ThreadPoolExecutor(max_workers=segments, thread_name_prefix="scan")
    futures = [pool.submit(scan_segment, segment) for segment in range(segments)]
    try:
        wait(futures, return_when=FIRST_EXCEPTION)
        for future in futures:
            future.result()
    except BaseException:
        # Ctrl-C or a failed segment: the others stop after their current page.
        failed.set()
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
    return totals


@dataclass(frozen=True)
class ScanMigration:
    """A migration that scans for the items `matching()` selects and fixes each one.

    The phrases complete the lines it reports, e.g. "scanning table T for goals
    <sought>", "12 goals <found>", "12 goals <done> (2 <skipped>)"; `verb` names a fix in
    the progress lines. The fix is passed to `scan` and `run` rather than kept here, so the
    migration module's own function is the one called (a test may replace it).
    """

    model: type[Model]
    matching: Callable[[], Condition]
    noun: str
    sought: str
    found: str
    done: str
    skipped: str
    verb: str

    def scan(
        self,
        fix: Callable[[Model], bool],
        *,
        segments: int = 4,
        page_size: int | None = None,
        report: Callable[[str], None] = print,
        on_page: Callable[[], None] = lambda: None,
    ) -> ScanTotals:
        """Fix every matching item; `fix` says whether it changed the item."""
        report(
            f"scanning table {self.model.Meta.table_name} for {self.noun} {self.sought} "
            f"({segments} segments, page size {page_size or 'default'})"
        )
        return parallel_scan(
            self.model,
            fix,
            segments=segments,
            page_size=page_size,
            filter_condition=self.matching(),
            report=report,
            on_page=on_page,
            verb=self.verb,
        )

    def preview(self, context: MigrationContext) -> str:
        """How many items the migration would fix; writes nothing."""
        totals = self.scan(
            lambda _item: False,
            segments=context.segments,
            page_size=context.page_size,
            report=lambda _line: None,
        )
        return f"{totals.matched} {self.noun} {self.found} ({totals.scanned} items scanned)"

    def run(self, context: MigrationContext, fix: Callable[[Model], bool]) -> str:
        """Fix every matching item; the one-line summary the runner records."""
        totals = self.scan(
            fix,
            segments=context.segments,
            page_size=context.page_size,
            report=context.report,
            on_page=context.heartbeat,
        )
        skipped = totals.matched - totals.changed
        return (
            f"{totals.changed} {self.noun} {self.done}"
            + (f" ({skipped} {self.skipped})" if skipped else "")
            + f"; {totals.scanned} items scanned in {totals.pages} pages"
        )
