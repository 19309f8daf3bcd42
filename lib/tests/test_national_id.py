"""The national identity number rules (no database)."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lib import nin

TODAY = datetime.date(2026, 11, 23)


def real_shaped(birth, individual, d_number=False):
    """A number with valid check digits in the real (non-synthetic) month range, built from the
    synthetic one; only used in memory, never stored."""
    synthetic = nin.synthetic_number(birth, individual, d_number=d_number)
    if synthetic is None:
        return None
    base = synthetic[:2] + f"{birth.month:02d}" + synthetic[4:9]
    first = nin.fodselsnummer.calc_check_digit1(base)
    second = nin.fodselsnummer.calc_check_digit2(base + first)
    return None if "10" in (first, second) else base + first + second


def a_synthetic(birth=datetime.date(1961, 5, 17), d_number=False):
    return next(n for i in range(100, 500) if (n := nin.synthetic_number(birth, i, d_number=d_number)))


def test_it_accepts_a_synthetic_number_when_allowed_and_reads_the_birth_date():
    parsed = nin.parse(a_synthetic(), allow_synthetic=True, today=TODAY)
    assert parsed.birth_date == datetime.date(1961, 5, 17)
    assert parsed.kind == nin.FODSELSNUMMER
    assert parsed.synthetic is True
    assert parsed.fhir_system == "urn:oid:2.16.578.1.12.4.1.4.1"


def test_it_refuses_a_synthetic_number_unless_allowed():
    with pytest.raises(nin.InvalidNationalId, match="synthetic test number"):
        nin.parse(a_synthetic(), allow_synthetic=False, today=TODAY)


def test_it_accepts_a_real_shaped_number_without_the_synthetic_setting():
    number = next(n for i in range(100, 500) if (n := real_shaped(datetime.date(1980, 2, 29), i)))
    parsed = nin.parse(number, allow_synthetic=False, today=TODAY)
    assert parsed.birth_date == datetime.date(1980, 2, 29)
    assert parsed.synthetic is False


def test_it_recognises_a_d_number():
    parsed = nin.parse(a_synthetic(d_number=True), allow_synthetic=True, today=TODAY)
    assert parsed.kind == nin.D_NUMBER
    assert parsed.birth_date == datetime.date(1961, 5, 17)
    assert parsed.fhir_system == "urn:oid:2.16.578.1.12.4.1.4.2"


def test_it_accepts_spaces_and_returns_the_compact_number():
    number = a_synthetic()
    assert nin.parse(f"{number[:6]} {number[6:]}", allow_synthetic=True, today=TODAY).number == number


@pytest.mark.parametrize(
    "value, message",
    [
        ("", "Enter the national identity number"),
        ("1234567890", "has 11 digits; you entered 10"),
        ("123456789012", "has 11 digits; you entered 12"),
        ("1705611234a", "only contain the digits 0–9"),
    ],
)
def test_it_explains_what_is_wrong_with_the_shape(value, message):
    with pytest.raises(nin.InvalidNationalId, match=message):
        nin.parse(value, allow_synthetic=True, today=TODAY)


def test_it_refuses_a_mistyped_digit():
    number = a_synthetic()
    wrong = number[:3] + str((int(number[3]) + 1) % 10) + number[4:]
    with pytest.raises(nin.InvalidNationalId, match="check digits do not match"):
        nin.parse(wrong, allow_synthetic=True, today=TODAY)


def test_it_refuses_a_birth_date_in_the_future():
    future = nin.synthetic_number(
        datetime.date(2030, 1, 15),
        next(i for i in range(500, 1000) if nin.synthetic_number(datetime.date(2030, 1, 15), i)),
    )
    with pytest.raises(nin.InvalidNationalId, match="in the future"):
        nin.parse(future, allow_synthetic=True, today=TODAY)


def with_check_digits(first_six):
    """The first number with valid check digits that starts with these six digits."""
    for individual in range(100, 500):
        base = f"{first_six}{individual:03d}"
        first = nin.fodselsnummer.calc_check_digit1(base)
        second = nin.fodselsnummer.calc_check_digit2(base + first)
        if "10" not in (first, second):
            return base + first + second
    raise AssertionError("no number")


def test_it_refuses_an_impossible_date():
    # 31 February (synthetic month 82) with check digits that are right: only the date is wrong.
    with pytest.raises(nin.InvalidNationalId, match="not a valid date of birth"):
        nin.parse(with_check_digits("318261"), allow_synthetic=True, today=TODAY)


def test_it_refuses_an_h_number():
    with pytest.raises(nin.InvalidNationalId, match="H-number"):
        nin.parse(with_check_digits("174561"), allow_synthetic=True, today=TODAY)


@given(
    birth=st.dates(min_value=datetime.date(1900, 1, 1), max_value=TODAY),
    individual=st.integers(min_value=0, max_value=999),
    d_number=st.booleans(),
)
def test_every_generated_synthetic_number_round_trips(birth, individual, d_number):
    if individual not in nin.individual_range_for(birth.year):
        return
    number = nin.synthetic_number(birth, individual, d_number=d_number)
    if number is None:
        return
    parsed = nin.parse(number, allow_synthetic=True, today=TODAY)
    assert parsed.birth_date == birth
    assert parsed.kind == (nin.D_NUMBER if d_number else nin.FODSELSNUMMER)


@given(number=st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_any_eleven_digits_are_either_accepted_consistently_or_refused_with_a_message(number):
    try:
        parsed = nin.parse(number, allow_synthetic=True, today=TODAY)
    except nin.InvalidNationalId as error:
        assert str(error.message)
    else:
        assert parsed.number == number
        assert parsed.birth_date <= TODAY


ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    "written",
    [
        lambda n: f"{n[:6]} {n[6:]}",
        lambda n: f"{n[:6]}-{n[6:]}",
        lambda n: f"{n[:2]}.{n[2:4]}.{n[4:6]} {n[6:]}",
        lambda n: f" {n[:6]}\u00a0{n[6:]} ",
        lambda n: n.translate(FULLWIDTH),
        lambda n: n[:6].translate(FULLWIDTH) + n[6:],
    ],
)
def test_separators_are_removed_and_fullwidth_digits_folded_to_ascii(written):
    number = a_synthetic()
    parsed = nin.parse(written(number), allow_synthetic=True, today=TODAY)
    assert parsed.number == number
    assert nin.normalise(written(number)) == number


@pytest.mark.parametrize(
    "written, shown",
    [
        (lambda n: n[:9].translate(ARABIC_INDIC) + n[9:], "“١”"),  # Arabic-Indic digits, as once stored
        (lambda n: n.translate(ARABIC_INDIC), None),
        (lambda n: n.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")), None),  # Extended Arabic-Indic
        (lambda n: n.translate(str.maketrans("0123456789", "०१२३४५६७८९")), None),  # Devanagari
        (lambda n: n[:3] + "²" + n[4:], "“²”"),  # a superscript two
        (lambda n: n[:10] + "①", "“①”"),
        (lambda n: n[:5] + "O" + n[6:], "“O”"),
        (lambda n: n[:6] + "/" + n[6:], "“/”"),
        (lambda n: n[:6] + "\u200b" + n[6:], "U+200B"),  # a zero-width space is not a separator
    ],
)
def test_any_other_character_is_refused_with_a_message_that_names_it(written, shown):
    value = written(a_synthetic(birth=datetime.date(1961, 5, 10)))
    with pytest.raises(nin.InvalidNationalId, match="only contain the digits 0–9") as raised:
        nin.parse(value, allow_synthetic=True, today=TODAY)
    if shown:
        assert shown in str(raised.value.message)
    with pytest.raises(nin.InvalidNationalId):
        nin.normalise(value)


def test_the_superscript_that_once_gave_a_server_error_is_refused():
    with pytest.raises(nin.InvalidNationalId, match="“²”"):
        nin.parse("140²7512306", allow_synthetic=True, today=TODAY)


@given(value=st.text(max_size=20))
def test_any_text_is_either_eleven_ascii_digits_or_refused_with_a_message(value):
    try:
        parsed = nin.parse(value, allow_synthetic=True, today=TODAY)
    except nin.InvalidNationalId as error:
        assert str(error.message)
    else:
        assert len(parsed.number) == 11
        assert set(parsed.number) <= set("0123456789")
