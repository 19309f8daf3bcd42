"""Definition files: the shipped ones load, and every broken one is refused with `file:line:`.

The people who edit these files are not necessarily programmers, so the line number in the message
is part of the contract and each case asserts it exactly.
"""

import datetime
import hashlib
import pickle

import pytest

from pathway import definitions
from pathway.definitions import (
    DEFAULT_DEFINITION_KEY,
    DEFINITIONS_DIR,
    Anchor,
    DefinitionError,
    get_definition,
    load_all,
    load_definition,
    validate_all,
)

# A valid definition; the broken variants below change one thing each. Line numbers on the right.
VALID = """\
key: test-pathway
version: 1
title:
  nb: Test
  nn: Test
  en: Test
events:
  - key: treatment_started
    title: {nb: Start, nn: Start, en: Start}
points:
  - key: p1
    title: {nb: En, nn: Ein, en: One}
    care_level: hospital
    anchor: {type: diagnosis}
    window: {opens: P0D, closes: P4W, setting: p1_window_closes}
  - key: p2
    title: {nb: To, nn: To, en: Two}
    care_level: municipality
    anchor: {type: event, ref: treatment_started}
    window: {opens: P3M, closes: P4M}
  - key: p3
    title: {nb: Tre, nn: Tre, en: Three}
    care_level: municipality
    anchor: {type: point, ref: p2}
    window:
      opens: P12M
      closes: P18M
"""
#  1 key   2 version   3 title   4 nb   5 nn   6 en   7 events   8 event key   9 event title
# 10 points   11-15 p1   16-20 p2   21-27 p3 (26 opens, 27 closes)


