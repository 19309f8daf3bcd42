"""Secrets of an invitation: the link's token, the one-time code, and how wrong codes are slowed
and then locked. Pure functions; the clock and the limits are arguments."""

import dataclasses
import datetime
import hashlib
import hmac
import secrets

CODE_DIGITS = 6


def new_token() -> str:
    """The secret part of the link: 256 random bits, URL-safe."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Tokens carry 256 bits of entropy, so a plain SHA-256 is enough to store them."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def hash_code(code: str, *, key: str, salt: str) -> str:
    """A six-digit code has little entropy: keyed with the server's secret and salted per invitation."""
    return hmac.new(key.encode(), f"{salt}:{code}".encode(), hashlib.sha256).hexdigest()


def same(a: str, b: str) -> bool:
    return hmac.compare_digest(a, b)


@dataclasses.dataclass(frozen=True)
class Throttle:
    locked: bool = False
    wait_seconds: int = 0

    @property
    def allowed(self):
        return not self.locked and self.wait_seconds == 0


def throttle(failed_attempts, last_failed_at, now, *, free_attempts, max_attempts) -> Throttle:
    """After `free_attempts` wrong codes each new try waits longer (30 s, 60 s, 120 s …); after
    `max_attempts` the invitation is locked and a new one must be sent."""
    if failed_attempts >= max_attempts:
        return Throttle(locked=True)
    if failed_attempts < free_attempts or last_failed_at is None:
        return Throttle()
    delay = datetime.timedelta(seconds=30 * 2 ** (failed_attempts - free_attempts))
    remaining = (last_failed_at + delay - now).total_seconds()
    return Throttle(wait_seconds=max(0, int(remaining + 0.999)))
