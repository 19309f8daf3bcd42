"""Staff sign-in through OpenID Connect against a real provider (node-oidc-provider, configured
like HelseID: PAR required, private_key_jwt, PKCE, the helseid://claims/... claims), started by
testsupport/oidc.py. Every refusal shows a clear page and writes an audit entry (docs/sign-in.md)."""

import datetime
import html
import re
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import time_machine
from django.core.cache import cache
from django.utils import timezone

from accounts.models import Invitation, Membership, ProviderIdentity, Role, SignInPolicy, User
from accounts.oidc import flow
from accounts.tests.invitation_helpers import Client, invite, open_link
from audit.models import AuditEntry
from conftest import PASSWORD
from testsupport.oidc import (
    NURSE_HPR,
    NURSE_PID,
    OTHER_CLIENT_ID,
    sign_in_at_provider,
    signed_in_at_provider,
    start_sign_in,
)

pytest_plugins = ["testsupport.oidc"]
pytestmark = [pytest.mark.running_clock, pytest.mark.django_db]


@pytest.fixture
def admin_actor(personas, actor_of):
    return actor_of(personas["admin"])  # organisation admin for Askøy


def refusals():
    return list(
        AuditEntry.objects.filter(action="denied", detail__startswith="provider sign-in refused").values_list(
            "detail", flat=True
        )
    )


def assert_refused(response, reason, signed_in_before=False):
    assert response.status_code in (403, 503), response.status_code
    body = response.content.decode()
    assert "The sign-in was not completed" in body
    assert f'data-reason="{reason}"' in body
    assert any(f"refused: {reason} " in detail for detail in refusals()), refusals()
    if not signed_in_before:
        assert "_auth_user_id" not in response.wsgi_request.session


def invited_nurse(admin_actor, **kwargs):
    kwargs.setdefault("national_id", NURSE_PID)
    kwargs.setdefault("hpr_number", NURSE_HPR)
    invitation, path = invite(admin_actor, email="nora@example.no", **kwargs)
    client = Client()
    open_link(client, path)
    return invitation, client


def test_an_invited_nurse_binds_helseid_and_signs_in_by_the_binding_later(helseid, admin_actor):
    invitation, client = invited_nurse(admin_actor)
    response = client.get(signed_in_at_provider(client, "helseid", "nurse"))
    assert response.status_code == 302 and response["Location"] == "/"
    user = User.objects.get(email="nora@example.no")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation=invitation.organisation, role=Role.MUNICIPAL_COORDINATOR)
    identity = ProviderIdentity.objects.get(user=user)
    assert (identity.issuer, identity.subject) == (helseid.issuer, "helseid-nurse-sub")
    assert Invitation.objects.get(pk=invitation.pk).used_at is not None
    assert AuditEntry.objects.filter(detail__contains=f"redeemed by provider sign-in (helseid) user {user.public_id}")
    account = client.get("/accounts/me/").content.decode()
    assert "HelseID, linked" in account and "Change password" not in account

    # Later: a fresh browser, no invitation; the binding alone says who it is.
    later = Client()
    response = later.get(signed_in_at_provider(later, "helseid", "nurse"))
    assert response.status_code == 302
    assert later.get("/accounts/me/").wsgi_request.user == user


def _with_query(callback, **changes):
    parts = urlsplit(callback)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = value
    return f"{parts.path}?{urlencode(query)}"


def test_an_unknown_person_gets_a_page_and_an_audit_entry_and_no_account(helseid):
    client = Client()
    users = User.objects.count()
    response = client.get(signed_in_at_provider(client, "helseid", "nurse"))
    assert_refused(response, "unknown_person")
    assert "for an invitation, open its link" in response.content.decode()
    assert User.objects.count() == users and not ProviderIdentity.objects.exists()


def test_a_wrong_state_is_refused(helseid):
    client = Client()
    callback = signed_in_at_provider(client, "helseid", "nurse")
    assert_refused(client.get(_with_query(callback, state="not-the-state")), "state")