def write(tmp_path, text, name="test.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def variant(old, new, count=1):
    assert VALID.count(old) >= count, old
    return VALID.replace(old, new, count)


# The shipped definitions


def test_shipped_definitions_validate():
    loaded = validate_all()
    assert set(loaded) == {"national-2022", "hearing-draft-2021", "local-variant-example", "palliative-chain-example"}
    assert DEFAULT_DEFINITION_KEY in loaded
    assert get_definition(DEFAULT_DEFINITION_KEY) is loaded[DEFAULT_DEFINITION_KEY]


def test_national_2022():
    national = load_definition(DEFINITIONS_DIR / "national-2022.yaml")
    assert (national.key, national.version) == ("national-2022", 1)
    assert [p.key for p in national.points] == ["sp1", "sp2", "sp3"]
    assert national.last_point_key == "sp3"
    assert [(p.care_level, p.anchor, p.opens, p.closes) for p in national.points] == [
        ("hospital", Anchor("diagnosis"), "P0D", "P4W"),
        ("municipality", Anchor("diagnosis"), "P3M", "P4M"),
        ("municipality", Anchor("diagnosis"), "P12M", "P18M"),
    ]
    assert national.point("sp1").setting == "sp1_window_closes"
    assert national.events == ()
    assert "GP" in national.description["en"] and "fastlegen" in national.description["nb"]
    for text in [national.title, national.description, *(p.title for p in national.points)]:
        assert set(text) == {"nb", "nn", "en"}
    data = (DEFINITIONS_DIR / "national-2022.yaml").read_bytes()
    assert national.checksum == hashlib.sha256(data).hexdigest()
    assert national.path.endswith("national-2022.yaml")


def test_hearing_draft_2021():
    hearing = load_definition(DEFINITIONS_DIR / "hearing-draft-2021.yaml")
    assert [p.key for p in hearing.points] == ["hp1", "hp2", "hp3", "hp4", "hp5"]
    assert [e.key for e in hearing.events] == ["treatment_started"]
    assert set(hearing.events[0].title) == {"nb", "nn", "en"}
    assert [(p.care_level, p.anchor, p.opens, p.closes) for p in hearing.points] == [
        ("hospital", Anchor("diagnosis"), "P0D", "P2W"),
        ("hospital", Anchor("event", "treatment_started"), "P0D", "P2W"),
        ("municipality", Anchor("event", "treatment_started"), "P2W", "P8W"),
        ("municipality", Anchor("point", "hp3"), "P2M", "P4M"),
        ("municipality", Anchor("point", "hp3"), "P11M", "P13M"),
    ]
    assert hearing.last_point_key == "hp5"


def test_point_lookup_and_unknown_keys():
    national = get_definition("national-2022")
    assert national.point("sp2").opens == "P3M"
    with pytest.raises(KeyError, match="no point 'sp9'"):
        national.point("sp9")
    with pytest.raises(KeyError, match="no pathway definition 'nope'"):
        get_definition("nope")


def test_valid_fixture_loads(tmp_path):
    loaded = load_definition(write(tmp_path, VALID))
    assert loaded.key == "test-pathway"
    assert loaded.point("p3").anchor == Anchor("point", "p2")
    assert loaded.description == {}


def test_a_definition_may_say_when_it_starts(tmp_path):
    """Without `start_date` a definition starts with the national pathway (2022-01-01)."""
    assert load_definition(write(tmp_path, VALID)).starts_on == datetime.date(2022, 1, 1)
    assert get_definition("national-2022").starts_on == definitions.NATIONAL_START_DATE == datetime.date(2022, 1, 1)
    for written in ("2021-09-01", '"2021-09-01"'):
        loaded = load_definition(write(tmp_path, variant("version: 1\n", f"version: 1\nstart_date: {written}\n")))
        assert (loaded.start_date, loaded.starts_on) == ("2021-09-01", datetime.date(2021, 9, 1))


# Broken files: (variant, expected line, a phrase the message must contain)

BROKEN = {
    "bad YAML syntax": (variant("care_level: hospital", "care_level: hospital: yes"), 13, "YAML syntax error"),
    "tab indentation": (variant("  - key: p2", "\t- key: p2"), 16, "YAML syntax error"),
    "missing top-level key": (variant("version: 1\n", ""), 1, "missing 'version'"),
    "missing point key": (variant("    care_level: municipality\n", ""), 16, "point: missing 'care_level'"),
    "version as text": (variant("version: 1", 'version: "1"'), 2, "expected a whole number of at least 1"),
    "version zero": (variant("version: 1", "version: 0"), 2, "is 0; expected a whole number of at least 1"),
    "version fraction": (variant("version: 1", "version: 1.5"), 2, "expected a whole number"),
    "unknown key typo": (variant("care_level: hospital", "care_levle: hospital"), 13, "did you mean 'care_level'"),
    "unknown top-level key": (variant("events:", "evnets:"), 7, "unknown key 'evnets'; did you mean 'events'"),
    "duplicate point key": (variant("key: p2", "key: p1"), 16, "point 'p1' is defined twice (first on line 11)"),
    "duplicate mapping key": (variant("    care_level: hospital\n", "    care_level: hospital\n" * 2), 14, "duplicate"),
    "bad care level": (
        variant("care_level: hospital", "care_level: gp"),
        13,
        "expected one of hospital, municipality, home_services, nursing_home",
    ),
    "bad availability": (
        variant("version: 1\n", "version: 1\navailability: everyone\n"),
        3,
        "'availability' is 'everyone'; expected one of national, by_organisation",
    ),
    "reports as itself": (
        variant("    care_level: hospital\n", "    care_level: hospital\n    reports_as: p1\n"),
        14,
        "'reports_as' names the point itself",
    ),
    "reports as not a key": (
        variant("    care_level: hospital\n", "    care_level: hospital\n    reports_as: Point 1\n"),
        14,
        "expected the key of a national point",
    ),
    "forward point reference": (
        variant("{type: event, ref: treatment_started}", "{type: point, ref: p3}"),
        19,
        "later",
    ),
    "self reference": (variant("ref: p2", "ref: p3"), 24, "names the point itself"),
    "unknown point reference": (variant("ref: p2", "ref: p9"), 24, "point 'p9', which is not defined"),
    "unknown event ref": (variant("ref: treatment_started", "ref: surgery"), 19, "event 'surgery', which is not"),
    "event anchor without ref": (variant("{type: event, ref: treatment_started}", "{type: event}"), 19, "no 'ref'"),
    "diagnosis anchor with ref": (variant("{type: diagnosis}", "{type: diagnosis, ref: x}"), 14, "takes no 'ref'"),
    "bad anchor type": (variant("{type: diagnosis}", "{type: diagnose}"), 14, "anchor 'type' is 'diagnose'"),
    "bad duration": (
        variant("opens: P3M", "opens: P3X"),
        20,
        "point 'p2': window 'opens' is 'P3X', not an ISO 8601 duration such as P3M or P4W",
    ),
    "duration with time part": (variant("closes: P4W", "closes: PT4H"), 15, "not an ISO 8601 duration"),
    "closes before opens": (variant("closes: P18M", "closes: P6M"), 27, "'closes' (P6M) is shorter than 'opens'"),
    "closes shorter on some dates": (variant("{opens: P3M, closes: P4M}", "{opens: P1M, closes: P4W}"), 20, "shorter"),
    "missing nn title": (variant("  nn: Test\n", ""), 4, "definition 'title': missing 'nn'"),
    "no as a boolean": (variant("nn: Ein", "nn: no"), 12, "the boolean 'no'"),
    "empty title": (variant("nb: En,", "nb: '',"), 12, "expected text"),
    "empty points": (VALID[: VALID.index("points:")] + "points: []\n", 10, "'points' is empty"),
    "points not a list": (VALID[: VALID.index("points:")] + "points: sp1\n", 10, "expected a list"),
    "bad setting name": (variant("setting: p1_window_closes", "setting: P1 window"), 15, "sp1_window_closes"),
    "bad key": (variant("key: test-pathway", "key: Test Pathway"), 1, "national-2022"),
    "point key equals an event key": (variant("key: p1", "key: treatment_started"), 11, "key of an event"),
    "start date not a date": (variant("version: 1\n", "version: 1\nstart_date: 2021-02-30\n"), 3, "YYYY-MM-DD"),
    "start date as text": (variant("version: 1\n", "version: 1\nstart_date: autumn 2021\n"), 3, "YYYY-MM-DD"),
    "start date as a number": (variant("version: 1\n", "version: 1\nstart_date: 2021\n"), 3, "YYYY-MM-DD"),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_definition_is_refused_with_file_and_line(tmp_path, case):
    text, line, phrase = BROKEN[case]
    path = write(tmp_path, text, name="broken.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    message = str(caught.value)
    assert message.startswith(f"broken.yaml:{line}: "), message
    assert phrase in message, message
    assert (caught.value.filename, caught.value.line) == ("broken.yaml", line)
    assert isinstance(caught.value, ValueError)


# The field each message is about, as DefinitionError.field gives it (blank for the whole file).
FIELDS = {
    "bad YAML syntax": "",
    "bad care level": "point 'p1': 'care_level'",
    "bad duration": "point 'p2': window 'opens'",
    "missing nn title": "definition 'title'",
    "unknown event ref": "point 'p2': anchor 'ref'",
    "duplicate point key": "point 'p1'",
    "bad availability": "definition 'availability'",
    "reports as itself": "point 'p1': 'reports_as'",
    "version zero": "definition 'version'",
}


@pytest.mark.parametrize("case", list(FIELDS))
def test_the_error_names_the_field(tmp_path, case):
    text, _line, _phrase = BROKEN[case]
    with pytest.raises(DefinitionError) as caught:
        load_definition(write(tmp_path, text, name="broken.yaml"))
    assert caught.value.field == FIELDS[case]


def test_a_reports_as_outside_the_national_points_is_refused_across_files(tmp_path):
    write(tmp_path, (DEFINITIONS_DIR / "national-2022.yaml").read_text(encoding="utf-8"), name="national-2022.yaml")
    write(tmp_path, variant("    care_level: hospital\n", "    care_level: hospital\n    reports_as: sp4\n"))
    with pytest.raises(DefinitionError) as caught:
        load_all(tmp_path)
    assert (caught.value.filename, caught.value.line, caught.value.field) == (
        "test.yaml",
        14,
        "point 'p1': 'reports_as'",
    )
    assert "not a point of the national pathway national-2022; expected one of sp1, sp2, sp3" in str(caught.value)


def test_the_national_pathway_counts_as_itself(tmp_path):
    national = (DEFINITIONS_DIR / "national-2022.yaml").read_text(encoding="utf-8")
    write(
        tmp_path,
        national.replace(
            "      setting: sp1_window_closes\n", "      setting: sp1_window_closes\n    reports_as: sp2\n"
        ),
    )
    with pytest.raises(DefinitionError, match="the national pathway's points count as themselves"):
        load_all(tmp_path)


def test_a_stored_definition_reads_back_as_it_was(tmp_path):
    import dataclasses

    for definition in definitions.all_definitions().values():
        assert definitions.Definition.from_content(dataclasses.asdict(definition)) == definition
    # Content stored before a field existed takes its default.
    old = dataclasses.asdict(get_definition("national-2022"))
    del old["availability"]
    for point in old["points"]:
        del point["reports_as"]
    assert definitions.Definition.from_content(old) == get_definition("national-2022")


def test_empty_file(tmp_path):
    with pytest.raises(DefinitionError, match=r"^empty\.yaml:1: the file is empty"):
        load_definition(write(tmp_path, "# nothing here\n", name="empty.yaml"))


def test_not_utf8(tmp_path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(VALID.replace("nb: En", "nb: Én").encode("latin-1"))
    with pytest.raises(DefinitionError, match=r"^latin1\.yaml:12: cannot read the file"):
        load_definition(path)


def test_two_files_with_the_same_key(tmp_path):
    write(tmp_path, VALID, name="a.yaml")
    write(tmp_path, "# the same pathway again\n" + VALID, name="b.yaml")
    with pytest.raises(DefinitionError) as caught:
        load_all(tmp_path)
    assert str(caught.value).startswith("b.yaml:2: definition key 'test-pathway' is already used by a.yaml")


def test_load_all_reads_only_yaml_files(tmp_path):
    write(tmp_path, VALID, name="a.yaml")
    write(tmp_path, "not: [valid", name="notes.txt")
    assert list(load_all(tmp_path)) == ["test-pathway"]


def test_validate_all_requires_the_default_definition(tmp_path, monkeypatch):
    write(tmp_path, VALID, name="a.yaml")
    real_load_all = definitions.load_all
    monkeypatch.setattr(definitions, "load_all", lambda directory=None: real_load_all(tmp_path))
    try:
        with pytest.raises(DefinitionError, match=r"^definitions:0: no file defines the default pathway"):
            validate_all()
    finally:
        monkeypatch.undo()
        validate_all()  # leave the cache holding the shipped definitions


def test_definition_error_survives_pickling():
    error = DefinitionError("x.yaml", 3, "something is wrong")
    copy = pickle.loads(pickle.dumps(error))
    assert str(copy) == "x.yaml:3: something is wrong"
