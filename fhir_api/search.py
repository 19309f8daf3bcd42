"""Search parameter values (token, reference, date) and the searchset Bundle with paging."""

import calendar
import datetime
import re
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from fhir_api import errors
from fhir_api.resources.base import parse_uuid

# Result parameters: _count, _offset and _include are served; the others (and fhirpy's _totalMethod)
# do not change which resources match and are ignored (the total is always given).
RESULT_PARAMS = {"_count", "_offset", "_include", "_format", "_total", "_totalMethod", "_pretty"}
DATE = re.compile(r"^(eq|ne|gt|lt|ge|le|sa|eb|ap)?(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def token(value):
    """`system|code`, `|code` (no system), `code` (any system) or `system|` (any code)."""
    if "|" in value:
        system, code = value.split("|", 1)
        return system, code
    return None, value


def reference(value, resource_type):
    """The UUID in `Type/id`, `id` or `<base>/Type/id`."""
    value = value.rstrip("/")
    parts = value.split("/")
    if len(parts) >= 2:
        if parts[-2] != resource_type:
            raise errors.bad_request(
                _("The reference %(value)s must point at a %(type)s.") % {"value": value[:100], "type": resource_type}
            )
        value = parts[-1]
    try:
        return parse_uuid(value, resource_type)
    except errors.FhirError:
        raise errors.bad_request(
            _("%(value)s is not a valid %(type)s id.") % {"value": value[:64], "type": resource_type}
        ) from None


def date_range(value):
    """(prefix, first day, last day) of `[prefix]YYYY[-MM[-DD]]`."""
    match = DATE.match(value)
    if not match:
        raise errors.bad_request(
            _("%(value)s is not a date: use YYYY-MM-DD, optionally with a prefix such as ge or le.")
            % {"value": value[:40]}
        )
    prefix, year, month, day = match.groups()
    try:
        year = int(year)
        if day:
            first = last = datetime.date(year, int(month), int(day))
        elif month:
            first = datetime.date(year, int(month), 1)
            last = first.replace(day=calendar.monthrange(year, int(month))[1])
        else:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    except ValueError:
        raise errors.bad_request(_("%(value)s is not a valid date.") % {"value": value[:40]}) from None
    return prefix or "eq", first, last


def date_q(value, field):
    """A Q for a single date field."""
    prefix, first, last = date_range(value)
    return {
        "eq": Q(**{f"{field}__gte": first, f"{field}__lte": last}),
        "ap": Q(**{f"{field}__gte": first, f"{field}__lte": last}),
        "ne": ~Q(**{f"{field}__gte": first, f"{field}__lte": last}),
        "gt": Q(**{f"{field}__gt": last}),
        "sa": Q(**{f"{field}__gt": last}),
        "ge": Q(**{f"{field}__gte": first}),
        "lt": Q(**{f"{field}__lt": first}),
        "eb": Q(**{f"{field}__lt": first}),
        "le": Q(**{f"{field}__lte": last}),
    }[prefix]


def period_q(value, start, end):
    """A Q for a period (two date fields): does it meet the searched range?"""
    prefix, first, last = date_range(value)
    if prefix in ("ge", "gt", "sa"):
        return Q(**{f"{end}__gte": first if prefix == "ge" else last})
    if prefix in ("le", "lt", "eb"):
        return Q(**{f"{start}__lte": last if prefix == "le" else first})
    if prefix == "ne":
        return Q(**{f"{end}__lt": first}) | Q(**{f"{start}__gt": last})
    return Q(**{f"{start}__lte": last, f"{end}__gte": first})


def any_of(values, make_q):
    q = Q(pk__in=[])
    for value in values:
        q |= make_q(value)
    return q


def count_and_offset(params):
    def number(name, default, low, high):
        raw = params.get(name)
        if raw is None:
            return default
        try:
            value = int(raw)
        except ValueError:
            raise errors.bad_request(_("%(name)s must be a whole number.") % {"name": name}) from None
        if value < low:
            raise errors.bad_request(_("%(name)s must be at least %(low)s.") % {"name": name, "low": low})
        return min(value, high)

    count = number("_count", settings.FHIR_DEFAULT_COUNT, 0, settings.FHIR_MAX_COUNT)
    offset = number("_offset", 0, 0, 10**9)
    return count, offset


def page_url(base_url, params, offset, count):
    query = [(k, v) for k, v in params if k not in ("_offset", "_count")]
    query += [("_count", str(count)), ("_offset", str(offset))]
    return f"{base_url}?{urlencode(query)}"
