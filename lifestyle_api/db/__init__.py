"""The single DynamoDB table: base item and indexes (`base`), every key format (`keys`),
the change index's keys and late writes (`changes`), tombstones and the transaction
(`tombstones`), one-request list pages, raw partition pages and change pages (`query`), an
item read with the caller's profile and the user's timezone (`reads`), versioned updates,
conditional and batch deletes (`writes`), the one retry policy (`retry`), what a DynamoDB
failure means (`errors`), shared attributes and the maps inside items (`attributes`), items
to and from DynamoDB's shape (`item_codec`), PynamoDB's attribute descriptors
(`descriptors`) and table creation (`table`). No Flask here."""

from .base import GSI1, LSI1, LSI2, LSI3, TTL_ATTRIBUTE, TableItem, configure, connection
from .tombstones import transact_write

__all__ = [
    "GSI1",
    "LSI1",
    "LSI2",
    "LSI3",
    "TTL_ATTRIBUTE",
    "TableItem",
    "configure",
    "connection",
    "transact_write",
]
