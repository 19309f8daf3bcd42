"""Personal data out of every log line: a logging filter on every handler (settings.LOGGING).

No log call in Heimveg carries a name or a national identity number; this is the net for what
slips through anyway: a national id in a URL a client sent, an exception's text, a database
error's DETAIL line (PostgreSQL's `DETAIL:  Key (national_id)=(…) already exists.`), a library's
message. The filter

- scrubs 11-digit runs (a fødselsnummer or D-number), also written 6+5 with a space, dot, dash or
  no-break space between, or with dots in the date part (`17.05.61 12345`); a run of 10 or 12
  digits is not a national id and is kept;
- drops every line that starts with `DETAIL:` (PostgreSQL's detail shows the offending row's values);
- masks the token of a patient's invitation link (`/p/<token>/`) and of a staff invitation link
  (`/accounts/invitation/<token>/`) in request lines, and the one-time code and state of a
  provider sign-in's callback (`/accounts/oidc/callback/?code=…&state=…`);

in the message, its arguments (the message is formatted once and the arguments dropped), the
exception text and the stack text. It sits on handlers, not loggers: a logger's filter does not
see records that propagate to it from its children.
"""

import logging
import re

# Digits of any script (\d), as a pasted number might be in another one.
NATIONAL_ID = re.compile(r"(?<!\d)\d{2}\.?\d{2}\.?\d{2}[ .\-\u00a0]?\d{5}(?!\d)")
NATIONAL_ID_MASK = "[national-id]"
DETAIL_LINE = re.compile(r"^[ \t]*DETAIL:.*(?:\n|$)", re.MULTILINE)
# The portal's own pages after /p/ are kept; anything else there is a link's token.
INVITATION_PATH = re.compile(
    r"(/p/)(?!(?:start|page|review|receipt|pathway|who-looked|sign-out|invitation|code|new-link)/)[^/\s?\"']+"
)
# A staff invitation link (accounts/urls.py): /accounts/invitation/<token>/.
STAFF_INVITATION_PATH = re.compile(r"(/accounts/invitation/)[^/\s?\"']+")

# The provider sign-in's callback (accounts/oidc/): its code and state are one-time secrets.
OIDC_CALLBACK_QUERY = re.compile(r"([?&](?:code|state|id_token_hint)=)[^&\s\"']+")


def scrub(text: str) -> str:
    """`text` without national ids, DETAIL lines and invitation tokens."""
    if "DETAIL" in text:
        text = DETAIL_LINE.sub("", text).rstrip("\n")
    if "/p/" in text:
        text = INVITATION_PATH.sub(r"\1[token]", text)
    if "/accounts/invitation/" in text:
        text = STAFF_INVITATION_PATH.sub(r"\1[token]", text)
    if "/accounts/oidc/" in text:
        text = OIDC_CALLBACK_QUERY.sub(r"\1[secret]", text)
    return NATIONAL_ID.sub(NATIONAL_ID_MASK, text)


class PersonalDataFilter(logging.Filter):
    """Rewrites the record in place (idempotent, so the next handler pays little) and lets it pass."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format: logging reports it itself; keep nothing of the args
            message, record.args = str(record.msg), None
        clean = scrub(message)
        if clean != message:
            record.msg, record.args = clean, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        # Only the scrubbed text goes on: a handler that formats exc_info itself (an error mail,
        # an error tracker) would show the raw exception and its locals.
        record.exc_info = None
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True
