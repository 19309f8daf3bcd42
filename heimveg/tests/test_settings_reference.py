"""docs/settings.md lists every environment variable the settings modules read, and nothing else.

The settings modules are parsed, not imported: every call that reads the environment is found in
their syntax tree (lib.env's envbool/envint/envstr/envlist, os.environ.get/os.getenv/
os.environ[…]/os.environ.setdefault, and dj_database_url.config, which reads DATABASE_URL unless
given another `env`). The reference's variables are the backticked names in the first column of
its tables. A setting added without a line in the reference fails here, and so does a line left
behind for a setting that is no longer read.
"""

import ast
import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SETTINGS_MODULES = [ROOT / "heimveg" / "settings.py", ROOT / "heimveg" / "settings_test.py"]
REFERENCE = ROOT / "docs" / "settings.md"

ENV_HELPERS = {"envbool", "envint", "envstr", "envlist"}
ENVIRON_METHODS = {"get", "setdefault", "pop"}


def _dotted(node):
    """`a.b.c` of an attribute chain or name, or None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def _literal(node):
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _variable_read(node):
    """The name of the environment variable this node reads, or None (raises on a read whose name
    is not a string literal, which the reference could not be checked against)."""
    if isinstance(node, ast.Call):
        name = _dotted(node.func)
        if name is None:
            return None
        first = node.args[0] if node.args else None
        if name.split(".")[-1] in ENV_HELPERS and name.split(".")[0] in ENV_HELPERS | {"env", "lib"}:
            variable = _literal(first)
        elif name == "os.getenv" or (name.startswith("os.environ.") and name.split(".")[-1] in ENVIRON_METHODS):
            variable = _literal(first)
        elif name == "dj_database_url.config":
            given = {keyword.arg: keyword.value for keyword in node.keywords}
            return _literal(given["env"]) if "env" in given else "DATABASE_URL"
        else:
            return None
        if variable is None:
            raise AssertionError(f"line {node.lineno}: {name}() reads a variable whose name is not a literal")
        return variable
    if isinstance(node, ast.Subscript) and _dotted(node.value) == "os.environ":
        variable = _literal(node.slice)
        if variable is None:
            raise AssertionError(f"line {node.lineno}: os.environ[…] with a name that is not a literal")
        return variable
    return None


def variables_read(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return {variable for node in ast.walk(tree) if (variable := _variable_read(node))}


def variables_documented(text):
    """Backticked upper-case names in the first cell of every table row (`A` / `B` rows list two)."""
    documented = set()
    for line in text.splitlines():
        if not line.startswith("|") or set(line) <= set("|- :"):
            continue
        first_cell = line.split("|")[1]
        documented.update(re.findall(r"`([A-Z][A-Z0-9_]+)`", first_cell))
    return documented


def test_the_reader_finds_every_kind_of_environment_read():
    source = """
import os, dj_database_url
from lib.env import envbool, envint, envstr, envlist
A = envbool("HV_A", False)
B = envint("HV_B", 1) if envstr("HV_C") else envlist("HV_D", "")
E = os.environ.get("HV_E") or os.getenv("HV_F") or os.environ["HV_G"]
os.environ.setdefault("HV_H", "1")
DATABASES = {"default": dj_database_url.config(conn_max_age=60)}
OTHER = dj_database_url.config(env="HV_I")
NOT_A_READ = dict(x=1).get("HV_NOT")
"""
    tree = ast.parse(source)
    found = {variable for node in ast.walk(tree) if (variable := _variable_read(node))}
    assert found == {"HV_A", "HV_B", "HV_C", "HV_D", "HV_E", "HV_F", "HV_G", "HV_H", "DATABASE_URL", "HV_I"}


def test_the_reader_finds_the_settings_everyone_knows():
    read = variables_read(SETTINGS_MODULES[0])
    assert {"DATABASE_URL", "HEIMVEG_SECRET_KEY", "HEIMVEG_BASE_URL", "HEIMVEG_DEBUG"} <= read
    assert len(read) > 80


def test_every_setting_read_is_documented_and_every_documented_one_is_read():
    read = set().union(*(variables_read(path) for path in SETTINGS_MODULES))
    documented = variables_documented(REFERENCE.read_text(encoding="utf-8"))

    missing = sorted(read - documented)
    stale = sorted(documented - read)
    assert not missing, (
        "These environment variables are read in heimveg/settings.py or settings_test.py but are not in "
        f"docs/settings.md (add a row: variable, default, meaning, where it matters): {', '.join(missing)}"
    )
    assert not stale, (
        "docs/settings.md documents environment variables that the settings no longer read "
        f"(remove or rename their rows): {', '.join(stale)}"
    )
