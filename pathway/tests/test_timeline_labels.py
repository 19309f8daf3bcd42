"""The timeline names each entry's kind through the `kind_label` filter, a dictionary made once per
language: it must say what `get_kind_display` says, in every language, whichever came first."""

import pytest
from django.utils import translation

from pathway.models import PathwayEvent
from pathway.templatetags.pathway import kind_label


@pytest.mark.parametrize("order", [("nb", "en", "nn"), ("en", "nn", "nb")])
def test_kind_labels_are_the_choices_labels_in_each_language(order):
    seen = {}
    for language in order:
        with translation.override(language):
            for kind, _label in PathwayEvent.Kind.choices:
                assert kind_label(kind) == PathwayEvent(kind=kind).get_kind_display()
            seen[language] = kind_label(PathwayEvent.Kind.choices[0][0])
    assert seen["nb"] != seen["en"]  # the labels are translated, so a shared dictionary would fail above


def test_an_unknown_kind_is_shown_as_it_is():
    assert kind_label("something_new") == "something_new"
