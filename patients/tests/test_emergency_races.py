"""The daily count of emergency access holds under races: two accesses at once by one user, when
one more is allowed, count one after the other (the user's row lock), so exactly one is past the
count and alerts the admins."""

import pytest

from conftest import synthetic_id
from patients import access
from patients.models import EmergencyAccess, Patient
from testsupport.races import race

pytest_plugins = ["testsupport.browser"]  # national_directory
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("national_directory")]

REASON = "The patient is admitted acutely to our short-term unit"


def test_two_emergency_accesses_at_once_at_the_count_make_exactly_one_past_it(
    orgs, personas, actor_of, patient, settings
):
    settings.EMERGENCY_DAILY_CAP = 2
    actor = actor_of(personas["outsider"])
    access.grant_emergency_access(actor, None, REASON)  # one of two used
    other = Patient.objects.create(
        national_id=synthetic_id(start=300),
        national_id_kind=patient.national_id_kind,
        date_of_birth=patient.date_of_birth,
        given_name="Annen",
        family_name="Pasient",
        municipality=orgs["askoy"],
        registered_by=orgs["haukeland"],
    )

    results = race(
        lambda: access.grant_emergency_access(actor, patient, REASON),
        lambda: access.grant_emergency_access(actor, other, REASON),
    )

    assert not any(isinstance(result, Exception) for result in results), results
    assert EmergencyAccess.objects.count() == 3  # both granted: care cannot wait
    assert sorted(EmergencyAccess.objects.filter(patient__isnull=False).values_list("over_cap", flat=True)) == [
        False,
        True,
    ]
