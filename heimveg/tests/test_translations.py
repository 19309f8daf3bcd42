"""The nb and nn catalogues are complete, keep every placeholder, and the compiled .mo files match
the .po files (so a forgotten `compilemessages` fails here instead of showing English to users).

Update after changing user-facing text:
    .venv/bin/python manage.py makemessages -l nb -l nn -l en --no-obsolete \
        --ignore=.venv --ignore=node_modules --ignore=var
    (translate the new entries in locale/nb and locale/nn)
    .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules
"""

import gettext
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
TRANSLATED = ["nb", "nn"]
ALL = ["nb", "nn", "en"]

# %(name)s, %(limit_value)d, … and bare %s / %d; "%%" is a literal percent sign.
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc]")


def placeholders(text):
    return sorted(PLACEHOLDER.findall(text.replace("%%", "")))


def catalogue(lang):
    path = LOCALE / lang / "LC_MESSAGES" / "django.po"
    assert path.exists(), f"{path} is missing: run makemessages"
    return polib.pofile(str(path))


def entry_name(entry):
    return f"{entry.msgid!r} (line {entry.linenum})"


@pytest.mark.parametrize("lang", ALL)
def test_catalogue_exists_and_declares_its_language(lang):
    po = catalogue(lang)
    assert po.metadata.get("Language") == lang
    assert "charset=UTF-8" in po.metadata.get("Content-Type", "")
    assert not po.metadata_is_fuzzy, f"{lang}: the header is marked fuzzy"
    assert len(po) > 0


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_entry_is_translated(lang):
    untranslated = []
    for entry in catalogue(lang):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            forms = entry.msgstr_plural
            if len(forms) < 2 or any(not text.strip() for text in forms.values()):
                untranslated.append(entry_name(entry))
        elif not entry.msgstr.strip():
            untranslated.append(entry_name(entry))
    assert not untranslated, f"{lang}: untranslated entries:\n" + "\n".join(untranslated)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_entry_is_fuzzy(lang):
    fuzzy = [entry_name(e) for e in catalogue(lang) if "fuzzy" in e.flags and not e.obsolete]
    assert not fuzzy, f"{lang}: fuzzy entries:\n" + "\n".join(fuzzy)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_every_placeholder(lang):
    """Each msgstr uses exactly the placeholders of its msgid (form 0 of a plural entry those of
    msgid, the other forms those of msgid_plural): a lost %(name)s hides data, an unknown one
    raises KeyError at run time."""
    wrong = []
    for entry in catalogue(lang):
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            for index, text in sorted(entry.msgstr_plural.items()):
                source = entry.msgid if int(index) == 0 else entry.msgid_plural
                if set(placeholders(source)) != set(placeholders(text)):
                    wrong.append(f"{entry_name(entry)} form {index}: {text!r}")
        elif set(placeholders(entry.msgid)) != set(placeholders(entry.msgstr)):
            wrong.append(f"{entry_name(entry)}: {entry.msgstr!r}")
    assert not wrong, f"{lang}: placeholders differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translations_keep_html_markup(lang):
    tag = re.compile(r"</?[a-zA-Z][^>]*>")
    wrong = [
        entry_name(e)
        for e in catalogue(lang)
        if not e.obsolete and not e.msgid_plural and sorted(tag.findall(e.msgid)) != sorted(tag.findall(e.msgstr))
    ]
    assert not wrong, f"{lang}: HTML tags differ:\n" + "\n".join(wrong)


@pytest.mark.parametrize("lang", ALL)
def test_compiled_catalogue_matches_the_po_file(lang):
    po = catalogue(lang)
    mo_path = LOCALE / lang / "LC_MESSAGES" / "django.mo"
    assert mo_path.exists(), f"{mo_path} is missing: run compilemessages"
    with mo_path.open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    catalog = mo._catalog  # msgid -> msgstr, and (msgid, n) -> plural form
    stale = []
    for entry in po:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        key = entry.msgid if not entry.msgctxt else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural:
            for index, text in entry.msgstr_plural.items():
                if text and catalog.get((key, int(index))) != text:
                    stale.append(f"{entry_name(entry)} form {index}")
        elif entry.msgstr:
            if catalog.get(key) != entry.msgstr:
                stale.append(entry_name(entry))
        elif key in catalog:
            stale.append(f"{entry_name(entry)} is empty in the .po file but translated in the .mo file")
    translated_in_po = sum(
        1 for e in po if not e.obsolete and "fuzzy" not in e.flags and (e.msgstr or any(e.msgstr_plural.values()))
    )
    messages_in_mo = {k if isinstance(k, str) else k[0] for k in catalog if k != ""}
    assert not stale, f"{lang}: django.mo is out of date; run compilemessages:\n" + "\n".join(stale)
    assert len(messages_in_mo) == translated_in_po, (
        f"{lang}: django.mo holds {len(messages_in_mo)} messages, django.po {translated_in_po}; run compilemessages"
    )
