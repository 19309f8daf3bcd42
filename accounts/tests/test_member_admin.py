"""An organisation admin runs the members of their organisation (and of the hospitals a health
trust covers) on Heimveg's own pages: give and take roles, end a membership (the account is closed
only with the last one), unlock, see the last sign-in; every action audited, and refused (403,
audited) for a membership elsewhere. The Django admin is the superuser's alone."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import Membership, Role, SignInEvent
from conftest import make_user
from directory.models import Organisation


def membership_of(user, **filters):
    return Membership.objects.get(user=user, **filters)


@pytest.fixture
def admin(client_for, personas):
    return client_for(personas["admin"])  # organisation admin for Askøy


def test_the_members_page_shows_each_members_last_sign_in(admin, personas):
    coordinator = personas["coordinator"]
    when = timezone.make_aware(datetime.datetime(2026, 11, 30, 8, 15))
    SignInEvent.objects.create(user=coordinator, occurred_at=when, outcome=SignInEvent.Outcome.SUCCEEDED)
    later_failure = when + datetime.timedelta(days=1)
    SignInEvent.objects.create(user=coordinator, occurred_at=later_failure, outcome=SignInEvent.Outcome.FAILED)
    page = admin.get("/accounts/members/").content.decode()
    assert "Last sign-in" in page
    assert "30.11.2026 08:15" in page  # the last successful one, not the failure after it


def test_an_admin_of_a_health_trust_manages_its_hospitals_members(client_for, personas, orgs):
    trust_admin = make_user("trust-admin", orgs["helse_bergen"], Role.ORG_ADMIN)
    nurse = personas["nurse"]  # at Haukeland, a hospital of Helse Bergen
    assert orgs["haukeland"].parent == orgs["helse_bergen"]
    client = client_for(trust_admin)
    page = client.get("/accounts/members/").content.decode()
    assert "Haukeland universitetssjukehus" in page and "Nurse" in page
    membership = membership_of(nurse)
    client.post(f"/accounts/members/{membership.public_id}/give-role/", {"role": Role.PATHWAY_COORDINATOR})
    assert Membership.objects.get(user=nurse, role=Role.PATHWAY_COORDINATOR).organisation == orgs["haukeland"]
    client.post(f"/accounts/members/{membership.public_id}/deactivate/")
    membership.refresh_from_db()
    nurse.refresh_from_db()
    assert not membership.is_active and nurse.is_active  # the new role remains


def test_the_no_role_page_names_the_organisations_administrators(admin, client_for, personas):
    coordinator = personas["coordinator"]
    personas["admin"].first_name, personas["admin"].last_name = "Anne", "Admin"
    personas["admin"].save()
    Membership.objects.filter(user=coordinator).update(is_active=False)  # e.g. by the superuser
    page = client_for(coordinator).get("/patients/").content.decode()
    assert "No role yet" in page and "Anne Admin (Askøy)" in page


@pytest.mark.norwegian
@pytest.mark.parametrize(
    "language, words",
    [
        ("nb", ["Sist innlogget", "Gi rolle", "Avslutt medlemskapet"]),
        ("nn", ["Sist innlogga", "Gi rolle", "Avslutt medlemskapet"]),
    ],
)
def test_the_member_pages_speak_bokmal_and_nynorsk(client_for, personas, settings, language, words):
    client = client_for(personas["admin"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get("/accounts/members/").content.decode()
    assert all(word in page for word in words), language
    refused = client.post(f"/accounts/members/{membership_of(personas['outsider']).public_id}/deactivate/")
    assert refused.status_code == 403
    assert ("Ikke medlem" if language == "nb" else "Ikkje medlem") in refused.content.decode()


def test_organisations_kind_is_respected_for_roles_offered(admin, personas):
    page = admin.get("/accounts/members/").content.decode()
    membership = membership_of(personas["coordinator"])
    assert f"/accounts/members/{membership.public_id}/give-role/" in page
    assert membership.organisation.kind == Organisation.Kind.MUNICIPALITY  # so no hospital roles offered
    form = page[page.index(f'role-{membership.public_id}"') :]
    form = form[: form.index("</select>")]
    assert "hospital_clinician" not in form and "analyst" in form and "municipal_coordinator" not in form


def test_an_admin_of_a_health_trust_invites_to_one_of_its_hospitals(client_for, orgs, actor_of, personas):
    from django.core import mail

    from accounts import invitations
    from accounts.models import Invitation

    trust_admin = make_user("trust-admin", orgs["helse_bergen"], Role.ORG_ADMIN)
    client = client_for(trust_admin)
    page = client.get("/accounts/members/invite/").content.decode()
    assert "Haukeland universitetssjukehus" in page
    response = client.post(
        "/accounts/members/invite/",
        {
            "name": "Nils Ny",
            "email": "nils.ny@example.no",
            "organisation": str(orgs["haukeland"].public_id),
            "role": Role.HOSPITAL_CLINICIAN,
            "language": "en",
        },
    )
    assert response.status_code == 302, response.content.decode()
    invitation = Invitation.objects.get(email="nils.ny@example.no")
    assert invitation.organisation == orgs["haukeland"] and "Haukeland" in mail.outbox[-1].body
    assert "nils.ny@example.no" in client.get("/accounts/members/").content.decode()  # listed, revocable
    client.post(f"/accounts/members/invitations/{invitation.public_id}/revoke/")
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    # A municipality's admin cannot invite to an organisation it does not cover.
    with pytest.raises(invitations.NotYourMember):
        invitations.invite(
            actor_of(personas["admin"]),
            email="x@example.no",
            name="X",
            role=Role.HOSPITAL_CLINICIAN,
            organisation=orgs["haukeland"],
        )


@pytest.mark.two_factor
def test_the_page_for_a_missing_authenticator_names_the_administrators(client_for, personas):
    admin_user = personas["admin"]
    admin_user.first_name, admin_user.last_name, admin_user.email = "Anne", "Admin", "anne.admin@example.no"
    admin_user.save()
    page = client_for(personas["coordinator"]).get("/accounts/two-factor/").content.decode()
    assert "Two-factor sign-in is not set up" in page
    assert "Anne Admin (Askøy)" in page and "mailto:anne.admin@example.no" in page
    # Another organisation's admin is not named.
    make_user("voss-admin", Organisation.objects.get(municipality_number="4621"), Role.ORG_ADMIN)
    assert "Voss-Admin" not in client_for(personas["coordinator"]).get("/accounts/two-factor/").content.decode()


@pytest.mark.parametrize("action", ["reset_second_factor", "end_membership", "give_role", "unlock"])
def test_every_action_on_a_member_locks_the_user_before_the_membership(personas, actor_of, action):
    """One lock order for all of them: an admin resetting a member's second factor while another
    ends the same membership must wait, not deadlock (the user row first, then the membership)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts import invitations, memberships

    if not connection.features.has_select_for_update:
        pytest.skip("no row locks on this database")
    coordinator = personas["coordinator"]
    coordinator.email = "coordinator@example.no"
    coordinator.save()
    membership = membership_of(coordinator)
    calls = {
        "reset_second_factor": lambda actor: invitations.reset_second_factor(actor, membership.public_id),
        "end_membership": lambda actor: memberships.end_membership(actor, membership.public_id),
        "give_role": lambda actor: memberships.give_role(actor, membership.public_id, Role.ANALYST),
        "unlock": lambda actor: memberships.unlock(actor, membership.public_id),
    }
    with CaptureQueriesContext(connection) as queries:
        try:
            calls[action](actor_of(personas["admin"]))
        except Exception:  # noqa: BLE001 - unlock refuses a member who is not locked out, after locking
            pass
    locked = [
        table
        for query in queries.captured_queries
        if "FOR UPDATE" in query["sql"]
        for table in ("accounts_user", "accounts_membership")
        if f'FROM "{table}"' in query["sql"]
    ]
    assert locked[:2] == ["accounts_user", "accounts_membership"], locked


def test_finding_a_users_administrators_takes_as_many_queries_for_two_hospitals_as_for_one(personas, orgs):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from accounts.memberships import administrators_for

    hospitals = list(Organisation.objects.filter(parent=orgs["helse_bergen"], kind=Organisation.Kind.HOSPITAL)[:2])
    assert len(hospitals) == 2
    user = make_user("travelling", hospitals[0], Role.HOSPITAL_CLINICIAN)
    counts = {}
    for memberships in (1, 2):
        for hospital in hospitals[1:memberships]:
            Membership.objects.get_or_create(user=user, organisation=hospital, role=Role.HOSPITAL_CLINICIAN)
        with CaptureQueriesContext(connection) as queries:
            administrators_for(user)
        counts[memberships] = len(queries.captured_queries)
    assert counts[2] == counts[1], counts
