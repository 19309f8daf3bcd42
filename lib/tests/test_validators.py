"""Names with invisible formatting or control characters (text-direction overrides, zero-width
characters) are refused everywhere a name is typed: lib.validators."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from lib.validators import is_uuid, validate_name_characters

REFUSED = [
    "\u202a",  # LEFT-TO-RIGHT EMBEDDING
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",  # RIGHT-TO-LEFT OVERRIDE
    "\u2066",  # LEFT-TO-RIGHT ISOLATE
    "\u2067",
    "\u2068",
    "\u2069",  # POP DIRECTIONAL ISOLATE
    "\u200e",  # LEFT-TO-RIGHT MARK
    "\u200f",  # RIGHT-TO-LEFT MARK
    "\u061c",  # ARABIC LETTER MARK
    "\u200b",  # ZERO WIDTH SPACE
    "\u200c",
    "\u200d",
    "\u2060",  # WORD JOINER
    "\ufeff",  # BYTE ORDER MARK
    "\u00ad",  # SOFT HYPHEN
    "\U000e0041",  # TAG LATIN CAPITAL LETTER A
    "\t",
    "\n",
    "\x1b",
    "\u2028",  # LINE SEPARATOR
]


@pytest.mark.parametrize("character", REFUSED, ids=lambda c: f"U+{ord(c):04X}")
def test_a_name_with_an_invisible_character_is_refused_naming_it(character):
    with pytest.raises(ValidationError) as refused:
        validate_name_characters(f"Nord{character}mann")
    assert refused.value.code == "invisible_character"
    assert f"U+{ord(character):04X}" in refused.value.messages[0]


@pytest.mark.parametrize(
    "name", ["Nordmann", "Øyvind Åsmund Ærø", "Anne-Marie O'Neil", "Máret Ánte Gáddi", "Đorđević", "Müller", "李 小龙"]
)
def test_ordinary_names_pass(name):
    validate_name_characters(name)


@pytest.mark.norwegian
def test_the_message_is_translated():
    with translation.override("nb"):
        with pytest.raises(ValidationError) as refused:
            validate_name_characters("Ola\u202eNordmann")
        message = str(refused.value.messages[0])  # the lazy message, read while bokmål is active
    assert "U+202E" in message
    assert "navn" in message.lower()


def test_is_uuid_accepts_a_public_id_and_nothing_else():
    assert is_uuid("3a988744-3dbf-4822-9a8c-5505d06f2afc")
    assert not is_uuid("norway") and not is_uuid("") and not is_uuid("3a988744")
