"""Templates keep the layers too (docs/architecture.md). import-linter reads only Python, so this
reads every template of the project's apps and follows its {% extends %}, {% include %}, {% load %}
and {% url %} to the app that owns the target: the app whose templates directory holds the
template, whose templatetags package holds the library, whose URLconf holds the URL. A link to an
app of a higher layer, or to a sibling in the same layer, fails.
An outer app's panel on an inner app's page is plugged into a slot the inner app offers (lib.slots,
pathway.panels, patients.panels), so the inner template names neither its template nor its tags.

The layer order is read from the import-linter contract in pyproject.toml: one order for both."""

import re
import tomllib
from pathlib import Path

from django.conf import settings
from django.template import TemplateDoesNotExist
from django.template.backends.django import get_installed_libraries
from django.template.loader import get_template
from django.urls import get_resolver

ROOT = Path(settings.BASE_DIR)

# Every page extends the project's frame, which fills the header, menu and footer around the
# page's blocks, and may link to its start page: the upward links the layers allow.
FRAME = {"base.html"}
FRAME_URLS = {"home"}

TAG = re.compile(r"{%\s*(extends|include|load|url)\s+(.*?)\s*%}", re.S)
COMMENT = re.compile(r"{#.*?#}|{%\s*comment\s*%}.*?{%\s*endcomment\s*%}", re.S)
LITERAL = re.compile(r"""^(["'])([^"']+)\1""")


def layer_ranks():
    """App → rank (0 is the outermost); siblings share a rank."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    (layers,) = [c["layers"] for c in config["contracts"] if c["type"] == "layers"]
    return {app.strip(): rank for rank, layer in enumerate(layers) for app in layer.split("|")}


def app_of_path(path, ranks):
    try:
        relative = Path(path).resolve().relative_to(ROOT)
    except ValueError:
        return None  # Django's or a library's own template
    return relative.parts[0] if relative.parts[0] in ranks else None


def app_of_module(module, ranks):
    top = module.split(".")[0]
    return top if top in ranks else None


def url_owners(ranks):
    """URL namespace or name → the app whose URLconf or view holds it."""
    owners = {}
    resolver = get_resolver()
    for namespace, (_prefix, sub) in resolver.namespace_dict.items():
        if isinstance(sub.urlconf_name, str):
            module = sub.urlconf_name
        elif hasattr(sub.urlconf_name, "__name__"):
            module = sub.urlconf_name.__name__
        else:  # a list of patterns (the admin's, a library's): the owner of its first view
            module = next(p.lookup_str for p in sub.url_patterns if hasattr(p, "lookup_str"))
        owners[namespace + ":"] = app_of_module(module, ranks)
    for pattern in resolver.url_patterns:
        if getattr(pattern, "name", None):
            owners[pattern.name] = app_of_module(pattern.lookup_str, ranks)
    return owners


def links(ranks):
    """(template, tag, target, owning app) for every literal link in the apps' templates."""
    libraries = get_installed_libraries()
    urls = url_owners(ranks)
    for app in ranks:
        for path in sorted((ROOT / app / "templates").rglob("*")):
            if not path.is_file():
                continue
            text = COMMENT.sub("", path.read_text())
            for tag, arguments in TAG.findall(text):
                source = str(path.relative_to(ROOT))
                if tag in ("extends", "include"):
                    literal = LITERAL.match(arguments)
                    if not literal:
                        continue  # a name in a variable: not followed
                    name = literal.group(2)
                    try:
                        origin = get_template(name).origin.name
                    except TemplateDoesNotExist:  # a widget template of the form renderer (Django's)
                        origin = None
                    yield source, app, tag, name, origin and app_of_path(origin, ranks)
                elif tag == "load":
                    words = arguments.split()
                    names = words[words.index("from") + 1 :] if "from" in words else words
                    for name in names:
                        yield source, app, tag, name, app_of_module(libraries[name], ranks)
                else:
                    literal = LITERAL.match(arguments)
                    if not literal:
                        continue
                    name = literal.group(2)
                    key = name.split(":")[0] + ":" if ":" in name else name
                    yield source, app, tag, name, urls.get(key)


def test_templates_link_only_to_their_own_app_and_the_layers_below_it():
    ranks = layer_ranks()
    upward = set()
    for source, app, tag, target, owner in links(ranks):
        if owner is None or owner == app or (tag == "extends" and target in FRAME):
            continue
        if tag == "url" and target in FRAME_URLS:
            continue
        if ranks[owner] <= ranks[app]:  # a higher layer, or a sibling in the same one
            upward.add((source, tag, target))
    assert upward == set(), "templates link to a higher layer (docs/architecture.md)"


def test_the_reader_follows_every_kind_of_link():
    """The scan itself: it finds each kind of link, so an empty result means no links, not a
    reader that missed them."""
    ranks = layer_ranks()
    found = {(source, tag, target, owner) for source, _app, tag, target, owner in links(ranks)}
    assert ("pathway/templates/pathway/worklist.html", "extends", "base.html", "heimveg") in found
    assert ("assessment/templates/assessment/point.html", "load", "pathway", "pathway") in found
    assert ("assessment/templates/assessment/point.html", "url", "pathway:enrolment", "pathway") in found
    assert (
        "pathway/templates/pathway/enrolment_detail.html",
        "include",
        "patients/emergency_banner.html",
        "patients",
    ) in found
