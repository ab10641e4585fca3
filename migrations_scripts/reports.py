"""Cross-user reports read from the status index (GSI1), never from a Scan.

Goals carry `GSI1PK = STATUS#<STATUS>#<shard>` with 16 shards (so one status never becomes
one hot partition); a reader queries each shard and adds the answers up.
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor

from lifestyle_api.db.keys import STATUS_SHARDS, status_gsi_pk
from lifestyle_api.goals.models import GoalItem

UNCATEGORIZED = "(none)"


def goals_by_category(status: str = "active", *, workers: int = 4) -> Counter[str]:
    """How many goals have `status`, by category, across every user (one paged Query per
    shard of GSI1, which projects `category`)."""

    def count_shard(shard: int) -> Counter[str]:
        counts: Counter[str] = Counter()
        for item in GoalItem.by_status.query(status_gsi_pk(status, shard)):
            counts[getattr(item, "category", None) or UNCATEGORIZED] += 1
        return counts

    total: Counter[str] = Counter()
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report") as pool:
        for counts in pool.map(count_shard, range(STATUS_SHARDS)):
            total.update(counts)
    return total


def format_counts(counts: Counter[str], *, heading: str) -> list[str]:
    lines = [heading]
    width = max((len(category) for category in counts), default=8)
    for category, count in sorted(counts.items(), key=lambda pair: (-pair[1], pair[0])):
        lines.append(f"  {category:<{width}}  {count:>6}")
    lines.append(f"  {'total':<{width}}  {sum(counts.values()):>6}")
    return lines
