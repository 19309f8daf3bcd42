"""Pathway definitions: the collaboration points of a pathway, read from YAML files.

Definitions are data, not code, so that the national pathway (2022), the hearing draft (2021) and
later revisions can sit side by side and be reviewed by people who do not read Python. Every problem
is reported as `file:line: what is wrong; what is expected`, because the people who edit these files
need to find the mistake, and the app refuses to start on an invalid file (see AppConfig.ready).

Pure Python (PyYAML and the schedule module only), so that validating at start-up is cheap and safe.
"""

from __future__ import annotations

import dataclasses
import datetime
import difflib
import functools
import hashlib
import re
from pathlib import Path
from typing import NoReturn

import yaml
from yaml.constructor import SafeConstructor

from pathway import schedule

DEFINITIONS_DIR = Path(__file__).resolve().parent / "definitions"
DEFAULT_DEFINITION_KEY = "national-2022"
# The national pathway began on this day (published by the Directorate in January 2022). A
# definition without a `start_date` of its own starts then; an organisation's own
# `pathway_start_date` overrides both (pathway.services.pathway_start).
NATIONAL_START_DATE = datetime.date(2022, 1, 1)

LANGUAGES = ("nb", "nn", "en")
# Who holds a point: the hospital, or one of the municipality's services. The municipal ones are
# the patient's municipality's: its home services (hjemmetjenesten) and nursing home (sykehjem)
# when the directory lists them for it, else the municipality itself.
CARE_LEVELS = ("hospital", "municipality", "home_services", "nursing_home")
MUNICIPAL_CARE_LEVELS = ("municipality", "home_services", "nursing_home")
# Who may enrol on a definition: every organisation (`national`), or only an organisation whose
# admin has enabled it (`by_organisation`: local variants, examples, other pathways).
AVAILABILITIES = ("national", "by_organisation")
ANCHOR_KINDS = schedule.ANCHOR_KINDS

_DEFINITION_KEY = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME = re.compile(r"[a-z][a-z0-9_]*")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_BOOL = "tag:yaml.org,2002:bool"
_NULL = "tag:yaml.org,2002:null"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# The field a message is about, as it starts the message: "definition 'key'", "event 'x': title",
# "point 'sp1': window 'closes'", "point 'sp1': 'reports_as'", "point" (a point without a key yet).
_FIELD = re.compile(
    r"(definition|event|point)( '[^']*')?(: ((window|anchor) )?'[a-z_]+'|: (window|anchor|title)(?= |:|$))?"
)


class DefinitionError(ValueError):
    """A definition file that cannot be used; str() is `file:line: problem`."""

    def __init__(self, filename: str, line: int, problem: str, field: str = ""):
        super().__init__(filename, line, problem)
        self.filename = filename
        self.line = line
        self.problem = problem
        # Where in the definition, as the message names it ("point 'sp1': window 'closes'"), or ""
        # for a problem of the whole file (YAML syntax, an empty file).
        self.field = field

    def __str__(self) -> str:
        return f"{self.filename}:{self.line}: {self.problem}"


@dataclasses.dataclass(frozen=True)
class Anchor:
    """What a window is counted from: the diagnosis, a recorded event or another point's completion."""

    kind: str
    ref: str = ""


@dataclasses.dataclass(frozen=True)
class PointDefinition:
    key: str
    title: dict[str, str]
    care_level: str
    anchor: Anchor
    opens: str
    closes: str
    setting: str = ""
    # The national point this point counts as in the reports ("" to count under its own key).
    reports_as: str = ""

    @property
    def report_key(self) -> str:
        """The key the reports count this point under."""
        return self.reports_as or self.key

    @property
    def is_municipal(self) -> bool:
        """A point of the municipality or one of its services (home services, nursing home)."""
        return self.care_level in MUNICIPAL_CARE_LEVELS


@dataclasses.dataclass(frozen=True)
class EventDefinition:
    key: str
    title: dict[str, str]


