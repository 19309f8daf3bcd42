"""Shared test fixtures: the national directory, and personas in the spirit of healthchecks'
alice/bob/charlie.

- nurse:        hospital clinician at Haukeland (registered patients there)
- coordinator:  municipal coordinator in Askøy (the patient's municipality)
- outsider:     municipal coordinator in Voss (another municipality: no care relation)
- gp:           GP at an Askøy GP office
- admin:        organisation admin for Askøy
- analyst:      analyst at Helse Bergen (aggregates only)
"""

import datetime

import pytest
from django.core.management import call_command
from django.utils import translation

from accounts.models import Membership, Role, User
from directory.models import Organisation
from lib import nin
from patients.models import Patient
from testsupport import clock
from testsupport.definitions import definition_folder  # noqa: F401 - a fixture of every app's tests

PASSWORD = "correct-horse-battery-staple"
Kind = Organisation.Kind


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the national directory once per test session; every test sees it."""
    with django_db_blocker.unblock():
        call_command("load_directory", verbosity=0)


def synthetic_id(birth_date=datetime.date(1961, 5, 17), start=100):
    for individual in range(start, 1000):
        number = nin.synthetic_number(birth_date, individual)
        if number:
            return number
    raise AssertionError("no synthetic number")


def make_user(username, organisation, role):
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username.title())
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def orgs(db):
    haukeland = Organisation.objects.get(kind=Kind.HOSPITAL, name="Haukeland universitetssjukehus")
    askoy = Organisation.objects.get(municipality_number="4627")
    voss = Organisation.objects.get(municipality_number="4621")
    gp_office = Organisation.objects.create(kind=Kind.GP_OFFICE, name="Testvik legesenter", municipality=askoy)
    helse_bergen = Organisation.objects.get(org_number="983974724")
    return {"haukeland": haukeland, "askoy": askoy, "voss": voss, "gp_office": gp_office, "helse_bergen": helse_bergen}


@pytest.fixture
def personas(orgs):
    return {
        "nurse": make_user("nurse", orgs["haukeland"], Role.HOSPITAL_CLINICIAN),
        "coordinator": make_user("coordinator", orgs["askoy"], Role.MUNICIPAL_COORDINATOR),
        "outsider": make_user("outsider", orgs["voss"], Role.MUNICIPAL_COORDINATOR),
        "gp": make_user("gp", orgs["gp_office"], Role.GP),
        "admin": make_user("admin", orgs["askoy"], Role.ORG_ADMIN),
        "analyst": make_user("analyst", orgs["helse_bergen"], Role.ANALYST),
    }


@pytest.fixture
def patient(orgs):
    """A patient living in Askøy, with an Askøy GP, registered by Haukeland."""
    birth = datetime.date(1961, 5, 17)
    return Patient.objects.create(
        national_id=synthetic_id(birth),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name="Test",
        family_name="Pasient",
        municipality=orgs["askoy"],
        gp_office=orgs["gp_office"],
        registered_by=orgs["haukeland"],
    )


@pytest.fixture
def client_for(client):
    """Sign a persona in (password and, when required, nothing else: tests turn 2FA off)."""

    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


def pytest_collection_modifyitems(items):
    """Browser tests and tests with a live server run on the real clock: the server's clock and
    Chromium's (which judges the session cookie's expiry) must agree. Tests that start processes
    are marked `running_clock` in their module."""
    for item in items:
        needs_real_clock = item.get_closest_marker("browser") or "live_server" in getattr(item, "fixturenames", ())
        if needs_real_clock and not item.get_closest_marker("running_clock"):
            item.add_marker(pytest.mark.running_clock)


@pytest.fixture(autouse=True)
def pinned_clock(request):
    """Every test runs at 11:00 Europe/Oslo on settings.TEST_TODAY (HEIMVEG_TEST_TODAY) with the
    clock standing still, so no test depends on the day it runs. Tests that start servers or
    processes, or wait on real time, are marked `running_clock` and get the real clock (None).
    A test may move the pinned clock: `pinned_clock.shift(datetime.timedelta(days=1))`."""
    if "running_clock" in request.keywords:
        yield None
        return
    with clock.pinned() as traveller:
        yield traveller


@pytest.fixture
def today():
    """The pinned test day (settings.TEST_TODAY)."""
    return clock.test_today()


@pytest.fixture(autouse=True)
def _second_factor_off_unless_asked(request, settings):
    """Most tests sign in with force_login; the two-factor tests switch enforcement back on."""
    if "two_factor" not in request.keywords:
        settings.REQUIRE_TWO_FACTOR = False


@pytest.fixture(autouse=True)
def _english_unless_asked(request, settings, client):
    """Tests assert English messages (the msgids); tests marked `norwegian` see the default,
    bokmål, as users do."""
    if "norwegian" in request.keywords:
        yield
        return
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 is slow by design; tests that are not about hashing use a fast hasher."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def actor_of():
    """The Actor (user acting for their one membership) that service functions take."""
    from accounts.actor import Actor

    def make(user):
        return Actor(user=user, membership=Membership.objects.select_related("organisation").get(user=user))

    return make
