"""The console e-mail and SMS backends (which print links and one-time codes into the log) are
refused outside the demo, debugging and tests: a system check, the WSGI start and the console SMS
backend itself. Production's e-mail default is SMTP."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from heimveg.checks import check_base_url, check_message_backends, refuse_misconfiguration
from portal.senders import ConsoleSMSBackend

CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"
CONSOLE_SMS = "portal.senders.ConsoleSMSBackend"
SMTP = "django.core.mail.backends.smtp.EmailBackend"
GATEWAY = "portal.senders.MemorySMSBackend"  # stands in for a real gateway's backend
PRODUCTION = {"DEMO_MODE": False, "DEBUG": False, "TESTING": False}
BASE_URL = "https://heimveg.example.no"


def ids(errors):
    return sorted(e.id for e in errors)


@override_settings(**PRODUCTION, BASE_URL=BASE_URL, EMAIL_BACKEND=CONSOLE_EMAIL, SMS_BACKEND=CONSOLE_SMS)
def test_both_console_backends_are_errors_in_production():
    assert ids(check_message_backends()) == ["heimveg.E001", "heimveg.E002"]
    with pytest.raises(ImproperlyConfigured, match="HEIMVEG_SMS_BACKEND"):
        refuse_misconfiguration()


@override_settings(**PRODUCTION, EMAIL_BACKEND=CONSOLE_EMAIL, SMS_BACKEND=GATEWAY)
def test_the_console_email_backend_alone_is_an_error():
    assert ids(check_message_backends()) == ["heimveg.E001"]


@override_settings(**PRODUCTION, EMAIL_BACKEND=SMTP, SMS_BACKEND=CONSOLE_SMS)
def test_the_console_sms_backend_alone_is_an_error_and_prints_nothing(capsys):
    assert ids(check_message_backends()) == ["heimveg.E002"]
    with pytest.raises(ImproperlyConfigured):
        ConsoleSMSBackend().send("+4791234567", "Koden din er 123456")
    assert "123456" not in capsys.readouterr().out


@override_settings(**PRODUCTION, BASE_URL=BASE_URL, EMAIL_BACKEND=SMTP, SMS_BACKEND=GATEWAY)
def test_real_backends_pass():
    assert check_message_backends() == []
    refuse_misconfiguration()


@pytest.mark.parametrize("allowed", ["DEMO_MODE", "DEBUG", "TESTING"])
def test_the_console_backends_are_allowed_in_the_demo_debugging_and_tests(allowed):
    with override_settings(**{**PRODUCTION, allowed: True}, EMAIL_BACKEND=CONSOLE_EMAIL, SMS_BACKEND=CONSOLE_SMS):
        assert check_message_backends() == []


def _production_process(*args, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("HEIMVEG_", "DJANGO_SETTINGS"))}
    clean.update(
        {
            "DJANGO_SETTINGS_MODULE": "heimveg.settings",
            "HEIMVEG_SECRET_KEY": "checks-test-not-secret",
            "DATABASE_URL": "sqlite:///:memory:",
            "HEIMVEG_BASE_URL": "https://heimveg.example.no",
            **env,
        }
    )
    clean = {k: v for k, v in clean.items() if v is not None}
    return subprocess.run(
        [sys.executable, *args], cwd=settings.BASE_DIR, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_settings_default_to_smtp_and_refuse_the_console_sms_backend_until_a_gateway_is_set():
    printed = _production_process("-c", "from heimveg import settings; print(settings.EMAIL_BACKEND)")
    assert printed.stdout.strip() == SMTP, printed.stderr
    refused = _production_process("manage.py", "check")
    assert refused.returncode != 0
    assert "heimveg.E002" in refused.stderr and "heimveg.E001" not in refused.stderr
    passed = _production_process("manage.py", "check", HEIMVEG_SMS_BACKEND=GATEWAY)
    assert passed.returncode == 0, passed.stderr
    console = _production_process(
        "manage.py", "check", HEIMVEG_SMS_BACKEND=GATEWAY, HEIMVEG_EMAIL_BACKEND=CONSOLE_EMAIL
    )
    assert console.returncode != 0 and "heimveg.E001" in console.stderr


def test_the_demo_keeps_the_console_backends():
    printed = _production_process(
        "-c", "from heimveg import settings; print(settings.EMAIL_BACKEND, settings.SMS_BACKEND)", HEIMVEG_DEMO="1"
    )
    assert printed.stdout.split() == [CONSOLE_EMAIL, CONSOLE_SMS], printed.stderr


# HEIMVEG_BASE_URL (heimveg.E003): every link in an SMS or e-mail starts with it.


@pytest.mark.parametrize(
    "url",
    ["", "http://127.0.0.1:8000", "http://heimveg.example.no", "heimveg.example.no", "https://", "ftp://heimveg.no"],
)
def test_outside_the_demo_a_missing_or_plain_http_base_url_is_an_error(url):
    with override_settings(**PRODUCTION, BASE_URL=url):
        assert ids(check_base_url()) == ["heimveg.E003"]
        with pytest.raises(ImproperlyConfigured, match="HEIMVEG_BASE_URL"):
            refuse_misconfiguration()


@pytest.mark.parametrize("url", ["https://heimveg.example.no", "https://heimveg.example.no/", "https://h.no:8443/hv"])
def test_an_https_base_url_passes(url):
    with override_settings(**PRODUCTION, BASE_URL=url):
        assert check_base_url() == []


@pytest.mark.parametrize("allowed", ["DEMO_MODE", "TESTING"])
def test_the_demo_and_tests_accept_http_on_this_machine_only(allowed):
    for url, errors in [
        ("http://127.0.0.1:8000", []),
        ("http://localhost:8000", []),
        ("http://heimveg.example.no", ["heimveg.E003"]),
        ("", ["heimveg.E003"]),
    ]:
        with override_settings(**{**PRODUCTION, allowed: True}, BASE_URL=url):
            assert ids(check_base_url()) == errors, url


def test_debugging_alone_does_not_excuse_a_missing_base_url():
    with override_settings(**{**PRODUCTION, "DEBUG": True}, BASE_URL=""):
        assert ids(check_base_url()) == ["heimveg.E003"]


def test_production_refuses_to_start_without_the_base_url_and_the_demo_has_a_default():
    env = {"HEIMVEG_SMS_BACKEND": GATEWAY}
    unset = _production_process("manage.py", "check", HEIMVEG_BASE_URL=None, **env)
    assert unset.returncode != 0 and "heimveg.E003" in unset.stderr and "is not set" in unset.stderr
    plain = _production_process("manage.py", "check", HEIMVEG_BASE_URL="http://heimveg.example.no", **env)
    assert plain.returncode != 0 and "not https" in plain.stderr
    wsgi = _production_process("-c", "import heimveg.wsgi", HEIMVEG_BASE_URL=None, **env)
    assert wsgi.returncode != 0 and "HEIMVEG_BASE_URL is not set" in wsgi.stderr
    demo = _production_process(
        "-c", "from heimveg import settings; print(settings.BASE_URL)", HEIMVEG_BASE_URL=None, HEIMVEG_DEMO="1"
    )
    assert demo.stdout.strip() == "http://127.0.0.1:8000", demo.stderr


def test_links_in_messages_start_with_the_base_url(settings):
    from lib.links import absolute_reverse, absolute_url

    settings.BASE_URL = "https://heimveg.example.no/"
    assert absolute_url("/p/abc/") == "https://heimveg.example.no/p/abc/"
    assert absolute_reverse("handover:inbox") == "https://heimveg.example.no/handover/"


def test_a_refused_start_is_logged_as_critical(caplog):
    with override_settings(**PRODUCTION, BASE_URL="http://heimveg.example.no"):
        with pytest.raises(ImproperlyConfigured):
            refuse_misconfiguration()
    (line,) = [r for r in caplog.records if r.name == "heimveg.checks"]
    assert line.levelname == "CRITICAL"
    assert line.getMessage().startswith("start refused, the configuration is wrong: ")
    assert "HEIMVEG_BASE_URL" in line.getMessage()
