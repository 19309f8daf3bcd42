"""The worklist's filters say what they cover: "All open" and "Coming up" look only as far ahead as
pathway.worklists.HORIZON_WEEKS, and the labels and help text name that horizon."""

import pytest

from pathway import worklists


def test_the_status_filter_names_its_horizon(client_for, personas):
    page = client_for(personas["coordinator"]).get("/pathway/worklist/").content.decode()
    weeks = worklists.HORIZON_WEEKS
    assert f"Coming up (window opens in the next {weeks} weeks)" in page
    assert f"All open (overdue, due, next {weeks} weeks)" in page
    assert f"Up to {weeks} weeks ahead; choose a week to see later points." in page


@pytest.mark.norwegian
def test_the_horizon_is_named_in_norwegian(client_for, personas):
    page = client_for(personas["coordinator"]).get("/pathway/worklist/").content.decode()
    assert "Kommer (tidsvinduet åpner de neste 4 ukene)" in page
