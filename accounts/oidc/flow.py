"""The OpenID Connect authorization code flow, as HelseID and ID-porten require it: a pushed
authorization request (PAR, RFC 9126), PKCE with S256, private_key_jwt client authentication
(RFC 7523) at the PAR and token endpoints, state and nonce, the `iss` response parameter
(RFC 9207) and the ID token's signature, issuer, audience, expiry and nonce, then the security level.

Authlib does the OAuth requests (the PKCE challenge, the client assertion, the token request);
joserfc (Authlib's JOSE library) checks the ID token. The ID token is judged on Django's clock
(django.utils.timezone.now); the client assertion, which the provider judges, carries real time.
Any failed check raises `Refused` with a reason code (REASONS); the view shows a page and audits it.
"""

import hashlib
import secrets
import time
from typing import Any
from urllib.parse import urlencode, urlsplit

import requests
from authlib.integrations.requests_client import OAuth2Session, OAuthError
from authlib.oauth2.rfc7523 import PrivateKeyJWT
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from accounts.oidc import keys
from accounts.oidc.providers import Provider
from lib.links import absolute_reverse

FLOWS_SESSION_KEY = "heimveg_oidc_flows"
MAX_OPEN_FLOWS = 5
# Allowed difference between the provider's clock and Heimveg's, for exp and iat.
LEEWAY_SECONDS = 60
# Lifetime of a client assertion (HelseID allows at most 60 seconds).
ASSERTION_SECONDS = 60
ID_TOKEN_ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"]

# Reason codes of refusals (the page's text is chosen by code in accounts.oidc.views).
STATE = "state"
PROVIDER_ERROR = "provider_error"
ISSUER_PARAMETER = "iss_parameter"
CODE = "code"
SIGNATURE = "signature"
ISSUER = "issuer"
AUDIENCE = "audience"
EXPIRED = "expired"
NONCE = "nonce"
LEVEL = "level"
UNAVAILABLE = "unavailable"
REASONS = (
    STATE,
    PROVIDER_ERROR,
    ISSUER_PARAMETER,
    CODE,
    SIGNATURE,
    ISSUER,
    AUDIENCE,
    EXPIRED,
    NONCE,
    LEVEL,
    UNAVAILABLE,
)


class Refused(Exception):
    """The sign-in is refused; `reason` is one of REASONS (never personal data)."""

    def __init__(self, reason: str, provider: Provider | None = None, detail: str = "") -> None:
        super().__init__(f"{reason} {detail}".strip())
        self.reason = reason
        self.provider = provider
        self.detail = detail


def _check_url(url: str, provider: Provider) -> str:
    scheme = urlsplit(url).scheme
    if scheme != "https" and not (scheme == "http" and settings.HEIMVEG_OIDC_ALLOW_HTTP):
        raise Refused(UNAVAILABLE, provider, "provider address not https")
    return url


def _get_json(url: str, provider: Provider) -> dict[str, Any]:
    try:
        response = requests.get(_check_url(url, provider), timeout=settings.HEIMVEG_OIDC_TIMEOUT_SECONDS)
        response.raise_for_status()
        data = response.json()
    except (requests.RequestException, ValueError) as error:
        raise Refused(UNAVAILABLE, provider, f"fetching {urlsplit(url).path} failed") from error
    if not isinstance(data, dict):
        raise Refused(UNAVAILABLE, provider, "not a JSON object")
    return data


def _cache_key(kind: str, url: str) -> str:
    return f"heimveg-oidc-{kind}-{hashlib.sha256(url.encode()).hexdigest()}"


def metadata(provider: Provider) -> dict[str, Any]:
    """The provider's discovery document (cached): its issuer must be the one configured."""
    key = _cache_key("discovery", provider.issuer)
    found = cache.get(key)
    if found is None:
        url = provider.issuer.rstrip("/") + "/.well-known/openid-configuration"
        found = _get_json(url, provider)
        if found.get("issuer") != provider.issuer:
            raise Refused(UNAVAILABLE, provider, "discovery issuer differs")
        cache.set(key, found, settings.HEIMVEG_OIDC_CACHE_SECONDS)
    return found


