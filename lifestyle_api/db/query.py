"""One page of a query: exactly one DynamoDB Query request per list call (`query_page`, and
`page_by_time` for a user's items on the time index, newest first); raw pages of a
user's whole partition, which the export and account deletion walk; and raw pages of the
change index, which the sync feed reads."""

from __future__ import annotations

from typing import Any

from pynamodb.expressions.condition import Condition

from .base import LSI3, TableItem
from .keys import change_position_parts, user_pk


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


def page_by_time(
    model,
    sub: str,
    range_key_condition: Condition,
    *,
    limit: int,
    start_key: dict[str, Any] | None = None,
    filter_condition: Condition | None = None,
) -> tuple[list, dict[str, Any] | None]:
    """`query_page` of the user's items of `model` on its time index (LSI1), newest first."""
    return query_page(
        model,
        user_pk(sub),
        range_key_condition,
        index=model.by_time,
        limit=limit,
        start_key=start_key,
        filter_condition=filter_condition,
    )


KEY_ATTRIBUTES = ("PK", "SK")


def partition_page(
    sub: str,
    *,
    start_key: dict[str, Any] | None = None,
    limit: int | None = None,
    keys_only: bool = False,
) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
    """One Query page of every item in the user's partition, in sort-key order, as raw
    DynamoDB items, and the key to continue from (`None` at the end).

    Raw on purpose: a model query would filter on the item kinds this process has
    imported, and the export and the deletion must see every item whatever its kind.
    """
    page = table_connection().query(
        user_pk(sub),
        attributes_to_get=list(KEY_ATTRIBUTES) if keys_only else None,
        exclusive_start_key=start_key,
        limit=limit,
    )
    return page.get("Items", []), page.get("LastEvaluatedKey")


def table_connection():
    """PynamoDB's connection to the single table, with its key schema from the models (the
    raw reads and batch writes here need no DescribeTable)."""
    return TableItem._get_connection()


def item_key(raw: dict[str, Any]) -> dict[str, Any]:
    """The primary key of a raw item, as DynamoDB's `LastEvaluatedKey` would give it."""
    return {name: raw[name] for name in KEY_ATTRIBUTES}


def change_page(
    sub: str, after: str, bound: str, *, limit: int
) -> tuple[list[dict[str, Any]], bool]:
    """One consistent Query of the change index (LSI3), oldest first: the raw items of the
    user's partition whose change key lies after the position `after` and below `bound`,
    and whether DynamoDB stopped before the end of that window (the item limit or 1 MB).

    `after` is a position (`keys.FEED_START`, a bound, or the change key of the last item
    delivered): continuing after an item's key starts DynamoDB just past that item.
    """
    _instant, sk = change_position_parts(after)
    start_key = None
    if sk is not None:
        start_key = {"PK": {"S": user_pk(sub)}, "SK": {"S": sk}, "LSI3SK": {"S": after}}
    page = table_connection().query(
        user_pk(sub),
        TableItem.lsi3_sk.between(after, bound),
        index_name=LSI3,
        consistent_read=True,
        exclusive_start_key=start_key,
        limit=limit,
    )
    return page.get("Items", []), bool(page.get("LastEvaluatedKey"))
