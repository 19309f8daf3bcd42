"""The key a collaboration point is counted under in the reports, as a database expression: its
definition's `reports_as` for a point that counts as a national point (the palliative chain's
hospital conversation as the national point 1), else its own key."""

from __future__ import annotations

from django.db.models import Case, CharField, F, Q, Value, When
from django.db.models.expressions import Combinable

from pathway.definitions import all_definitions, report_keys


def report_key(prefix: str = "") -> Combinable:
    """The report key of the CollaborationPoint at `prefix` ("" for the point itself, "point__"
    for a relation to one). Only the definitions' mapped points are spelled out, so a data set
    without them costs nothing."""
    mapped = report_keys()
    if not mapped:
        return F(f"{prefix}key")
    whens = [
        When(Q(**{f"{prefix}enrolment__definition__key": definition_key, f"{prefix}key": key}), then=Value(counts_as))
        for (definition_key, key), counts_as in sorted(mapped.items())
    ]
    return Case(*whens, default=F(f"{prefix}key"), output_field=CharField())


def counted_from_diagnosis() -> Q:
    """The CollaborationPoints whose definition counts their window from the diagnosis
    (`Definition.counted_from_diagnosis`): the only ones for which days from the diagnosis mean
    something to the reports."""
    condition = Q(pk__in=[])
    for key, definition in sorted(all_definitions().items()):
        if definition.counted_from_diagnosis:
            condition |= Q(enrolment__definition__key=key, key__in=definition.counted_from_diagnosis)
    return condition
