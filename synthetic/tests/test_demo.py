"""The demo data: the named trusts and municipalities, users in every role, 100+ patients.

The demo is loaded once for this module (on the pinned test day); each test reads it inside its
own rolled-back transaction. test_demo_any_day.py checks the same properties on other days."""

import pytest
from django.utils import timezone

from synthetic.demo import DEMO_PASSWORD
from synthetic.tests import demo_properties as properties
from testsupport.demo import demo_loaded


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    from testsupport import clock

    with demo_loaded(django_db_blocker, clock.test_today()) as out:
        yield out


def test_the_demo_loads_once_and_again_without_duplicates(demo, db, capsys):
    counts = properties.counts()
    properties.quietly("load_demo")
    properties.call_command("load_demo")
    again = capsys.readouterr().out
    assert counts == properties.counts()
    assert counts[0] >= 100
    assert "132 new patients" in demo and "0 new patients, 0 new enrolments" in again
    assert DEMO_PASSWORD in again and "koordinator.askoy" in again


def test_the_demo_covers_the_regions_roles_and_relatives_asked_for(demo, db):
    properties.regions_roles_and_relatives()


def test_the_demo_has_contact_persons_and_a_municipality_reading_its_own_entries_after_a_move(demo, db):
    properties.contact_persons_and_a_move()


def test_every_clinical_demo_login_sees_its_patients(demo, db):
    properties.every_clinical_login_sees_its_patients()


def test_the_demo_has_answers_from_home_and_completed_assessments(demo, db):
    properties.answers_from_home_and_completed_assessments()


def test_every_demo_number_is_synthetic(demo, db):
    properties.every_number_synthetic()


def test_the_demo_has_handover_messages_in_every_state(demo, db, today):
    from handover.models import HandoverMessage

    properties.handover_messages_in_every_state(today, timezone.now())
    count = HandoverMessage.objects.count()
    properties.quietly("load_demo")
    assert HandoverMessage.objects.count() == count


def test_the_demo_gives_the_analyst_a_report_with_real_volumes(demo, db, client):
    properties.the_analyst_has_a_report_with_real_volumes(client)


def test_the_demo_is_built_around_the_day_it_is_given(demo, db, today):
    properties.built_around(today)


def test_the_demo_shows_the_example_pathways_on_the_new_logins_worklists(demo, db, client, today):
    properties.example_pathways_on_the_worklists(client, today)


def test_the_demo_is_built_through_the_products_services_and_rules(demo, db):
    properties.built_through_the_products_rules()