def test_a_missing_or_wrong_iss_is_refused(helseid):
    for iss in (None, "https://helseid-sts.example.org"):
        client = Client()
        callback = signed_in_at_provider(client, "helseid", "nurse")
        assert_refused(client.get(_with_query(callback, iss=iss)), "iss_parameter")


def test_a_replayed_code_is_refused_by_the_provider(helseid, admin_actor):
    _invitation, client = invited_nurse(admin_actor)
    authorize = start_sign_in(client, "helseid")
    saved = dict(client.session[flow.FLOWS_SESSION_KEY])
    callback = sign_in_at_provider(authorize, "nurse")
    assert client.get(callback).status_code == 302
    # The same answer again, with its state put back (as an attacker holding both would).
    session = client.session
    session[flow.FLOWS_SESSION_KEY] = saved
    session.save()
    response = client.get(callback)
    assert_refused(response, "code", signed_in_before=True)
    assert "invalid_grant" in refusals()[-1]


def test_a_wrong_nonce_is_refused(helseid):
    client = Client()
    authorize = start_sign_in(client, "helseid")
    session = client.session
    flows = session[flow.FLOWS_SESSION_KEY]
    for started in flows.values():
        started["nonce"] = "another-nonce"
    session[flow.FLOWS_SESSION_KEY] = flows
    session.save()
    assert_refused(client.get(sign_in_at_provider(authorize, "nurse")), "nonce")


def test_an_expired_id_token_is_refused(helseid):
    client = Client()
    callback = signed_in_at_provider(client, "helseid", "nurse")
    # The test provider's ID tokens live 60 seconds; Heimveg allows 60 seconds of clock difference.
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=240), tick=True):
        assert_refused(client.get(callback), "expired")


def test_an_id_token_signed_by_another_provider_is_refused(helseid, oidc_providers):
    """The second provider calls itself by the same issuer but signs with its own keys; Heimveg
    checks the token against the keys of the issuer it knows (the primary's JWKS)."""
    second = oidc_providers["second"]
    meta = helseid.metadata()
    for endpoint in ("authorization_endpoint", "pushed_authorization_request_endpoint", "token_endpoint"):
        meta[endpoint] = meta[endpoint].replace(helseid.base, second.base)
    cache.set(flow._cache_key("discovery", helseid.issuer), meta, 600)
    client = Client()
    assert_refused(client.get(signed_in_at_provider(client, "helseid", "nurse")), "signature")


def test_an_id_token_for_another_client_is_refused(helseid, settings):
    """The provider is asked for one client id and the token names another (its audience)."""
    settings.HEIMVEG_HELSEID_CLIENT_ID = OTHER_CLIENT_ID
    client = Client()
    authorize = start_sign_in(client, "helseid")
    settings.HEIMVEG_HELSEID_CLIENT_ID = "heimveg"
    assert_refused(client.get(sign_in_at_provider(authorize, "nurse")), "audience")


def test_a_security_level_below_the_required_is_refused(helseid, admin_actor):
    _invitation, client = invited_nurse(admin_actor)
    assert_refused(client.get(signed_in_at_provider(client, "helseid", "nurse-level3")), "level")
    assert not ProviderIdentity.objects.exists()


def test_an_invitation_for_another_person_is_not_bound(helseid, admin_actor):
    invitation, client = invited_nurse(admin_actor)
    assert_refused(client.get(signed_in_at_provider(client, "helseid", "impostor")), "identity_mismatch")
    assert Invitation.objects.get(pk=invitation.pk).used_at is None
    assert not User.objects.filter(email="nora@example.no").exists()


def test_a_cancelled_sign_in_is_refused(helseid):
    client = Client()
    callback = signed_in_at_provider(client, "helseid", "nurse")
    assert_refused(client.get(_with_query(callback, code=None, error="access_denied")), "provider_error")


def test_a_citizen_provider_without_its_handler_says_not_available(idporten, monkeypatch):
    from accounts.oidc import purposes

    monkeypatch.setattr(purposes, "_handlers", {k: v for k, v in purposes._handlers.items() if k != "citizen"})
    client = Client()
    assert_refused(client.get(signed_in_at_provider(client, "idporten", "citizen")), "not_available")


