"""Lists in the API: limit and offset, with a ceiling the OpenAPI document states."""

from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination

from portier.visits.limits import DB_INT_MAX, PAGE_SIZE, PAGE_SIZE_MAX


class Paging(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            PAGE_SIZE,
            ge=1,
            le=PAGE_SIZE_MAX,
            description=f"Rows per page: {PAGE_SIZE} unless given, at most {PAGE_SIZE_MAX}.",
        )
        offset: int = Field(0, ge=0, le=DB_INT_MAX - PAGE_SIZE_MAX, description="Rows to skip.")

    def __init__(self, **kwargs):
        super().__init__(max_limit=PAGE_SIZE_MAX, **kwargs)