@dataclasses.dataclass(frozen=True)
class Definition:
    key: str
    version: int
    title: dict[str, str]
    description: dict[str, str]
    events: tuple[EventDefinition, ...]
    points: tuple[PointDefinition, ...]
    path: str
    checksum: str
    # ISO date (text, so that the parsed definition stays JSON) before which no diagnosis is
    # enrolled on this definition; "" for the national start date.
    start_date: str = ""
    availability: str = "national"

    @classmethod
    def from_content(cls, content: dict) -> Definition:
        """The definition as stored with the enrolments on it (`PathwayDefinition.content`, which
        is `dataclasses.asdict` of it): the version an enrolment started with, whatever the file
        says now. Fields added since the content was stored take their defaults."""
        fields = {field.name for field in dataclasses.fields(cls)}
        values = {name: value for name, value in content.items() if name in fields}
        values["title"] = dict(values.get("title") or {})
        values["description"] = dict(values.get("description") or {})
        values["events"] = tuple(EventDefinition(**event) for event in values.get("events") or ())
        point_fields = {field.name for field in dataclasses.fields(PointDefinition)}
        points = []
        for point in values.get("points") or ():
            point = {name: value for name, value in point.items() if name in point_fields}
            point["anchor"] = Anchor(**point["anchor"])
            points.append(PointDefinition(**point))
        values["points"] = tuple(points)
        return cls(**values)

    @property
    def needs_enabling(self) -> bool:
        """Only organisations whose admin enabled the definition enrol on it."""
        return self.availability != "national"

    @property
    def starts_on(self) -> datetime.date:
        """The first day of diagnosis this definition enrols (unless an organisation says otherwise)."""
        return datetime.date.fromisoformat(self.start_date) if self.start_date else NATIONAL_START_DATE

    def point(self, key: str) -> PointDefinition:
        for point in self.points:
            if point.key == key:
                return point
        raise KeyError(f"definition {self.key!r} has no point {key!r}; its points are {self.point_keys}")

    @property
    def point_keys(self) -> tuple[str, ...]:
        return tuple(point.key for point in self.points)

    @property
    def counted_from_diagnosis(self) -> tuple[str, ...]:
        """The points whose window is counted from the diagnosis: anchored on it, or on an earlier
        point that is. Days from the diagnosis say something about these only (not about a
        palliative chain's points, counted from an event that may come years later)."""
        found: list[str] = []
        for point in self.points:
            anchor = point.anchor
            if anchor.kind == schedule.ANCHOR_DIAGNOSIS or (
                anchor.kind == schedule.ANCHOR_POINT and anchor.ref in found
            ):
                found.append(point.key)
        return tuple(found)

    @property
    def last_point_key(self) -> str:
        """The last point ends the pathway (follow-up then goes on with the GP and the municipality)."""
        return self.points[-1].key


# Reading nodes: PyYAML's composed tree keeps the line of every value, which the plain loader loses.


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == _NULL:
        return "empty"
    if node.tag == _BOOL:
        return f"the boolean {node.value!r} (YAML reads yes/no/on/off/true/false as booleans; quote it)"
    if node.tag == _STR:
        return f"the text {node.value!r}" if node.value else "empty"
    return node.value


