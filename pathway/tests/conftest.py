# The `actor_of` fixture lives in the root conftest.py, shared with assessment and portal tests.