def test_an_idporten_acr_below_substantial_is_refused(idporten):
    client = Client()
    assert_refused(client.get(signed_in_at_provider(client, "idporten", "citizen-low")), "level")


def test_password_sign_in_is_refused_where_the_organisation_requires_a_provider(helseid, personas, admin_actor):
    from accounts.oidc import policy

    policy.set_required(admin_actor, True)
    assert SignInPolicy.objects.get().provider_required
    client = Client()
    # The coordinator is a member of Askøy (which requires it); an analyst elsewhere is not held to it.
    response = client.post("/accounts/sign-in/", {"username": "coordinator", "password": PASSWORD})
    body = response.content.decode()
    assert response.status_code == 200 and "requires sign-in through its identity provider" in body
    assert "Sign in with HelseID" in body
    assert AuditEntry.objects.filter(detail__startswith="password sign-in refused: provider sign-in required")
    assert "_auth_user_id" not in client.session and "heimveg_oidc_sign_in" not in client.session
    response = Client().post("/accounts/sign-in/", {"username": "analyst", "password": PASSWORD})
    assert response.status_code == 302


def test_a_person_in_several_organisations_is_held_to_the_strictest(personas, admin_actor, orgs):
    from accounts.oidc import policy

    analyst = personas["analyst"]
    assert not policy.provider_required(analyst)
    Membership.objects.create(user=analyst, organisation=orgs["askoy"], role=Role.ANALYST)
    policy.set_required(admin_actor, True)
    assert policy.provider_required(analyst)


def test_the_sign_in_page_without_providers_shows_no_buttons(db):
    response = Client().get("/accounts/sign-in/")
    assert response.status_code == 200 and "Sign in with an identity provider" not in response.content.decode()


def test_the_jwks_publishes_the_public_keys_only(oidc_client_key):
    from accounts.oidc import keys

    new = keys.generate()
    body = Client().get("/accounts/oidc/jwks.json").json()
    assert {key["kid"] for key in body["keys"]} == {oidc_client_key.kid, new.kid}
    assert all("d" not in key for key in body["keys"])
    assert keys.active() == new
    assert keys.retire(oidc_client_key.kid) and not keys.retire(new.kid)
    assert [key["kid"] for key in Client().get("/accounts/oidc/jwks.json").json()["keys"]] == [new.kid]


def test_signing_out_goes_to_the_provider_with_the_id_token(helseid, admin_actor):
    _invitation, client = invited_nurse(admin_actor)
    client.get(signed_in_at_provider(client, "helseid", "nurse"))
    response = client.post("/accounts/sign-out/")
    # Not a redirect (form-action 'self' would block it after the form's POST): a page that
    # moves on by a refresh after 0 seconds, with the same address as a link.
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    refresh = re.search(r'<meta http-equiv="refresh" content="0; url=([^"]+)">', body)
    assert refresh, body[:2000]
    end_session = html.unescape(refresh.group(1))
    assert f'href="{refresh.group(1)}"' in body
    location = urlsplit(end_session)
    query = parse_qs(location.query)
    assert location.path == "/session/end"
    assert query["id_token_hint"][0].count(".") == 2
    assert query["post_logout_redirect_uri"] == ["http://127.0.0.1:8000/accounts/oidc/signed-out/"]
    assert query["state"][0].startswith("staff.")
    # The provider takes the hint and the return address: its sign-out page, then back to Heimveg.
    import requests

    browser = requests.Session()
    ended = browser.get(end_session, timeout=10)
    assert ended.status_code == 200, ended.text[:500]
    form = dict(re.findall(r'name="(\w+)" value="([^"]*)"', ended.text))
    back = browser.post(
        f"{helseid.base}/session/end/confirm", data={**form, "logout": "yes"}, allow_redirects=False, timeout=10
    )
    assert back.status_code in (302, 303) and back.headers["Location"].startswith(
        "http://127.0.0.1:8000/accounts/oidc/signed-out/?state=staff."
    ), (back.status_code, back.text[:300])
    assert "_auth_user_id" not in client.session and "heimveg_oidc_sign_in" not in client.session


