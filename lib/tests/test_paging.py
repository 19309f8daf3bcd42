"""lib.paging: lists that count no further than a page needs."""

import pytest
from django.contrib.auth.models import Permission

from lib.paging import CappedPaginator, page_number, side_list

pytestmark = pytest.mark.django_db


@pytest.fixture
def rows():
    """Any list of more than a hundred rows; Django's permissions keep lib's tests free of the apps."""
    return Permission.objects.order_by("codename", "id")


def test_a_capped_paginator_counts_up_to_its_cap_and_says_there_are_more(rows):
    total = rows.count()
    capped = CappedPaginator(rows, 25, cap=100)
    assert (capped.count, capped.capped, capped.count_label) == (100, True, "100+")
    assert capped.num_pages == 4
    assert list(capped.get_page(4).object_list) == list(rows[75:100])
    exact = CappedPaginator(rows, 25, cap=1000)
    assert (exact.count, exact.capped, exact.count_label) == (total, False, str(total))


def test_a_side_list_knows_a_next_page_without_counting(rows, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = side_list(rows, None, 20)
    assert list(first) == list(rows[:20])
    assert first.has_next() and not first.has_previous()
    assert (first.count, first.count_label, first.paginator.num_pages) == (None, "20+", None)
    last_number = (rows.count() + 19) // 20
    last = side_list(rows, str(last_number), 20)
    assert not last.has_next() and last.has_previous()
    assert last.paginator.num_pages == last_number
    assert list(last) == list(rows[(last_number - 1) * 20 :])


def test_a_short_side_list_is_counted_exactly(rows):
    few = side_list(rows[:3], "1", 20)
    assert (few.count, few.count_label, few.has_other_pages()) == (3, "3", False)


@pytest.mark.parametrize(("value", "number"), [(None, 1), ("2", 2), ("0", 1), ("-3", 1), ("x", 1), ("", 1)])
def test_a_page_number_is_a_positive_integer_or_the_first(value, number):
    assert page_number(value) == number
