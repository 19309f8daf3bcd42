"""Norwegian national identity numbers: fødselsnummer and D-number.

python-stdnum does the real work (check digits, century rules, birth date). It rejects the
synthetic numbers of Skatteetaten's Test-Norge, which add 80 to the month; this thin wrapper
accepts those only when asked to (`allow_synthetic`, from the ALLOW_SYNTHETIC_NATIONAL_IDS setting
in demo and tests), reusing stdnum's own check-digit and birth-date functions.

`normalise` is the one place where a typed or received number becomes 11 ASCII digits: the web
forms, the FHIR API (writes and searches) and every importer go through it (through `parse`).
Spaces, dots and dashes are removed and fullwidth digits (０-９) folded to ASCII; any other
character is refused. Python's own str.isdigit() and int() accept superscripts and the digits of
other scripts (Arabic-Indic ٠-٩ …), which once let the same person be stored twice.

H-numbers (month + 40) are local help numbers of health institutions, not national identity
numbers, and are refused with their own message.

It lives in lib (it imports no app) because both the patients and a user's account (accounts.forms)
parse numbers, and both must use the one parser.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import InvalidComponent
from stdnum.no import fodselsnummer

FODSELSNUMMER = "fnr"
D_NUMBER = "dnr"

StrOrPromise = str | Promise  # a message, translated when shown (gettext_lazy)

FHIR_SYSTEMS = {
    FODSELSNUMMER: "urn:oid:2.16.578.1.12.4.1.4.1",
    D_NUMBER: "urn:oid:2.16.578.1.12.4.1.4.2",
}


class InvalidNationalId(ValueError):
    """The number is not a usable national identity number; `message` tells the user why."""

    def __init__(self, message: StrOrPromise) -> None:
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class NationalId:
    number: str
    kind: str
    birth_date: datetime.date
    synthetic: bool

    @property
    def fhir_system(self) -> str:
        return FHIR_SYSTEMS[self.kind]


# Separators people type or paste inside a number: spaces (also no-break and thin), dots, dashes.
SEPARATORS = frozenset(" \t.-\u00a0\u2007\u2009\u202f\u2010\u2011\u2012\u2013\u2014\u2212")
ASCII_DIGITS = frozenset("0123456789")
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def _shown(char: str) -> str:
    return f"“{char}”" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"


def normalise(value: str) -> str:
    """The number as ASCII digits: separators removed, fullwidth digits folded; raise
    InvalidNationalId for any other character. Says nothing about length or check digits."""
    folded = (value or "").translate(FULLWIDTH_DIGITS)
    digits = []
    for char in folded:
        if char in ASCII_DIGITS:
            digits.append(char)
        elif char not in SEPARATORS:
            raise InvalidNationalId(
                _(
                    "The national identity number can only contain the digits 0–9 (spaces, dots and dashes "
                    "are allowed); %(char)s is not one of them."
                )
                % {"char": _shown(char)}
            )
    return "".join(digits)


def parse(value: str, *, allow_synthetic: bool = False, today: datetime.date | None = None) -> NationalId:
    """Validate a national identity number and return what it says, or raise InvalidNationalId."""
    today = today or datetime.date.today()
    if not (value or "").strip():
        raise InvalidNationalId(_("Enter the national identity number (11 digits)."))
    number = normalise(value)
    if len(number) != 11:
        raise InvalidNationalId(
            _("The national identity number has 11 digits; you entered %(count)s.") % {"count": len(number)}
        )
    if number[9] != fodselsnummer.calc_check_digit1(number) or number[10] != fodselsnummer.calc_check_digit2(number):
        raise InvalidNationalId(_("The check digits do not match. Check the number for a mistyped or swapped digit."))

    day, month = int(number[0:2]), int(number[2:4])
    synthetic = month > 80
    if synthetic:
        if not allow_synthetic:
            raise InvalidNationalId(_("This is a synthetic test number. Test numbers are not accepted here."))
        month -= 80
    elif 40 < month <= 52:
        raise InvalidNationalId(
            _(
                "This is an H-number (a hospital's help number), not a national identity number. "
                "Use the patient's fødselsnummer or D-number."
            )
        )
    if day >= 80:
        raise InvalidNationalId(
            _("This is an FH-number, not a national identity number. Use the patient's fødselsnummer or D-number.")
        )
    kind = D_NUMBER if day > 40 else FODSELSNUMMER

    # stdnum derives the birth date (D-number day, century from the individual number).
    as_plain = number[0:2] + f"{month:02d}" + number[4:]
    try:
        birth_date = fodselsnummer.get_birth_date(as_plain)
    except InvalidComponent:
        raise InvalidNationalId(_("The first six digits are not a valid date of birth (DDMMYY).")) from None
    if birth_date > today:
        raise InvalidNationalId(
            _("The date of birth in this number (%(date)s) is in the future.")
            % {"date": birth_date.strftime("%d.%m.%Y")}
        )
    return NationalId(number=number, kind=kind, birth_date=birth_date, synthetic=synthetic)


def synthetic_number(birth_date: datetime.date, individual: int, *, d_number: bool = False) -> str | None:
    """A Test-Norge synthetic number (month + 80) for demo and test data, or None if the
    individual number gives no valid check digits (about 1 in 6 do not)."""
    if not 0 <= individual <= 999:
        raise ValueError("individual number must be 0–999")
    day = birth_date.day + (40 if d_number else 0)
    base = f"{day:02d}{birth_date.month + 80:02d}{birth_date.year % 100:02d}{individual:03d}"
    first = fodselsnummer.calc_check_digit1(base)
    if first == "10":
        return None
    second = fodselsnummer.calc_check_digit2(base + first)
    if second == "10":
        return None
    return base + first + second


def individual_range_for(year: int) -> range:
    """Individual numbers that give this birth year's century (as stdnum reads them)."""
    if 1900 <= year <= 1999:
        return range(0, 500)
    if 2000 <= year <= 2039:
        return range(500, 1000)
    raise ValueError("Birth years from 1900 to 2039 only")
