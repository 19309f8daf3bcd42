"""An organisation admin's local offers (directory) need an organisation with a public page: the
test of directory/tests/test_local_offers.py that makes an admin of one without."""


def test_an_admin_of_an_organisation_without_a_public_page_gets_not_found(client_for, orgs):
    from accounts.models import Role
    from conftest import make_user

    trust_admin = make_user("trustadmin", orgs["helse_bergen"], Role.ORG_ADMIN)
    assert client_for(trust_admin).get("/directory/public-page/").status_code == 404
