"""A definition that does not validate stops start-up with the file and line."""

import pytest
from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

from pathway import definitions


def test_a_broken_definition_is_refused_at_start_up(tmp_path, monkeypatch):
    for path in definitions.DEFINITIONS_DIR.glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    broken = tmp_path / "national-2022.yaml"
    text = broken.read_text(encoding="utf-8")
    broken.write_text(text.replace("closes: P4M", "closes: P4Q"), encoding="utf-8")
    line = next(i for i, row in enumerate(broken.read_text(encoding="utf-8").splitlines(), 1) if "P4Q" in row)
    monkeypatch.setattr(definitions, "DEFINITIONS_DIR", tmp_path)
    try:
        with pytest.raises(ImproperlyConfigured, match=rf"national-2022.yaml:{line}: .*P4Q"):
            apps.get_app_config("pathway").ready()
    finally:
        monkeypatch.undo()
        definitions.validate_all()
