"""Shared pieces of the apps' ninja routers: bounded pagination.

Page numbers and offsets are bounded where the API declares them, so a request for page
4.6e17 or offset 2^63 is a 422 with a message, never a database overflow (a 500).
"""

from __future__ import annotations

from ninja import Field, Query, Schema
from ninja.pagination import PageNumberPagination

# Far beyond any real listing (10,000 pages of 100), well inside every database's integers.
MAX_PAGE = 10_000
MAX_OFFSET = 1_000_000


class BoundedPageNumberPagination(PageNumberPagination):
    """`?page=` from 1 to MAX_PAGE, `?page_size=` from 1 to the router's maximum."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1_000)


class OffsetWindow(Schema):
    """`?offset=` and `?limit=` of an offset-paginated list, bounded."""

    offset: int = Field(0, ge=0, le=MAX_OFFSET)
    limit: int = Field(50, ge=1, le=1_000)


__all__ = ["MAX_OFFSET", "MAX_PAGE", "BoundedPageNumberPagination", "OffsetWindow", "Query"]
