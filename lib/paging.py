"""Paging for lists that can grow with a whole country's data. Django's Paginator counts every
matching row before it shows the first page; on a worklist of ten years that count costs more
than the page. These two count no further than a page needs.

- CappedPaginator counts at most `cap` rows (one `COUNT(*)` over a `LIMIT cap + 1` subquery) and
  says when there are more: "1000+". Pages go up to the cap; beyond it, the list's filters narrow.
- side_list fetches one row more than it shows, in one query and without a count: the short
  lists beside a worklist, whose length only matters up to "more than a page".
"""

from typing import Any, TypeVar

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property

_M = TypeVar("_M", bound=Model)

LIST_CAP = 1000
# Rows a side list shows per page (the worklist's short lists, whichever module adds them).
SIDE_LIST_SIZE = 10


class CappedPaginator(Paginator[_M]):
    object_list: QuerySet[_M]

    def __init__(self, object_list: QuerySet[_M], per_page: int, *, cap: int = LIST_CAP, **kwargs: Any) -> None:
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def counted(self) -> int:
        return self.object_list[: self.cap + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        """More rows match than were counted."""
        return self.counted > self.cap

    @property
    def count_label(self) -> str:
        return f"{self.count}+" if self.capped else str(self.count)


class SideList(Page[_M]):
    """A page of a side list: `per_page` rows and whether there is a next page, from one query.
    `paginator` is the page itself, so the shared pagination template reads it alike; its
    `num_pages` is None (unknown) unless this is the last page."""

    # Counts where Page (a Sequence) has a count() method: the pagination template reads them alike.
    count: int | None  # type: ignore[assignment]
    num_pages: int | None

    def __init__(self, queryset: QuerySet[_M], number: int, per_page: int) -> None:
        offset = (number - 1) * per_page
        rows = list(queryset[offset : offset + per_page + 1])
        super().__init__(rows[:per_page], number, self)  # type: ignore[arg-type]  # its own paginator
        self.more = len(rows) > per_page
        self.per_page = per_page
        self.num_pages = None if self.more else number
        self.count = None if self.more or number > 1 else len(self.object_list)
        self.count_label = str(self.count) if self.count is not None else f"{per_page}+"

    def has_next(self) -> bool:
        return self.more

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


def page_number(value: str | int | None) -> int:
    """A page number from a query parameter: a positive integer, else 1."""
    if value is None:
        return 1
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return number if number > 0 else 1


def side_list(queryset: QuerySet[_M], value: str | int | None, per_page: int) -> SideList[_M]:
    return SideList(queryset, page_number(value), per_page)
