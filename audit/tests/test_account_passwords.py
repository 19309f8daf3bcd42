"""A changed password is audited (accounts.views, recorded through accounts.trail): the test of
accounts/tests/test_passwords.py that reads the audit trail."""

from audit.models import AuditEntry
from conftest import PASSWORD


def test_users_change_their_own_password_and_stay_signed_in(client_for, personas):
    client = client_for(personas["nurse"])
    weak = client.post(
        "/accounts/me/password/",
        {"old_password": PASSWORD, "new_password1": "Passord123456", "new_password2": "Passord123456"},
    )
    assert weak.status_code == 200 and "too guessable" in weak.content.decode()
    response = client.post(
        "/accounts/me/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Fjellrev-i-lyngen-2026",
            "new_password2": "Fjellrev-i-lyngen-2026",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/accounts/me/"
    personas["nurse"].refresh_from_db()
    assert personas["nurse"].check_password("Fjellrev-i-lyngen-2026")
    assert client.get("/patients/").status_code == 200  # the session was kept
    entry = AuditEntry.objects.get(object_type="account")
    assert entry.detail == f"password changed user {personas['nurse'].public_id}"
