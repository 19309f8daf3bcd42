"""Every string the code marks for translation is translated in nb and nn.

test_translations.py checks the entries the .po files hold; this checks the other side: every
msgid in the project's templates (.html, .txt) and Python files is in locale/nb and locale/nn with a
non-empty, non-fuzzy msgstr. A `{% translate %}` or `_()` added without an entry in the catalogues
fails here, listed by file and line, instead of showing English on a Norwegian page.

The strings are extracted as `makemessages` would (the same files, keywords and template
conversion), without GNU gettext: templates through Django's own `templatize`, Python through `ast`.
English needs no msgstr (the msgids are English).
"""

import ast
import io
import tokenize
from collections import defaultdict
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
TEMPLATE_SUFFIXES = {".html", ".txt"}
# Directories makemessages is told to ignore (Makefile), plus what its default patterns skip.
IGNORED_DIRS = {".venv", "node_modules", "var", "staticfiles", "locale", "__pycache__", "test-results"}

# Keyword: (index of the context argument or None, index of msgid, index of msgid_plural or None),
# as xgettext's default Python keywords and the ones makemessages adds.
KEYWORDS = {
    "_": (None, 0, None),
    "gettext": (None, 0, None),
    "gettext_lazy": (None, 0, None),
    "gettext_noop": (None, 0, None),
    "ngettext": (None, 0, 1),
    "ngettext_lazy": (None, 0, 1),
    "pgettext": (0, 1, None),
    "pgettext_lazy": (0, 1, None),
    "npgettext": (0, 1, 2),
    "npgettext_lazy": (0, 1, 2),
}


def source_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in IGNORED_DIRS or part.startswith(".") for part in relative.parts):
            continue
        if path.is_file() and (path.suffix == ".py" or path.suffix in TEMPLATE_SUFFIXES):
            yield path


def _message(keyword, arguments):
    """(context, msgid, msgid_plural) of a call with literal string arguments, else None."""
    context_at, singular_at, plural_at = KEYWORDS[keyword]
    needed = max(i for i in (context_at, singular_at, plural_at) if i is not None)
    if len(arguments) <= needed or not all(isinstance(a, str) for a in arguments[: needed + 1]):
        return None
    return (
        arguments[context_at] if context_at is not None else None,
        arguments[singular_at],
        arguments[plural_at] if plural_at is not None else None,
    )


def python_messages(source):
    """(line, context, msgid, msgid_plural) of every gettext call with literal arguments."""
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        keyword = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
        if keyword not in KEYWORDS:
            continue
        arguments = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
        message = _message(keyword, arguments)
        if message:
            yield (node.lineno, *message)


def template_messages(source, origin):
    """The same for a template, read from templatize's output (Python-like gettext calls between
    blanked-out text), token by token. Its lines are left-stripped: their indentation means nothing
    and would upset the tokenizer (the strings in the calls are one-line Python literals)."""
    converted = "\n".join(line.lstrip() for line in templatize(source, origin).splitlines())
    tokens = [
        t
        for t in tokenize.generate_tokens(io.StringIO(converted).readline)
        if t.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT, tokenize.INDENT, tokenize.DEDENT)
    ]
    for i, token in enumerate(tokens[:-1]):
        if token.type != tokenize.NAME or token.string not in KEYWORDS or tokens[i + 1].string != "(":
            continue
        arguments, j = [], i + 2
        while j < len(tokens) and tokens[j].string != ")":
            if tokens[j].type == tokenize.STRING:
                arguments.append(ast.literal_eval(tokens[j].string))
            elif tokens[j].string != ",":
                arguments.append(None)
            j += 1
        message = _message(token.string, arguments)
        if message:
            yield (token.start[0], *message)


