"""Helpers shared by the test suites, outside the application layers (docs/architecture.md): no
application module imports them; test modules of any app may."""

import pytest

# The browser helpers assert; let pytest explain the failures (this runs before they are imported).
pytest.register_assert_rewrite("testsupport.browser", "testsupport.oidc")