def _provider_keys(provider: Provider, meta: dict[str, Any], refresh: bool = False) -> KeySet:
    url = meta.get("jwks_uri")
    if not isinstance(url, str):
        raise Refused(UNAVAILABLE, provider, "no jwks_uri")
    key = _cache_key("jwks", url)
    found = None if refresh else cache.get(key)
    if found is None:
        found = _get_json(url, provider)
        cache.set(key, found, settings.HEIMVEG_OIDC_CACHE_SECONDS)
    try:
        return KeySet.import_key_set(found)  # type: ignore[arg-type]  # checked by joserfc itself
    except (JoseError, ValueError, TypeError, KeyError) as error:
        raise Refused(UNAVAILABLE, provider, "provider keys unreadable") from error


def redirect_uri() -> str:
    return absolute_reverse("accounts:oidc_callback")


def _client(provider: Provider, client_id: str) -> OAuth2Session:
    """An OAuth client that authenticates with private_key_jwt. The assertion's audience is the
    issuer identifier, which HelseID asks for and RFC 9126 and RFC 7523 allow at every endpoint."""
    try:
        signing = keys.signing_key()
    except keys.NoClientKey as error:
        raise Refused(UNAVAILABLE, provider, "no client key") from error
    session = OAuth2Session(
        client_id,
        signing,
        token_endpoint_auth_method="private_key_jwt",
        redirect_uri=redirect_uri(),
        scope=" ".join(provider.scopes),
    )
    # HelseID: nbf required and exp at most 60 seconds ahead; the provider's clock judges them, so
    # they are the real time (time.time), not Django's. One client, and so one assertion (one jti),
    # per request to the provider.
    issued = int(time.time())
    session.register_client_auth_method(
        PrivateKeyJWT(
            token_endpoint=provider.issuer,
            claims={"iat": issued, "nbf": issued, "exp": issued + ASSERTION_SECONDS},
            headers={"kid": signing.kid, "typ": "JWT"},
            alg=keys.ALGORITHM,
        )
    )
    return session


def _flows(request: HttpRequest) -> dict[str, dict[str, Any]]:
    return request.session.get(FLOWS_SESSION_KEY) or {}


def start(request: HttpRequest, provider: Provider, next_url: str = "") -> str:
    """Begin a sign-in: push the authorization request (PAR) and return the address to send the
    browser to. The state, nonce and PKCE verifier stay in the session, keyed by the state."""
    meta = metadata(provider)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri(),
        "scope": " ".join(provider.scopes),
        "state": state,
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    authorization_endpoint = _check_url(str(meta.get("authorization_endpoint", "")), provider)
    par_endpoint = meta.get("pushed_authorization_request_endpoint")
    if isinstance(par_endpoint, str):
        client = _client(provider, provider.client_id)
        try:
            response = client.post(
                _check_url(par_endpoint, provider),
                data=params,
                auth=client.client_auth("private_key_jwt"),
                timeout=settings.HEIMVEG_OIDC_TIMEOUT_SECONDS,
            )
            pushed = response.json() if response.status_code == 201 else {}
        except (requests.RequestException, ValueError) as error:
            raise Refused(UNAVAILABLE, provider, "PAR request failed") from error
        if not isinstance(pushed, dict) or not isinstance(pushed.get("request_uri"), str):
            raise Refused(UNAVAILABLE, provider, f"PAR refused ({response.status_code})")
        query = {"client_id": provider.client_id, "request_uri": pushed["request_uri"]}
    elif provider.requires_par:
        raise Refused(UNAVAILABLE, provider, "no PAR endpoint")
    else:
        query = params
    flows = _flows(request)
    flows[state] = {
        "provider": provider.key,
        "client_id": provider.client_id,
        "nonce": nonce,
        "verifier": verifier,
        "next": next_url,
        "started": time.time(),
    }
    # The newest few only: an abandoned sign-in in another tab does not pile up.
    request.session[FLOWS_SESSION_KEY] = dict(
        sorted(flows.items(), key=lambda item: item[1]["started"])[-MAX_OPEN_FLOWS:]
    )
    return f"{authorization_endpoint}?{urlencode(query)}"


def take_flow(request: HttpRequest, state: str) -> dict[str, Any] | None:
    """The sign-in begun with `state` in this session, removed from it (a state works once)."""
    flows = _flows(request)
    flow = flows.pop(state, None) if state else None
    request.session[FLOWS_SESSION_KEY] = flows
    if flow is None or time.time() - flow["started"] > settings.HEIMVEG_OIDC_FLOW_MINUTES * 60:
        return None
    return flow