def extracted_messages():
    """{(context, msgid, msgid_plural): ["path:line", …]} over the whole project."""
    found = defaultdict(list)
    for path in source_files():
        source = path.read_text(encoding="utf-8")
        relative = path.relative_to(ROOT).as_posix()
        messages = python_messages(source) if path.suffix == ".py" else template_messages(source, relative)
        for line, context, msgid, plural in messages:
            if msgid:
                found[(context, msgid, plural)].append(f"{relative}:{line}")
    return found


def translated_keys(lang):
    """(context, msgid) of every entry with a complete, non-fuzzy translation."""
    po = polib.pofile(str(ROOT / "locale" / lang / "LC_MESSAGES" / "django.po"))
    keys = set()
    for entry in po:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        if entry.msgid_plural:
            complete = len(entry.msgstr_plural) >= 2 and all(t.strip() for t in entry.msgstr_plural.values())
        else:
            complete = bool(entry.msgstr.strip())
        if complete:
            keys.add((entry.msgctxt, entry.msgid))
    return keys


@pytest.fixture(scope="module")
def messages():
    return extracted_messages()


def test_the_extraction_finds_template_python_plural_and_context_strings():
    template = (
        '{% load i18n %}<p>{% translate "Save draft" %}</p>'
        "{% blocktranslate trimmed count n=items|length %}\n  One item\n{% plural %}{{ n }} items"
        "{% endblocktranslate %}{% translate 'May' context 'month' %}{{ value|default:_('none') }}"
    )
    assert [m[1:] for m in template_messages(template, "t.html")] == [
        (None, "Save draft", None),
        (None, "One item", "%(n)s items"),
        ("month", "May", None),
        (None, "none", None),
    ]
    python = 'x = _("Hello %(name)s")\ny = ngettext("a", "as", n)\nz = pgettext_lazy("ctx", "b")\nw = _(name)\n'
    assert [m[1:] for m in python_messages(python)] == [
        (None, "Hello %(name)s", None),
        (None, "a", "as"),
        ("ctx", "b", None),
    ]


def test_the_extraction_reads_the_project(messages):
    """A sanity check that the walk reaches templates and Python files of several apps."""
    places = {place.split("/")[0] for places in messages.values() for place in places}
    assert {"pathway", "patients", "accounts", "portal", "heimveg"} <= places
    assert (None, "Diagnosis", None) in messages


def missing_translations(messages, lang):
    """{file: ["  line N: 'msgid'", …]} of the extracted strings without a translation in `lang`."""
    translated = translated_keys(lang)
    missing = defaultdict(list)
    for (context, msgid, _plural), places in messages.items():
        if (context, msgid) not in translated:
            for place in places:
                file, line = place.rsplit(":", 1)
                label = f"{context}|{msgid!r}" if context else repr(msgid)
                missing[file].append(f"  line {line}: {label}")
    return dict(missing)


def test_a_string_without_translation_is_reported_with_its_file_and_line():
    messages = {
        (None, "Diagnosis", None): ["pathway/templates/pathway/enrolment_detail.html:9"],
        (None, "A sentence no catalogue holds", None): ["pathway/templates/pathway/new.html:3", "pathway/views.py:12"],
        ("month", "Diagnosis", None): ["pathway/forms.py:40"],
    }
    assert missing_translations(messages, "nb") == {
        "pathway/templates/pathway/new.html": ["  line 3: 'A sentence no catalogue holds'"],
        "pathway/views.py": ["  line 12: 'A sentence no catalogue holds'"],
        "pathway/forms.py": ["  line 40: month|'Diagnosis'"],
    }


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_marked_string_is_translated(lang, messages):
    missing = missing_translations(messages, lang)
    report = "\n".join(f"{file}\n" + "\n".join(lines) for file, lines in sorted(missing.items()))
    count = sum(len(lines) for lines in missing.values())
    assert not missing, (
        f"{lang}: {count} marked strings have no translation in locale/{lang}/LC_MESSAGES/django.po "
        f"(append them, translated, then compilemessages):\n{report}"
    )
