"""Absolute links for messages that leave Heimveg (SMS and e-mail): every one starts with
HEIMVEG_BASE_URL, the address people open Heimveg at (checked at start, heimveg.checks)."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.urls import reverse


def absolute_url(path: str) -> str:
    """HEIMVEG_BASE_URL followed by `path` (which starts with a slash)."""
    return f"{settings.BASE_URL.rstrip('/')}{path}"


def absolute_reverse(viewname: str, args: Sequence[Any] | None = None, kwargs: dict[str, Any] | None = None) -> str:
    return absolute_url(reverse(viewname, args=args, kwargs=kwargs))