def finish(request: HttpRequest, provider: Provider, flow: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """Check the provider's answer on the callback and exchange the code; returns the ID token's
    claims and the ID token itself (for the sign-out's id_token_hint)."""
    params = request.GET
    if "error" in params:
        raise Refused(PROVIDER_ERROR, provider, "error response")
    meta = metadata(provider)
    # RFC 9207: the answer names its issuer; a missing or another one may be a mix-up attack.
    # HelseID and ID-porten always send it; another provider whose discovery says it does not may
    # leave it out (the state already binds the answer to the provider it was sent to).
    iss = params.get("iss")
    if iss is None:
        if provider.requires_par or meta.get("authorization_response_iss_parameter_supported"):
            raise Refused(ISSUER_PARAMETER, provider, "missing")
    elif iss != provider.issuer:
        raise Refused(ISSUER_PARAMETER, provider, "wrong")
    code = params.get("code")
    if not code:
        raise Refused(CODE, provider, "missing")
    client = _client(provider, flow["client_id"])
    token_endpoint = _check_url(str(meta.get("token_endpoint", "")), provider)
    try:
        token = client.fetch_token(
            token_endpoint,
            grant_type="authorization_code",
            code=code,
            code_verifier=flow["verifier"],
            timeout=settings.HEIMVEG_OIDC_TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise Refused(UNAVAILABLE, provider, "token request failed") from error
    except OAuthError as error:  # the provider refused the code (used, expired, not this client's)
        raise Refused(CODE, provider, f"token endpoint refused: {getattr(error, 'error', 'error')}") from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise Refused(CODE, provider, "no id_token")
    claims = validate_id_token(provider, meta, id_token, flow["nonce"])
    if not provider.level_sufficient(claims.get(provider.level_claim)):
        raise Refused(LEVEL, provider, "security level too low")
    return claims, id_token


def validate_id_token(provider: Provider, meta: dict[str, Any], id_token: str, nonce: str) -> dict[str, Any]:
    """The ID token's signature (the provider's JWKS; refetched once for an unknown key), issuer,
    audience (and azp), expiry and issue time (Django's clock) and nonce."""
    for refresh in (False, True):
        key_set = _provider_keys(provider, meta, refresh=refresh)
        try:
            decoded = jwt.decode(id_token, key_set, algorithms=ID_TOKEN_ALGORITHMS)
            break
        except (JoseError, ValueError) as error:
            if refresh:
                raise Refused(SIGNATURE, provider, type(error).__name__) from error
    claims = dict(decoded.claims)
    if claims.get("iss") != provider.issuer:
        raise Refused(ISSUER, provider, "iss")
    audience = claims.get("aud")
    audiences = [audience] if isinstance(audience, str) else audience if isinstance(audience, list) else []
    if provider.client_id not in audiences:
        raise Refused(AUDIENCE, provider, "aud")
    if len(audiences) > 1 and (provider.requires_par or claims.get("azp") != provider.client_id):
        # HelseID and ID-porten: Heimveg's client id is the only valid audience.
        raise Refused(AUDIENCE, provider, "aud has others")
    now = timezone.now().timestamp()
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or exp + LEEWAY_SECONDS < now:
        raise Refused(EXPIRED, provider, "exp")
    if not isinstance(iat, int | float) or iat - LEEWAY_SECONDS > now:
        raise Refused(EXPIRED, provider, "iat in the future")
    if not isinstance(claims.get("sub"), str) or not claims["sub"]:
        raise Refused(ISSUER, provider, "no sub")
    if not secrets.compare_digest(str(claims.get("nonce", "")), nonce):
        raise Refused(NONCE, provider, "nonce")
    return claims


def end_session_url(provider: Provider, id_token: str, post_logout_redirect_uri: str) -> str | None:
    """The provider's sign-out address (RP-initiated logout), or None if it has none. The state
    the provider hands back names the provider's purpose (the signed-out page's next link)."""
    try:
        endpoint = metadata(provider).get("end_session_endpoint")
    except Refused:
        return None
    if not isinstance(endpoint, str):
        return None
    query = {
        "id_token_hint": id_token,
        "post_logout_redirect_uri": post_logout_redirect_uri,
        "client_id": provider.client_id,
        "state": f"{provider.purpose}.{secrets.token_urlsafe(16)}",
    }
    return f"{_check_url(endpoint, provider)}?{urlencode(query)}"