class _Reader:
    """Walks one file's node tree and raises DefinitionError at the first problem."""

    def __init__(self, filename: str):
        self.filename = filename
        self.constructor = SafeConstructor()

    def fail(self, node: yaml.Node, problem: str, field: str = "") -> NoReturn:
        if not field:  # the messages start with the field they are about: "point 'sp1': window 'closes' is …"
            match = _FIELD.match(problem)
            field = match.group(0) if match else ""
        raise DefinitionError(self.filename, _line(node), problem, field)

    def mapping(
        self, node: yaml.Node, where: str, required: tuple[str, ...], optional: tuple[str, ...] = ()
    ) -> dict[str, tuple[yaml.Node, yaml.Node]]:
        """Key -> (key node, value node); rejects duplicate, unknown and missing keys."""
        allowed = required + optional
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{where} is {_describe(node)}; expected a mapping with {', '.join(allowed)}")
        found: dict[str, tuple[yaml.Node, yaml.Node]] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
                self.fail(key_node, f"{where}: key {_describe(key_node)} is not a name; expected {', '.join(allowed)}")
            key = key_node.value
            if key in found:
                self.fail(key_node, f"{where}: duplicate key {key!r} (first on line {_line(found[key][0])})")
            if key not in allowed:
                close = difflib.get_close_matches(key, allowed, n=1)
                hint = f"did you mean {close[0]!r}? " if close else ""
                self.fail(key_node, f"{where}: unknown key {key!r}; {hint}expected one of {', '.join(allowed)}")
            found[key] = (key_node, value_node)
        missing = [key for key in required if key not in found]
        if missing:
            expected = ", ".join(required) + (f" (optional: {', '.join(optional)})" if optional else "")
            self.fail(node, f"{where}: missing {', '.join(repr(key) for key in missing)}; expected {expected}")
        return found

    def sequence(self, node: yaml.Node, where: str, expected: str) -> list[yaml.Node]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{where} is {_describe(node)}; expected a list of {expected}")
        return list(node.value)

    def text(self, node: yaml.Node, where: str, expected: str = "text") -> str:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR or not node.value.strip():
            self.fail(node, f"{where} is {_describe(node)}; expected {expected}")
        return node.value

    def name(self, node: yaml.Node, where: str, pattern: re.Pattern, expected: str) -> str:
        value = self.text(node, where, expected)
        if not pattern.fullmatch(value):
            self.fail(node, f"{where} is {value!r}; expected {expected}")
        return value

    def integer(self, node: yaml.Node, where: str, minimum: int) -> int:
        if not isinstance(node, yaml.ScalarNode) or node.tag != _INT:
            self.fail(node, f"{where} is {_describe(node)}; expected a whole number of at least {minimum}")
        value = self.constructor.construct_object(node)
        if value < minimum:
            self.fail(node, f"{where} is {value}; expected a whole number of at least {minimum}")
        return value

    def translated(self, node: yaml.Node, where: str) -> dict[str, str]:
        """Text in every language of the interface: a missing translation would show up as a blank."""
        fields = self.mapping(node, where, required=LANGUAGES)
        return {language: self.text(fields[language][1], f"{where} ({language})") for language in LANGUAGES}

    def date(self, node: yaml.Node, where: str) -> str:
        """A calendar date written YYYY-MM-DD (YAML reads it unquoted as a timestamp), as ISO text."""
        expected = "a date written YYYY-MM-DD such as 2022-01-01"
        if not isinstance(node, yaml.ScalarNode) or node.tag not in (_STR, _TIMESTAMP):
            self.fail(node, f"{where} is {_describe(node)}; expected {expected}")
        try:
            if not _ISO_DATE.fullmatch(node.value):
                raise ValueError(node.value)
            return datetime.date.fromisoformat(node.value).isoformat()
        except ValueError:
            self.fail(node, f"{where} is {node.value!r}; expected {expected}")

    def duration(self, node: yaml.Node, where: str) -> str:
        expected = "an ISO 8601 duration such as P3M or P4W"
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR:
            self.fail(node, f"{where} is {_describe(node)}, not {expected}")
        try:
            schedule.parse_duration(node.value)
        except ValueError:
            self.fail(
                node,
                f"{where} is {node.value!r}, not {expected} "
                "(whole years, months, weeks or days: P0D, P4W, P3M, P1Y6M, P2W3D; no time part, sign or fraction)",
            )
        return node.value


