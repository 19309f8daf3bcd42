"""A real OpenID provider for the tests: node-oidc-provider (package-lock.json), started by the
session fixture `oidc_providers` from testsupport/oidc_provider/provider.mjs, configured like
HelseID and ID-porten. Two instances: `primary`, and `second`, which calls itself by the same
issuer but signs with other keys (the "signed by another provider" test).

`signed_in_at_provider(client, provider_key, login)` drives a sign-in without a browser: Heimveg's
start page (Django's test client), the provider's pages (requests, as the browser), and returns
the callback's path and query for the test client to open.
"""

import json
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from joserfc.jwk import RSAKey

SCRIPT = Path(__file__).parent / "oidc_provider" / "provider.mjs"
ROOT = Path(__file__).resolve().parent.parent
CLIENT_ID = "heimveg"
OTHER_CLIENT_ID = "heimveg-other"
CALLBACK_PATH = "/accounts/oidc/callback/"

NURSE_PID = "13916910082"
NURSE_HPR = "565501872"
# The provider's test accounts: login name → subject, acr and claims.
ACCOUNTS = {
    "nurse": {
        "sub": "helseid-nurse-sub",
        "claims": {
            "name": "Nora Sykepleier",
            "helseid://claims/identity/pid": NURSE_PID,
            "helseid://claims/identity/security_level": "4",
            # HelseID sends the HPR number as a string or, as here, a list.
            "helseid://claims/hpr/hpr_number": [NURSE_HPR],
        },
    },
    "nurse-level3": {
        "sub": "helseid-level3-sub",
        "claims": {
            "helseid://claims/identity/pid": NURSE_PID,
            "helseid://claims/identity/security_level": "3",
            "helseid://claims/hpr/hpr_number": NURSE_HPR,
        },
    },
    "impostor": {
        "sub": "helseid-impostor-sub",
        "claims": {
            "helseid://claims/identity/pid": "01817010055",
            "helseid://claims/identity/security_level": "4",
            "helseid://claims/hpr/hpr_number": "100000001",
        },
    },
    "citizen": {"sub": "idporten-citizen-sub", "acr": "idporten-loa-substantial", "claims": {"pid": "24845010028"}},
    "citizen-high": {"sub": "idporten-high-sub", "acr": "idporten-loa-high", "claims": {"pid": "24845010028"}},
    "citizen-low": {"sub": "idporten-low-sub", "acr": "idporten-loa-low", "claims": {"pid": "24845010028"}},
}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class TestProvider:
    issuer: str
    base: str  # where it listens (the second provider: not where its issuer says)
    process: subprocess.Popen

    def metadata(self):
        return requests.get(f"{self.base}/.well-known/openid-configuration", timeout=5).json()


