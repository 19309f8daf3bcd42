"""Password strength (zxcvbn, with the length and common-password checks) wherever a password is
set, and users changing their own password."""

import pytest
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import translation

from conftest import PASSWORD

WEAK = ["aaaaaaaaaaaa", "Passord123456", "Heimveg2026!", "qwertyuiopåø"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused(password, personas):
    with pytest.raises(ValidationError):
        validate_password(password, personas["nurse"])


def test_a_strong_password_is_accepted(personas):
    validate_password("Fjellrev-i-lyngen-2026", personas["nurse"])


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nb", "Passordet ditt er for lett å gjette"), ("nn", "Passordet ditt er for lett å gjette")],
)
def test_the_strength_message_is_translated(language, expected):
    with translation.override(language), pytest.raises(ValidationError) as error:
        validate_password("aaaaaaaaaaaa")
    messages = " ".join(str(m) for m in error.value.messages)
    assert expected in messages
    assert "Your password" not in messages


@pytest.mark.norwegian
def test_the_change_password_page_shows_the_strength_message_in_nynorsk(client_for, personas, settings):
    client = client_for(personas["nurse"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    page = client.post(
        "/accounts/me/password/",
        {"old_password": PASSWORD, "new_password1": "aaaaaaaaaaaa", "new_password2": "aaaaaaaaaaaa"},
    ).content.decode()
    assert "Gjentakingar som" in page


def test_the_admin_password_form_refuses_weak_passwords(personas):
    form = AdminPasswordChangeForm(personas["nurse"], {"password1": "Passord123456", "password2": "Passord123456"})
    assert not form.is_valid()


def test_a_wrong_old_password_is_refused(client_for, personas):
    client = client_for(personas["nurse"])
    page = client.post(
        "/accounts/me/password/",
        {"old_password": "wrong", "new_password1": "Fjellrev-i-lyngen-2026", "new_password2": "Fjellrev-i-lyngen-2026"},
    )
    assert page.status_code == 200
    personas["nurse"].refresh_from_db()
    assert personas["nurse"].check_password(PASSWORD)
