import pytest

from assessment.tests import factories


@pytest.fixture
def enrolment(actor_of, personas, patient):
    """The patient enrolled by the hospital nurse about 100 days after the diagnosis, offer accepted."""
    return factories.enrol(actor_of(personas["nurse"]), patient)


@pytest.fixture
def sp2(enrolment):
    """The first municipal collaboration point (Askøy is responsible)."""
    return enrolment.points.get(key="sp2")
