"""Posting a change that is confirmed first (pathway.confirmation), as a user does: the first POST
shows what will happen, the second carries the token of what was shown."""

import html
import re

TOKEN = re.compile(r'name="confirmation" value="([^"]+)"')
REASON = re.compile(r'<textarea[^>]*id="confirm-reason" name="([^"]+)"')


def token_of(page):
    """The token on a confirmation page (its HTML, or a response), or None when it is none."""
    text = page if isinstance(page, str) else page.content.decode()
    found = TOKEN.search(text)
    return html.unescape(found.group(1)) if found else None


def post_confirmed(client, url, data, *, reason="", follow=True):
    """POST `data`, then confirm what the page showed (with `reason` when the page asks for
    one). The confirmation page must come first: asserted."""
    first = client.post(url, data)
    assert first.status_code == 200, f"no confirmation page: {first.status_code}"
    page = first.content.decode()
    token = token_of(page)
    assert token, "the page asks for no confirmation"
    confirmed = {**data, "confirmation": token}
    asked = REASON.search(page)
    if asked:
        confirmed[asked.group(1)] = reason
    return client.post(url, confirmed, follow=follow)
