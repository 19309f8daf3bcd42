"""A pathway definition of the installation's own, written to a temporary folder and read through
`HEIMVEG_PATHWAY_DEFINITION_DIRS` (settings.PATHWAY_DEFINITION_DIRS): no code knows its key, so
what picks it up (worklists, reports, the FHIR PlanDefinition) picks up any definition."""

import pytest

from pathway import definitions

THIRD_KEY = "third-from-a-folder"

# A hospital point counted as the national point 1 in the reports, and a point of the home
# services of the patient's municipality counted from it, under its own key.
THIRD = """\
key: third-from-a-folder
version: {version}
title:
  nb: Tredje forløp fra en mappe
  nn: Tredje forløp frå ei mappe
  en: Third pathway from a folder
description:
  nb: Et eksempel, ikke en nasjonal anbefaling.
  nn: Eit døme, ikkje ei nasjonal tilråding.
  en: An example, not national guidance.
points:
  - key: t1
    title: {{nb: Første samtale, nn: Første samtale, en: First conversation}}
    care_level: hospital
    anchor: {{type: diagnosis}}
    window: {{opens: P0D, closes: P2W}}
    reports_as: sp1
  - key: t2
    title: {{nb: Besøk fra hjemmetjenesten, nn: Besøk frå heimetenesta, en: Visit from the home services}}
    care_level: home_services
    anchor: {{type: point, ref: t1}}
    window: {{opens: P0D, closes: {t2_closes}}}
{extra}"""

EXTRA_POINT = """\
  - key: t3
    title: {nb: Ny samtale, nn: Ny samtale, en: New conversation}
    care_level: municipality
    anchor: {type: point, ref: t2}
    window: {opens: P1M, closes: P2M}
"""


def third_text(version=1, t2_closes="P1W", extra=""):
    return THIRD.format(version=version, t2_closes=t2_closes, extra=extra)


class Folder:
    """The folder and a way to rewrite its file (a new version) and read the files again."""

    def __init__(self, path):
        self.path = path

    def write(self, text, name="third.yaml"):
        (self.path / name).write_text(text, encoding="utf-8")
        return definitions.reload()


@pytest.fixture
def definition_folder(tmp_path, settings):
    """A folder of the installation's definitions holding the third definition (version 1)."""
    folder = tmp_path / "definitions"
    folder.mkdir()
    settings.PATHWAY_DEFINITION_DIRS = [str(folder)]
    result = Folder(folder)
    result.write(third_text())
    yield result
    settings.PATHWAY_DEFINITION_DIRS = []
    definitions.reload()
