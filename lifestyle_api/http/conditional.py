"""Conditional requests: single resources answer `ETag: "<version>"`, the item's version
number; `If-Match` names the version a write is conditional on (API.md "Conventions").
`with_etag`, `created` and `created_or_existing` are a single resource's answers.

werkzeug parses the header (`request.if_match`); what is ours is the rule that an entity
tag names a version: quoted digits (`"3"`, or weak `W/"3"`). `*` means "any version". A
header naming no version never matches (412), as for a stale one (RFC 9110).
"""

from __future__ import annotations

from flask import current_app, request, url_for

from ..exceptions import PreconditionFailed

MAX_IF_MATCH_LENGTH = 256
ETAG_HEADER = {"ETag": {"schema": {"type": "string"}, "description": "The version, quoted."}}
CREATED_HEADERS = {
    "Location": {"schema": {"type": "string"}, "description": "Where the new resource is."},
    **ETAG_HEADER,
}


def etag(version: int | None) -> str:
    return f'"{version or 0}"'


def resource_headers(item, location_endpoint: str | None = None, **view_args: str) -> dict:
    """`ETag` for a single resource, and `Location` for a new one: the URL of the route
    `location_endpoint` whose arguments are `view_args`, or else the item's attributes of
    the same names (`activity_id`)."""
    headers = {"ETag": etag(item.version)}
    if location_endpoint is not None:
        rule = next(current_app.url_map.iter_rules(location_endpoint))
        from_item = {name: getattr(item, name) for name in rule.arguments - view_args.keys()}
        headers["Location"] = url_for(location_endpoint, **from_item, **view_args)
    return headers


def with_etag(item) -> tuple:
    """A single resource's answer: 200 with the resource and its `ETag`."""
    return item, 200, resource_headers(item)


def created(item, location_endpoint: str, **view_args: str) -> tuple:
    """A create's answer: 201 with the resource, its `ETag` and its `Location`."""
    return item, 201, resource_headers(item, location_endpoint, **view_args)


def created_or_existing(item, is_new: bool, location_endpoint: str, **view_args: str) -> tuple:
    """The answer of a create that finds the resource already there: `created` when it is
    new, else 200 with the one stored."""
    return created(item, location_endpoint, **view_args) if is_new else with_etag(item)


def if_match_version() -> int | None:
    """The version `If-Match` names, `None` without the header (or with `*`); a malformed
    one (an unquoted tag, a tag that is not a version, or longer than documented) never
    matches: 412. Of several versions, the lowest is the condition."""
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    if len(raw) <= MAX_IF_MATCH_LENGTH and _every_tag_quoted(raw):
        tags = request.if_match
        if tags.star_tag:
            return None
        versions = [
            int(tag) for tag in tags.as_set(include_weak=True) if tag.isascii() and tag.isdigit()
        ]
        if versions:
            return min(versions)
    raise PreconditionFailed("If-Match must name the resource's current ETag.")


def _every_tag_quoted(raw: str) -> bool:
    tags = [tag.strip().removeprefix("W/") for tag in raw.split(",")]
    return all(tag == "*" or (len(tag) > 1 and tag[0] == tag[-1] == '"') for tag in tags)
