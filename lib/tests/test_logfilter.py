"""The log filter masks the one-time secrets of a provider sign-in's callback in request lines."""

from lib.logfilter import scrub


def test_it_masks_the_code_and_state_of_a_provider_callback():
    line = '"GET /accounts/oidc/callback/?code=abc-123_x&state=s7a7e&iss=https%3A%2F%2Fhelseid HTTP/1.1" 302 0'
    assert (
        scrub(line)
        == '"GET /accounts/oidc/callback/?code=[secret]&state=[secret]&iss=https%3A%2F%2Fhelseid HTTP/1.1" 302 0'
    )


def test_it_leaves_a_code_elsewhere():
    assert scrub('"GET /assessment/?code=12 HTTP/1.1" 200 5') == '"GET /assessment/?code=12 HTTP/1.1" 200 5'