def test_a_member_binds_helseid_with_a_reset_link_checked_against_their_recorded_numbers(
    helseid, personas, admin_actor
):
    from accounts import invitations
    from accounts.tests.invitation_helpers import link_path

    coordinator = personas["coordinator"]
    coordinator.email, coordinator.hpr_number = "kari@example.no", NURSE_HPR
    coordinator.national_id_hash = invitations.national_id_hash(NURSE_PID)
    coordinator.save()
    membership = coordinator.memberships.get()
    from django.core import mail

    for login, outcome in (("impostor", "identity_mismatch"), ("nurse", None)):
        mail.outbox.clear()
        invitations.reset_second_factor(admin_actor, membership.public_id)
        client = Client()
        open_link(client, link_path(mail.outbox[-1]))
        response = client.get(signed_in_at_provider(client, "helseid", login))
        if outcome:
            assert_refused(response, outcome)
        else:
            assert response.status_code == 302
    assert ProviderIdentity.objects.get().user == coordinator


def test_a_provider_on_plain_http_is_refused_unless_allowed(helseid, settings):
    settings.HEIMVEG_OIDC_ALLOW_HTTP = False
    cache.clear()
    client = Client()
    response = client.get("/accounts/oidc/helseid/start/")
    assert_refused(response, "unavailable")
    assert response.status_code == 503


def test_the_key_command_generates_rotates_lists_and_retires(db):
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    from accounts.oidc import keys

    call_command("oidc_keys", "generate", stdout=StringIO())
    first = keys.active()
    with pytest.raises(CommandError):
        call_command("oidc_keys", "generate", stdout=StringIO())
    out = StringIO()
    call_command("oidc_keys", "rotate", stdout=out)
    second = keys.active()
    assert second != first and f"retire {first.kid}" in out.getvalue()
    out = StringIO()
    call_command("oidc_keys", "list", stdout=out)
    assert f"{first.kid}" in out.getvalue() and "signing" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("oidc_keys", "retire", second.kid, stdout=StringIO())
    call_command("oidc_keys", "retire", first.kid, stdout=StringIO())
    assert [key["kid"] for key in keys.public_jwks()["keys"]] == [second.kid]


def test_the_sign_in_returns_to_the_page_it_started_from_on_this_site_only(helseid, admin_actor):
    from testsupport.oidc import sign_in_at_provider, start_sign_in

    _invitation, client = invited_nurse(admin_actor)
    client.get(signed_in_at_provider(client, "helseid", "nurse"))
    for asked, landed in (("/accounts/me/", "/accounts/me/"), ("https://evil.example/", "/")):
        fresh = Client()
        response = fresh.get(sign_in_at_provider(start_sign_in(fresh, "helseid", asked), "nurse"))
        assert response.status_code == 302 and response["Location"] == landed


def test_the_start_up_checks_refuse_an_http_issuer_and_warn_of_half_a_configuration(settings):
    from accounts.oidc.checks import provider_settings

    settings.HEIMVEG_OIDC_ALLOW_HTTP = False
    settings.HEIMVEG_HELSEID_ISSUER, settings.HEIMVEG_HELSEID_CLIENT_ID = "http://helseid.example", "heimveg"
    settings.HEIMVEG_IDPORTEN_ISSUER, settings.HEIMVEG_IDPORTEN_CLIENT_ID = "https://test.idporten.no", ""
    assert sorted(problem.id for problem in provider_settings()) == ["accounts.E101", "accounts.W101"]
    settings.HEIMVEG_HELSEID_ISSUER = "https://helseid-sts.test.nhn.no"
    settings.HEIMVEG_IDPORTEN_CLIENT_ID = "heimveg"
    assert provider_settings() == []


def test_an_organisation_admin_requires_provider_sign_in_on_the_members_page(personas, client_for):
    admin = client_for(personas["admin"])
    assert "How members sign in" in admin.get("/accounts/members/").content.decode()
    response = admin.post("/accounts/members/sign-in-policy/", {"provider_required": "on"}, follow=True)
    assert "must now sign in through an identity provider" in response.content.decode()
    assert SignInPolicy.objects.get().provider_required
    assert AuditEntry.objects.filter(detail="sign-in policy provider required on", user=personas["admin"])
    admin.post("/accounts/members/sign-in-policy/", {})
    assert not SignInPolicy.objects.get().provider_required
    # Not an admin: refused, nothing changed.
    refused = client_for(personas["coordinator"]).post("/accounts/members/sign-in-policy/", {"provider_required": "on"})
    assert refused.status_code == 403 and not SignInPolicy.objects.get().provider_required


