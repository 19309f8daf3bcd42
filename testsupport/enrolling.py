"""An enrolled patient for tests of any app: breast cancer, curative, offer accepted (shared by the
pathway's, the assessment's, the portal's and the handover's tests)."""

import datetime

from django.utils import timezone

from pathway import services as pathway


def enrol(actor, patient, *, days_ago=100, **kwargs):
    """Enrol `patient` (breast cancer, curative, offer accepted, diagnosed `days_ago` days ago)."""
    values = {
        "diagnosis_date": timezone.localdate() - datetime.timedelta(days=days_ago),
        "icd10_code": "C50.9",
        "treatment_intent": "curative",
        "offer": "accepted",
    }
    return pathway.enrol(actor, patient, **{**values, **kwargs})


def enable_definition(organisation, key):
    """Let `organisation` enrol on a definition that needs enabling (`availability:
    by_organisation`), as its admin would (pathway.enabling)."""
    from pathway.models import DefinitionEnabling

    DefinitionEnabling.objects.get_or_create(organisation=organisation, definition_key=key)
