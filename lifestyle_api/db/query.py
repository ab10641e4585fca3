"""One page of a query: exactly one DynamoDB Query request per list call."""

from __future__ import annotations

from typing import Any

from pynamodb.expressions.condition import Condition


def query_page(
    model,
    hash_key: str,
    range_key_condition: Condition | None = None,
    *,
    limit: int,
    start_key: dict[str, Any] | None = None,
    newest_first: bool = True,
    index=None,
    filter_condition: Condition | None = None,
) -> tuple[list, dict[str, Any] | None]:
    """Items of one Query page (after filters, so possibly fewer than `limit`) and the key
    to continue from, or `None` at the end.

    PynamoDB's iterators would fetch further pages to fill `limit`; a list route must cost
    one request whatever the user's history holds, so this reads the first page only.
    """
    results = (index or model).query(
        hash_key,
        range_key_condition,
        filter_condition=filter_condition,
        scan_index_forward=not newest_first,
        page_size=limit,
        last_evaluated_key=start_key,
    )
    page = next(results.page_iter, {})
    items = [model.from_raw_data(raw) for raw in page.get("Items", [])]
    return items, results.page_iter.last_evaluated_key
