"""Validators shared by every app where people type names (patients, relatives, staff users and
invitations, registered systems), and the check of a public id typed or sent as text."""

import unicodedata
import uuid

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Unicode categories never part of a name: control characters (Cc: tabs, line breaks, escape …),
# format characters (Cf: the direction overrides and isolates U+202A–U+202E and U+2066–U+2069, the
# direction marks U+200E/U+200F and U+061C, zero-width spaces and joiners U+200B–U+200D, the word
# joiner U+2060, the byte-order mark U+FEFF, the soft hyphen, tag characters …), and the line and
# paragraph separators (Zl, Zp). A direction override makes a name read differently on screen than
# it is stored and searched (a spoofed name in a list, the audit log or a handover message).
REFUSED_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}


def refused_characters(value: object) -> list[str]:
    """The refused characters in `value`, in order of appearance, each once."""
    return list(dict.fromkeys(c for c in str(value) if unicodedata.category(c) in REFUSED_CATEGORIES))


def validate_name_characters(value: object) -> None:
    """Refuses a name with an invisible formatting or control character (a text-direction
    override, a zero-width character …), naming the first one by its code point."""
    found = refused_characters(value)
    if found:
        raise ValidationError(
            _(
                "A name cannot contain invisible formatting or control characters, such as text-direction "
                "marks. Remove %(character)s (type the name again rather than pasting it)."
            ),
            code="invisible_character",
            params={"character": f"U+{ord(found[0]):04X}"},
        )


def is_uuid(value: object) -> bool:
    """Whether `value` reads as a UUID (a public id in an address, a form or a request body), so
    that a lookup by public id is not even tried with anything else."""
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True
