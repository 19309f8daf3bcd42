"""Settings for the test suite: the production settings with test-only defaults switched on
(synthetic identity numbers allowed, a throwaway secret key). Environment variables still win."""

import os

os.environ.setdefault("HEIMVEG_TESTING", "1")
os.environ.setdefault("HEIMVEG_ALLOW_SYNTHETIC_IDS", "1")

from heimveg.settings import *  # noqa: E402,F403