def _compose(filename: str, data: bytes) -> yaml.Node:
    try:
        root = yaml.compose(data, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        problem = " ".join(part for part in (error.context, error.problem) if part)
        raise DefinitionError(filename, line, f"YAML syntax error: {problem}; expected valid YAML") from error
    except yaml.reader.ReaderError as error:  # bytes that are not UTF-8; the error carries a byte position
        line = data[: error.position].count(b"\n") + 1
        raise DefinitionError(filename, line, f"cannot read the file ({error.reason}); expected UTF-8 text") from error
    except yaml.YAMLError as error:
        raise DefinitionError(filename, 1, f"cannot read the file ({error}); expected valid YAML") from error
    if root is None:
        raise DefinitionError(filename, 1, "the file is empty; expected a mapping with key, version, title and points")
    return root


def _parse(filename: str, root: yaml.Node) -> tuple[dict, dict[str, int]]:
    """The Definition's fields from a node tree, and the lines of what is checked across files
    (its key, for duplicate keys; each 'reports_as', against the national points)."""
    reader = _Reader(filename)
    top = reader.mapping(
        root,
        "definition",
        ("key", "version", "title", "points"),
        ("description", "events", "start_date", "availability"),
    )
    key_node = top["key"][1]
    key = reader.name(
        key_node, "definition 'key'", _DEFINITION_KEY, "a key such as national-2022 (lowercase letters, digits, dashes)"
    )
    version = reader.integer(top["version"][1], "definition 'version'", minimum=1)
    title = reader.translated(top["title"][1], "definition 'title'")
    description = reader.translated(top["description"][1], "definition 'description'") if "description" in top else {}
    start_date = reader.date(top["start_date"][1], "definition 'start_date'") if "start_date" in top else ""
    availability = "national"
    if "availability" in top:
        node = top["availability"][1]
        availability = reader.text(node, "definition 'availability'", f"one of {', '.join(AVAILABILITIES)}")
        if availability not in AVAILABILITIES:
            reader.fail(
                node, f"definition 'availability' is {availability!r}; expected one of {', '.join(AVAILABILITIES)}"
            )

    events: list[EventDefinition] = []
    event_keys: dict[str, yaml.Node] = {}
    if "events" in top:
        for node in reader.sequence(top["events"][1], "definition 'events'", "events with key and title"):
            fields = reader.mapping(node, "event", ("key", "title"))
            event_key = reader.name(fields["key"][1], "event 'key'", _NAME, "a name such as treatment_started")
            if event_key in event_keys:
                reader.fail(
                    fields["key"][1],
                    f"event {event_key!r} is defined twice (first on line {_line(event_keys[event_key])}); "
                    "expected unique event keys",
                )
            event_keys[event_key] = fields["key"][1]
            events.append(
                EventDefinition(event_key, reader.translated(fields["title"][1], f"event {event_key!r}: title"))
            )

    point_nodes = reader.sequence(top["points"][1], "definition 'points'", "collaboration points")
    if not point_nodes:
        reader.fail(top["points"][1], "definition 'points' is empty; expected at least one collaboration point")
    # All point keys first, so that a reference to a later point is reported as such, not as unknown.
    all_point_keys = set()
    for node in point_nodes:
        if isinstance(node, yaml.MappingNode):
            for name_node, value_node in node.value:
                if getattr(name_node, "value", None) == "key" and isinstance(value_node, yaml.ScalarNode):
                    all_point_keys.add(value_node.value)

    points: list[PointDefinition] = []
    point_keys: dict[str, yaml.Node] = {}
    settings: dict[str, yaml.Node] = {}
    reports_lines: dict[str, int] = {}
    for node in point_nodes:
        fields = reader.mapping(node, "point", ("key", "title", "care_level", "anchor", "window"), ("reports_as",))
        point_key = reader.name(fields["key"][1], "point 'key'", _NAME, "a name such as sp1")
        where = f"point {point_key!r}"
        if point_key in point_keys:
            reader.fail(
                fields["key"][1],
                f"{where} is defined twice (first on line {_line(point_keys[point_key])}); expected unique point keys",
            )
        if point_key in event_keys:
            reader.fail(fields["key"][1], f"{where} has the key of an event; expected point and event keys to differ")
        point_title = reader.translated(fields["title"][1], f"{where}: title")

        care_node = fields["care_level"][1]
        care_level = reader.text(care_node, f"{where}: 'care_level'", f"one of {', '.join(CARE_LEVELS)}")
        if care_level not in CARE_LEVELS:
            reader.fail(care_node, f"{where}: 'care_level' is {care_level!r}; expected one of {', '.join(CARE_LEVELS)}")

        anchor = _anchor(reader, fields["anchor"][1], where, event_keys, point_keys, all_point_keys, point_key)

        window = reader.mapping(fields["window"][1], f"{where}: window", ("opens", "closes"), ("setting",))
        opens = reader.duration(window["opens"][1], f"{where}: window 'opens'")
        closes = reader.duration(window["closes"][1], f"{where}: window 'closes'")
        conflict = schedule.window_conflict(opens, closes)
        if conflict is not None:
            reader.fail(
                window["closes"][1],
                f"{where}: window 'closes' ({closes}) is shorter than 'opens' ({opens}): counted from "
                f"{conflict.isoformat()} the window would close before it opens; "
                "expected 'closes' at least as long as 'opens'",
            )
        setting = ""
        if "setting" in window:
            setting_node = window["setting"][1]
            setting = reader.name(setting_node, f"{where}: window 'setting'", _NAME, "a name such as sp1_window_closes")
            if setting in settings:
                reader.fail(
                    setting_node,
                    f"{where}: window 'setting' {setting!r} is also used on line {_line(settings[setting])}; "
                    "expected one setting per window",
                )
            settings[setting] = setting_node

        reports_as = ""
        if "reports_as" in fields:
            reports_node = fields["reports_as"][1]
            reports_as = reader.name(reports_node, f"{where}: 'reports_as'", _NAME, "the key of a national point")
            if reports_as == point_key:
                reader.fail(reports_node, f"{where}: 'reports_as' names the point itself; expected a national point")
            reports_lines[point_key] = _line(reports_node)

        point_keys[point_key] = fields["key"][1]
        points.append(PointDefinition(point_key, point_title, care_level, anchor, opens, closes, setting, reports_as))

    definition = {
        "key": key,
        "version": version,
        "title": title,
        "description": description,
        "events": tuple(events),
        "points": tuple(points),
        "start_date": start_date,
        "availability": availability,
    }
    return definition, {"key": _line(key_node), **{f"reports_as:{k}": v for k, v in reports_lines.items()}}


def _anchor(reader, node, where, event_keys, earlier_points, all_point_keys, point_key) -> Anchor:
    """Anchors may name an event, or an earlier point only: that rules out cycles by construction."""
    fields = reader.mapping(node, f"{where}: anchor", ("type",), ("ref",))
    type_node = fields["type"][1]
    kind = reader.text(type_node, f"{where}: anchor 'type'", f"one of {', '.join(ANCHOR_KINDS)}")
    if kind not in ANCHOR_KINDS:
        reader.fail(type_node, f"{where}: anchor 'type' is {kind!r}; expected one of {', '.join(ANCHOR_KINDS)}")
    if kind == schedule.ANCHOR_DIAGNOSIS:
        if "ref" in fields:
            reader.fail(fields["ref"][0], f"{where}: a diagnosis anchor takes no 'ref'; expected only type: diagnosis")
        return Anchor(kind)
    if "ref" not in fields:
        reader.fail(node, f"{where}: anchor of type {kind!r} has no 'ref'; expected ref: the key of the {kind}")

    ref_node = fields["ref"][1]
    ref = reader.text(ref_node, f"{where}: anchor 'ref'", f"the key of {'an event' if kind == 'event' else 'a point'}")
    if kind == schedule.ANCHOR_EVENT:
        if ref not in event_keys:
            known = ", ".join(event_keys) or "none are defined"
            reader.fail(
                ref_node, f"{where}: anchor 'ref' names event {ref!r}, which is not defined; expected one of: {known}"
            )
        return Anchor(kind, ref)

    if ref == point_key:
        reader.fail(ref_node, f"{where}: anchor 'ref' names the point itself; expected an earlier point")
    if ref not in earlier_points:
        earlier = ", ".join(earlier_points) or "none"
        if ref in all_point_keys:
            problem = f"anchor 'ref' names point {ref!r}, which comes later; expected an earlier point ({earlier})"
        else:
            problem = f"anchor 'ref' names point {ref!r}, which is not defined; expected an earlier point ({earlier})"
        reader.fail(ref_node, f"{where}: {problem}")
    return Anchor(kind, ref)


def _load(path: Path, filename: str) -> tuple[Definition, dict[str, int]]:
    data = path.read_bytes()
    fields, lines = _parse(filename, _compose(filename, data))
    definition = Definition(**fields, path=str(path), checksum=hashlib.sha256(data).hexdigest())
    return definition, lines


def load_definition(path) -> Definition:
    """One definition file, validated; DefinitionError names the file and line of the first problem."""
    path = Path(path)
    return _load(path, path.name)[0]


def extra_dirs() -> tuple[Path, ...]:
    """The installation's own definition folders (`HEIMVEG_PATHWAY_DEFINITION_DIRS`), read beside
    the shipped one; none outside Django (the module stays usable without settings)."""
    try:
        from django.conf import settings

        return tuple(Path(folder) for folder in getattr(settings, "PATHWAY_DEFINITION_DIRS", ()))
    except ImportError:  # pragma: no cover - Django is always installed with Heimveg
        return ()


def _files(directory) -> list[tuple[Path, str]]:
    """(path, the name errors give it): the shipped files by name, an installation's by full path."""
    if directory is not None:
        return [(path, path.name) for path in sorted(Path(directory).glob("*.yaml"))]
    files = [(path, path.name) for path in sorted(DEFINITIONS_DIR.glob("*.yaml"))]
    for folder in extra_dirs():
        if not folder.is_dir():
            raise DefinitionError(
                str(folder), 0, "the folder does not exist; expected a folder of *.yaml definition files", "folder"
            )
        files += [(path, str(path)) for path in sorted(folder.glob("*.yaml"))]
    return files


def load_all(directory=None) -> dict[str, Definition]:
    """Every *.yaml definition by key: of `directory`, or by default the shipped ones and those of
    the installation's folders (`extra_dirs`). Two files with one key are an error, and so is a
    'reports_as' that names no point of the national definition."""
    definitions: dict[str, Definition] = {}
    checks: list[tuple[Definition, str, dict[str, int]]] = []
    for path, filename in _files(directory):
        definition, lines = _load(path, filename)
        if definition.key in definitions:
            first = Path(definitions[definition.key].path).name
            raise DefinitionError(
                filename,
                lines["key"],
                f"definition key {definition.key!r} is already used by {first}; expected one file per key",
                "definition 'key'",
            )
        definitions[definition.key] = definition
        checks.append((definition, filename, lines))
    national = definitions.get(DEFAULT_DEFINITION_KEY)
    for definition, filename, lines in checks:
        for point in definition.points:
            if not point.reports_as:
                continue
            where = f"point {point.key!r}: 'reports_as'"
            line = lines[f"reports_as:{point.key}"]
            if definition.key == DEFAULT_DEFINITION_KEY:
                raise DefinitionError(
                    filename, line, f"{where}: the national pathway's points count as themselves; expected none", where
                )
            if national is not None and point.reports_as not in national.point_keys:
                raise DefinitionError(
                    filename,
                    line,
                    f"{where} is {point.reports_as!r}, which is not a point of the national pathway "
                    f"{DEFAULT_DEFINITION_KEY}; expected one of {', '.join(national.point_keys)}",
                    where,
                )
    return definitions


@functools.cache
def _all_definitions() -> dict[str, Definition]:
    return load_all()


def all_definitions() -> dict[str, Definition]:
    """Every definition by key, shipped and the installation's (files are read once per process)."""
    return dict(_all_definitions())


def get_definition(key: str) -> Definition:
    """A definition by key, its file's current version (files are read once per process)."""
    definitions = _all_definitions()
    try:
        return definitions[key]
    except KeyError:
        raise KeyError(f"no pathway definition {key!r}; known: {', '.join(sorted(definitions))}") from None


def report_keys() -> dict[tuple[str, str], str]:
    """(definition key, point key) -> the key the reports count the point under, for every point
    that counts as another (its 'reports_as'). Points not listed count under their own key."""
    return {
        (definition.key, point.key): point.reports_as
        for definition in _all_definitions().values()
        for point in definition.points
        if point.reports_as
    }


def fingerprint() -> str:
    """A short digest of the definitions read (their keys, versions and contents): what a cached
    page that lists their points keys on, so that a changed folder shows at once."""
    digest = hashlib.sha256()
    for key, definition in sorted(_all_definitions().items()):
        digest.update(f"{key}|{definition.version}|{definition.checksum};".encode())
    return digest.hexdigest()[:16]


def reload() -> dict[str, Definition]:
    """Read the files again (after a change of the folders, in tests)."""
    _all_definitions.cache_clear()
    return all_definitions()


def validate_all() -> dict[str, Definition]:
    """Load every definition afresh (and cache it) so that start-up fails on a bad file.

    Also requires the default definition, since new enrolments use it.
    """
    _all_definitions.cache_clear()
    definitions = _all_definitions()
    if DEFAULT_DEFINITION_KEY not in definitions:
        raise DefinitionError(
            DEFINITIONS_DIR.name,
            0,
            f"no file defines the default pathway {DEFAULT_DEFINITION_KEY!r}; "
            f"expected a file such as {DEFAULT_DEFINITION_KEY}.yaml with key: {DEFAULT_DEFINITION_KEY}",
        )
    return definitions
