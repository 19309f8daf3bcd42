"""Months, collaboration points and areas as the report's tables and charts name them."""

from __future__ import annotations

import datetime

from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from pathway.definitions import DEFAULT_DEFINITION_KEY, all_definitions, get_definition


def months_between(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def month_label(month: datetime.date) -> str:
    return formats.date_format(month, "YEAR_MONTH_FORMAT")


def month_short(month: datetime.date) -> str:
    """A month on a chart's axis: "Jan 2026" rather than "January 2026"."""
    return formats.date_format(month, "M Y")


def point_keys(found) -> list[str]:
    """The national definition's points in order, then any other keys found (older definitions)."""
    national = list(get_definition(DEFAULT_DEFINITION_KEY).point_keys)
    return national + sorted(set(found) - set(national))


def point_number(key: str) -> str:
    """The point's number in the national pathway (its key for a point of another definition)."""
    national = get_definition(DEFAULT_DEFINITION_KEY).point_keys
    return str(national.index(key) + 1) if key in national else key


def point_short(key: str) -> str:
    return _("Point %(n)s") % {"n": point_number(key)}


def point_label(key: str) -> str:
    language = (get_language() or "nb").split("-")[0]
    try:
        title = get_definition(DEFAULT_DEFINITION_KEY).point(key).title
    except KeyError:
        return _other_point_label(key, language)
    number = get_definition(DEFAULT_DEFINITION_KEY).point_keys.index(key) + 1
    return _("Point %(number)s: %(title)s") % {"number": number, "title": title.get(language) or title["nb"]}


def _other_point_label(key: str, language: str) -> str:
    """A point no national point stands for (a local variant's own point): its title and the
    pathway it belongs to, from the first definition that has it; the key if none has."""
    for definition in sorted(all_definitions().values(), key=lambda d: d.key):
        if key in definition.point_keys:
            title = definition.point(key).title
            pathway = definition.title.get(language) or definition.title["nb"]
            return f"{title.get(language) or title['nb']} ({pathway})"
    return key


def area_labels() -> dict[str, str]:
    """Area code to its question text in the current language (the adult questionnaire first)."""
    from assessment import questionnaires

    language = (get_language() or "nb").split("-")[0]
    labels = {}
    for questionnaire in reversed(list(questionnaires.all_questionnaires().values())):
        for item in questionnaire.areas:
            labels[item.area] = item.text.get(language) if hasattr(item.text, "get") else str(item.text)
    adult = questionnaires.all_questionnaires().get("heimveg-needs-adult")
    if adult is not None:
        for item in adult.areas:
            labels[item.area] = item.text.get(language) if hasattr(item.text, "get") else str(item.text)
    return labels