def test_the_refusal_page_is_in_the_users_language(helseid, settings):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    response = client.get(signed_in_at_provider(client, "helseid", "nurse"))
    body = response.content.decode()
    assert "Innlogginga vart ikkje fullført" in body and "Heimveg kjenner deg ikkje enno" in body


def test_the_signed_out_page_goes_on_by_the_sign_ins_purpose(db, monkeypatch):
    from accounts.oidc import purposes

    monkeypatch.setattr(purposes, "_after_sign_out", {"citizen": "/p/start/"})
    assert 'href="/accounts/sign-in/"' in Client().get("/accounts/oidc/signed-out/?state=staff.x").content.decode()
    # A purpose with a signed-out page of its own (the portal's for citizens) goes on there.
    assert Client().get("/accounts/oidc/signed-out/?state=citizen.x")["Location"] == "/p/start/"
    assert 'href="/accounts/sign-in/"' in Client().get("/accounts/oidc/signed-out/?state=evil").content.decode()


def test_an_organisations_own_provider_binds_invitations_of_that_organisation_only(
    oidc_providers, oidc_client_key, settings, admin_actor, orgs
):
    """The superuser's IdentityProvider row (here a generic provider of Askøy, played by the test
    provider): it redeems Askøy's invitations, not another organisation's."""
    from accounts.models import IdentityProvider

    cache.clear()
    settings.HEIMVEG_OIDC_ALLOW_HTTP = True
    IdentityProvider.objects.create(
        key="askoy-idp",
        name="Askøy kommune",
        kind="generic",
        organisation=orgs["askoy"],
        issuer=oidc_providers["primary"].issuer,
        client_id="heimveg",
    )
    assert "Sign in with Askøy kommune" in Client().get("/accounts/sign-in/").content.decode()
    _invitation, client = invited_nurse(admin_actor)
    assert client.get(signed_in_at_provider(client, "askoy-idp", "nurse")).status_code == 302
    assert ProviderIdentity.objects.get().provider_key == "askoy-idp"

    voss = Membership.objects.create(
        user=User.objects.create_user("admin.voss"), organisation=orgs["voss"], role=Role.ORG_ADMIN
    )
    from accounts.actor import Actor

    invitation, path = invite(Actor(user=voss.user, membership=voss), email="other@example.no")
    other = Client()
    open_link(other, path)
    assert_refused(other.get(signed_in_at_provider(other, "askoy-idp", "impostor")), "other_organisation")
    assert Invitation.objects.get(pk=invitation.pk).used_at is None
    cache.clear()


def test_the_client_assertion_is_as_helseid_asks(oidc_client_key, settings):
    """aud the issuer, iss and sub the client id, a jti, nbf, and exp at most 60 seconds ahead."""
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    from accounts.oidc import providers

    settings.HEIMVEG_HELSEID_ISSUER, settings.HEIMVEG_HELSEID_CLIENT_ID = "https://helseid-sts.test.nhn.no", "heimveg"
    client = flow._client(providers.get("helseid"), "heimveg")
    auth = client.client_auth("private_key_jwt")
    _uri, _headers, body = auth.prepare("POST", "https://helseid-sts.test.nhn.no/connect/token", {}, "")
    assertion = parse_qs(body)["client_assertion"][0]
    public = RSAKey.import_key(oidc_client_key.public_jwk)
    token = jwt.decode(assertion, public)
    claims = token.claims
    assert token.header["kid"] == oidc_client_key.kid and token.header["typ"] == "JWT"
    assert claims["aud"] == "https://helseid-sts.test.nhn.no"
    assert claims["iss"] == claims["sub"] == "heimveg" and claims["jti"]
    assert claims["nbf"] <= claims["iat"] < claims["exp"] <= claims["iat"] + 60
