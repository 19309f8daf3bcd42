"""Helpers shared by the test suites (not imported by the application)."""

import pytest

# The browser helpers assert; let pytest explain the failures (this runs before they are imported).
pytest.register_assert_rewrite("heimveg.testing.browser")
