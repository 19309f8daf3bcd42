"""Everything the README and docs/ point to is in the repository.

A markdown link to a relative path must resolve from the page that holds it, and a file or folder
named in backticks (`docs/access.md`, `directory/data/`) must exist from the repository's root.
Paths under var/ are made at run time and are not checked; URLs, URL paths (/fhir/…) and media
types are not paths.
"""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FILE_ENDINGS = (".md", ".py", ".yaml", ".yml", ".csv", ".json", ".html", ".js", ".css", ".txt", ".toml", ".cfg", "/")
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\s]+)`")


def _is_repository_path(token):
    return (
        "/" in token
        and not token.startswith(("/", "http:", "https:", "var/", "application/"))
        and not any(char in token for char in "*<>…=:$")
        and token.endswith(FILE_ENDINGS)
    )


def references(page):
    text = page.read_text(encoding="utf-8")
    for match in LINK.finditer(text):
        target = match.group(1).split("#", 1)[0]
        if target and not target.startswith(("http:", "https:", "mailto:")):
            yield target, page.parent / target
    for match in CODE.finditer(text):
        token = match.group(1)
        if _is_repository_path(token):
            yield token, ROOT / token


def test_every_path_the_readme_and_docs_name_exists():
    missing = [
        f"{page.relative_to(ROOT)}: {shown}" for page in PAGES for shown, path in references(page) if not path.exists()
    ]
    assert not missing, "References to paths that are not in the repository:\n" + "\n".join(missing)


def test_nothing_points_outside_the_repository():
    outside = [
        f"{page.relative_to(ROOT)}: {shown}"
        for page in PAGES
        for shown, path in references(page)
        if not path.resolve().is_relative_to(ROOT.resolve())
    ]
    outside += [
        f"{page.relative_to(ROOT)} names shared/"
        for page in PAGES
        if re.search(r"(?<![\w/])shared/", page.read_text(encoding="utf-8"))
    ]
    assert not outside, "References outside the repository:\n" + "\n".join(outside)


def test_the_checker_sees_a_missing_file(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("See [the guide](nowhere.md) and `docs/nowhere.md`, not `/fhir/Patient/_search`.\n")
    found = [shown for shown, path in references(page) if not path.exists()]
    assert found == ["nowhere.md", "docs/nowhere.md"]