def _start(directory, name, port, issuer, public_jwk):
    config = {
        "port": port,
        "issuer": issuer,
        "clients": [
            {
                "client_id": client_id,
                "jwks": {"keys": [public_jwk]},
                "redirect_uris": [f"http://127.0.0.1:8000{CALLBACK_PATH}"],
                "post_logout_redirect_uris": ["http://127.0.0.1:8000/accounts/oidc/signed-out/"],
            }
            for client_id in (CLIENT_ID, OTHER_CLIENT_ID)
        ],
        "accounts": ACCOUNTS,
        "id_token_ttl": 60,
    }
    path = Path(directory) / f"{name}.json"
    path.write_text(json.dumps(config))
    process = subprocess.Popen(
        [shutil.which("node") or "/usr/bin/node", str(SCRIPT), str(path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = process.stdout.readline()
    if not line.startswith("ready"):
        process.kill()
        raise RuntimeError(f"The test OpenID provider did not start: {line} {process.stderr.read()[:2000]}")
    return TestProvider(issuer=issuer, base=f"http://127.0.0.1:{port}", process=process)


@pytest.fixture(scope="session")
def oidc_client_keypair():
    """Heimveg's client key pair of the test run: the providers know its public half."""
    key = RSAKey.generate_key(2048)
    public = dict(key.as_dict(private=False))
    public.update({"kid": key.thumbprint(), "use": "sig", "alg": "RS256"})
    pem = key.as_pem(private=True)
    return {"kid": public["kid"], "private_pem": pem.decode() if isinstance(pem, bytes) else pem, "public_jwk": public}


@pytest.fixture(scope="session")
def oidc_providers(oidc_client_keypair):
    if not (shutil.which("node") or Path("/usr/bin/node").exists()):
        pytest.skip("node is not installed")
    if not (ROOT / "node_modules" / "oidc-provider").exists():
        pytest.skip("node_modules has no oidc-provider: run npm ci")
    with tempfile.TemporaryDirectory() as directory:
        primary_port = _free_port()
        issuer = f"http://127.0.0.1:{primary_port}"
        primary = _start(directory, "primary", primary_port, issuer, oidc_client_keypair["public_jwk"])
        second = _start(directory, "second", _free_port(), issuer, oidc_client_keypair["public_jwk"])
        try:
            yield {"primary": primary, "second": second}
        finally:
            for provider in (primary, second):
                provider.process.terminate()
                provider.process.wait(timeout=10)


@pytest.fixture
def oidc_client_key(db, oidc_client_keypair):
    """The client key pair in Heimveg's database (as `manage.py oidc_keys generate` stores it)."""
    from django.utils import timezone

    from accounts.oidc.models import ClientKey

    return ClientKey.objects.create(created_at=timezone.now(), **oidc_client_keypair)


@pytest.fixture
def helseid(oidc_providers, oidc_client_key, settings):
    """HelseID (national, from the settings) played by the primary test provider."""
    from django.core.cache import cache

    cache.clear()
    settings.HEIMVEG_OIDC_ALLOW_HTTP = True
    settings.HEIMVEG_HELSEID_ISSUER = oidc_providers["primary"].issuer
    settings.HEIMVEG_HELSEID_CLIENT_ID = CLIENT_ID
    settings.HEIMVEG_HELSEID_SECURITY_LEVEL = "4"
    yield oidc_providers["primary"]
    cache.clear()


@pytest.fixture
def idporten(oidc_providers, oidc_client_key, settings):
    """ID-porten (from the settings) played by the primary test provider."""
    from django.core.cache import cache

    cache.clear()
    settings.HEIMVEG_OIDC_ALLOW_HTTP = True
    settings.HEIMVEG_IDPORTEN_ISSUER = oidc_providers["primary"].issuer
    settings.HEIMVEG_IDPORTEN_CLIENT_ID = CLIENT_ID
    settings.HEIMVEG_IDPORTEN_ACR = "idporten-loa-substantial"
    yield oidc_providers["primary"]
    cache.clear()


def sign_in_at_provider(authorize_url, login, browser=None):
    """The browser at the provider: open the authorization address, sign in as `login` on the
    provider's page and follow its redirects up to Heimveg's callback. Returns the callback's
    path and query (for Django's test client)."""
    browser = browser or requests.Session()
    url = authorize_url
    for _step in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "/interaction/" in url:
            response = browser.post(f"{url}/login", data={"login": login}, allow_redirects=False, timeout=10)
        if response.status_code not in (302, 303):
            raise AssertionError(f"the provider answered {response.status_code}: {response.text[:500]}")
        url = urljoin(url, response.headers["Location"])
        if urlsplit(url).path == CALLBACK_PATH:
            parts = urlsplit(url)
            return f"{parts.path}?{parts.query}"
    raise AssertionError("the provider never redirected back to Heimveg")


def start_sign_in(client, provider_key, next_url=""):
    """Heimveg's start (PAR at the provider); returns the provider's authorization address."""
    query = f"?next={next_url}" if next_url else ""
    response = client.get(f"/accounts/oidc/{provider_key}/start/{query}")
    assert response.status_code == 302, response.content[:2000]
    return response["Location"]


def signed_in_at_provider(client, provider_key, login):
    """Start at Heimveg, sign in at the provider; the callback's path and query."""
    return sign_in_at_provider(start_sign_in(client, provider_key), login)
