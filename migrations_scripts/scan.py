"""A parallel Scan over the single table, page by page, with progress.

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

from pynamodb.expressions.condition import Condition
from pynamodb.models import Model


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
