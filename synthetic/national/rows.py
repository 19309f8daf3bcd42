"""The rows of one month of diagnoses: every patient diagnosed that month, with everything that
happens to them up to the end date (points, assessments, hand-overs, moves, deaths, audit).

Rows are plain tuples in the column order of `COLUMNS` (field names of the models), with values
that both databases read alike: dates as ISO text, times as UTC "YYYY-MM-DD HH:MM:SS" text,
UUIDs as 32 hex digits, JSON as text. Building tuples instead of model instances is what makes
ten national years fit in minutes (see writer.py). Primary keys come from blocks reserved from the
tables' own sequences (ids.py), so rows can refer to each other before any is written.

What happens is drawn here (when, who, what the patient answers); what follows from it is the
product's rules, called as the services call them, so that a change to a rule changes the
generated data too:

- windows: `pathway.services.point_windows` (the enrolling hospital's own target included);
- outcomes, end reasons, the offer and the day to ask again: `pathway.schedule`'s outcomes,
  `pathway.models`' choices, `pathway.services.ask_again_on`;
- scores, areas and help areas of an assessment: `assessment.scoring.score` on the answers;
- who receives a hand-over: `handover.rules.point_recipients`; what a message holds:
  `handover.content`'s `*_body` functions, the ones the services' messages are laid out by;
- the acknowledge-by day: `handover.channels.acknowledge_by`;
- a moved patient's open municipal points belong to the new municipality, and the fixed contact
  person becomes the previous one, as `pathway.services.on_patient_moved` does.

`synthetic/tests/test_national_agrees.py` replays generated patients through the services and
compares the two point for point.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import json
import random

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from assessment import questionnaires, scoring
from handover import channels, content, rules
from lib import nin
from pathway import schedule
from pathway import services as pathway_services
from pathway.models import Enrolment, Offer
from synthetic.national import distributions as dist
from synthetic.national.reference import PATIENT_EMAIL_DOMAIN, Context

COLUMNS = {
    "patient": (
        "id", "public_id", "national_id", "national_id_kind", "given_name", "family_name", "date_of_birth",
        "municipality", "gp_office", "preferred_language", "mobile_phone", "email", "date_of_death",
        "registered_by", "created_at", "updated_at",
    ),
    "enrolment": (
        "id", "public_id", "patient", "definition", "diagnosis_date", "icd10_code", "icd10_name",
        "treatment_intent", "enrolling_organisation", "offer", "ask_again_on", "contact_person",
        "previous_contact_person", "previous_contact_municipality", "created_at", "ended_at", "end_reason",
    ),
    "point": (
        "id", "public_id", "enrolment", "key", "sequence", "title", "care_level", "responsible_organisation",
        "window_opens", "window_closes", "booked_for", "assigned_to", "outcome", "outcome_on", "outcome_by",
        "place", "reason",
    ),
    # The timeline events a message refers to (an offer declined: the GP's message names it).
    "event_with_id": (
        "id", "enrolment", "kind", "occurred_at", "on_date", "point", "user", "username", "organisation", "note",
        "data",
    ),
    "event": (
        "enrolment", "kind", "occurred_at", "on_date", "point", "user", "username", "organisation", "note", "data",
    ),
    "bereavement": ("public_id", "enrolment", "municipality", "created_at", "contacted_on", "done_by"),
    "response": (
        "id", "public_id", "point", "questionnaire_id", "questionnaire_version", "source", "answers",
        "current_page", "status", "distress_score", "areas", "help_areas", "author", "created_at", "updated_at",
        "submitted_at",
    ),
    "assessment": (
        "id", "public_id", "point", "response", "summary", "organisation", "created_at", "completed_at",
        "completed_by",
    ),
    "follow_up": (
        "public_id", "assessment", "need", "area", "action", "responsible_organisation", "responsible_service",
        "status", "created_at", "updated_at",
    ),
    "message": (
        "id", "public_id", "kind", "enrolment", "point", "sender", "sent_by", "sent_by_name", "recipient",
        "reason", "sharing_declined", "content", "created_at", "delivered_at", "acknowledge_by",
        "acknowledged_at", "acknowledged_by", "acknowledged_by_name",
    ),
    "delivery": (
        "message", "channel", "idempotency_key", "status", "attempts", "next_attempt_at", "receipt", "created_at",
        "delivered_at",
    ),
    "audit": (
        "occurred_at", "user", "username", "organisation", "role", "patient_public_id", "action", "object_type",
        "detail",
    ),
}  # fmt: skip
# Tables whose rows carry their own primary key (others are referred to by nobody).
WITH_IDS = ("patient", "enrolment", "point", "event_with_id", "response", "assessment", "message")

DAY = datetime.timedelta(days=1)
COMPLETED, NOT_WANTED, CANCELLED = schedule.COMPLETED, schedule.NOT_WANTED, schedule.CANCELLED
HOSPITAL = "hospital"
PLACES = ("Poliklinikken", "Hjemme hos pasienten", "Helsehuset", "Telefon", "Video", "Kreftkoordinatorens kontor")
SUMMARIES = (
    "Pasienten er sliten, men har godt nettverk. Ønsker hjelp med fysisk aktivitet og økonomi.",
    "Samtale om familien og barna. Avtalt kontakt med helsesykepleier på skolen.",
    "Pasienten ønsker å komme tilbake i jobb. NAV kontaktes. Fastlegen følger opp smerter.",
    "Klarer seg godt hjemme. Ønsker informasjon om rehabilitering og treningstilbud.",
    "Mye bekymring for framtida. Avtalt samtaler med kreftkoordinator.",
    "Trenger hjelp til praktiske ting hjemme og transport til behandling.",
)
WHAT_MATTERS = (
    "Å kunne gå tur med hunden igjen.",
    "At barna har det bra.",
    "Å komme tilbake i jobb, litt etter litt.",
    "Å være mest mulig hjemme.",
    "Å forstå hva som skjer videre.",
    "Å ha overskudd til barnebarna.",
)
ACTIONS = (  # (action, service): what is done about a need, and by whom
    ("Henvist til fysioterapeut i kommunen", "Fysioterapi"),
    ("Time hos NAV-veileder", "NAV"),
    ("Kontakt med helsesykepleier", "Skolehelsetjenesten"),
    ("Samtaler med kreftkoordinator", "Kreftkoordinator"),
    ("Kurs om mat ved kreft", "Frisklivssentralen"),
    ("Søknad om hjemmetjenester", "Tildelingskontoret"),
    ("Henvist til Vardesenteret", "Vardesenteret"),
    ("Oppfølging hos fastlegen", "Fastlegen"),
)
OFF_WINDOW_REASONS = (  # why a conversation was held outside its window
    "Pasienten ønsket å vente til behandlingen var ferdig.",
    "Pasienten var innlagt da vinduet var åpent.",
    "Samtalen ble holdt da pasienten likevel var til kontroll.",
    "Pasienten ba om samtalen tidligere.",
)
RUNNING = ("planned", "started")  # follow-up statuses a transfer message lists
# As pathway.services writes it, in the language users act in by default (bokmål).
with translation.override(settings.LANGUAGE_CODE):
    DIED_REASON = gettext("The patient died.")


@functools.lru_cache(maxsize=8192)
def _iso(day: datetime.date) -> str:
    return day.isoformat()


def ts(day: datetime.date, minute: int) -> str:
    """A UTC time on a day, `minute` minutes after midnight (capped to the day)."""
    minute = min(max(minute, 0), 1439)
    return f"{_iso(day)} {minute // 60:02d}:{minute % 60:02d}:00"


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _age_on(birth: datetime.date, day: datetime.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


_UUID_MASK = ~((0xF << 76) | (0x3 << 62))
_UUID_BITS = (0x4 << 76) | (0x2 << 62)  # version 4, RFC 4122 variant


class _Uuids:
    """UUIDs (32 hex digits) that grow with the month and within it, random in the last 80 bits.

    Fully random UUIDs land all over the unique indexes, which then no longer fit in memory and
    made the later years several times slower to write; these append at the right-hand end.
    """

    def __init__(self, rng, year, month):
        self.rng = rng
        self.prefix = (year * 12 + month) % (1 << 16)
        self.count = 0

    def __call__(self, _rng=None) -> str:
        self.count += 1
        value = (self.prefix << 112) | (self.count << 80) | self.rng.getrandbits(80)
        return f"{value & _UUID_MASK | _UUID_BITS:032x}"


class _Questionnaire:
    """What the rows need of one questionnaire: its area items, ready to draw from."""

    def __init__(self, questionnaire):
        self.questionnaire = questionnaire
        self.id = questionnaire.id
        self.version = questionnaire.version
        self.pages = len(questionnaire.pages)
        self.areas = [(item.link_id, item.area, item.area_display) for item in questionnaire.areas]
        self.order = {item.link_id: index for index, item in enumerate(questionnaire.areas)}


@functools.cache
def _questionnaires():
    return _Questionnaire(questionnaires.get(questionnaires.ADULT)), _Questionnaire(
        questionnaires.get(questionnaires.CHILD)
    )


@dataclasses.dataclass(slots=True)
class _Point:
    sequence: int
    definition: object  # the definition's point (key, title, care_level)
    opens: datetime.date
    closes: datetime.date
    fate: tuple[str, datetime.date] | None = None  # (outcome, day); None: open at the end of the period
    id: int = 0

    @property
    def key(self):
        return self.definition.key

    @property
    def hospital(self):
        return self.definition.care_level == HOSPITAL

    def open_on(self, day):
        """Still open on `day` (closed later, or not at all)."""
        return not self.fate or self.fate[1] >= day


@dataclasses.dataclass(slots=True)
class _Story:
    """One patient's pathway: what the draws decided, and what the steps have recorded so far."""

    diagnosis_date: datetime.date
    age: int
    dx: object
    male: bool
    intent: str
    recent: bool
    birth: datetime.date | None = None
    national_id: str = ""
    home: object = None
    gp: int | None = None
    enrolling_id: int = 0
    hospital_person: object = None
    patient_uuid: str = ""
    patient_id: int = 0
    enrolment_id: int = 0
    registered: datetime.date | None = None
    reg_minute: int = 0
    died: datetime.date | None = None
    moved_on: datetime.date | None = None
    new_home: object = None
    new_gp: int | None = None
    offer: str = Offer.NOT_ASKED
    offered_on: datetime.date | None = None
    points: list = dataclasses.field(default_factory=list)
    ended_on: datetime.date | None = None
    end_reason: str = ""
    moved_while_open: bool = False
    contact: object = None  # the fixed contact person the municipality chose, and when
    contact_at: str = ""
    moved_at: str = ""  # when a move while the pathway was open was recorded
    running_follow_ups: list = dataclasses.field(default_factory=list)  # (day, line) of shared assessments

    @property
    def registered_at(self):
        return ts(self.registered, self.reg_minute)

    def municipality_on(self, day):
        return self.new_home if self.moved_on and day >= self.moved_on else self.home

    def gp_on(self, day):
        return self.new_gp if self.moved_on and day >= self.moved_on else self.gp

    @property
    def contact_moved_away(self):
        """The contact person was chosen before a move: then the previous one (on_patient_moved)."""
        return bool(self.contact and self.moved_at and self.contact_at < self.moved_at)

    def contact_person(self, at):
        """The fixed contact person at the time `at` (text, as `ts` writes it), or None."""
        if not self.contact or self.contact_at > at:
            return None
        if self.contact_moved_away and self.moved_at <= at:
            return None
        return self.contact


class MonthBuilder:
    """Collects the rows of one month; ids come from `ids` (an ids.IdBlocks)."""

    def __init__(self, ctx: Context, seed: int, year: int, month: int, end_date: datetime.date, ids, used_ids):
        self.ctx = ctx
        self.rng = random.Random(dist.month_seed(seed, year, month))
        self.year, self.month = year, month
        self.end = end_date
        self.ids = ids
        self.used_ids = used_ids
        self.tables: dict[str, list[tuple]] = {name: [] for name in COLUMNS}
        self.adult, self.child = _questionnaires()
        self.uuid = _Uuids(self.rng, year, month)
        # Per month, so that a changed setting (a test's) is read again.
        self.acknowledge_by = functools.lru_cache(maxsize=None)(channels.acknowledge_by)

    def _id(self, table):
        return self.ids.take(table)

    # Building blocks ---------------------------------------------------------------------------

    def _national_id(self, birth):
        rng = self.rng
        for _shift in range(30):
            individuals = nin.individual_range_for(birth.year)
            for _attempt in range(60):
                number = nin.synthetic_number(birth, rng.choice(individuals))
                if number and number not in self.used_ids:
                    self.used_ids.add(number)
                    return number, birth
            birth += DAY  # every number of the day is taken: born a day later instead
        raise RuntimeError("no free synthetic national identity number")

    def _municipality(self):
        ctx = self.ctx
        return dist.pick(self.rng, ctx.municipalities, ctx.municipality_cum)

    def _gp(self, municipality_id):
        offices = self.ctx.gp_offices.get(municipality_id)
        if not offices or self.rng.random() < 0.04:
            return None
        return self.rng.choice(offices)

    def _event(self, enrolment_id, kind, when, person, org_id, *, on_date=None, point_id=None, data=None, note=""):
        self.tables["event"].append(
            self._event_row(enrolment_id, kind, when, person, org_id, on_date, point_id, data, note)
        )

    @staticmethod
    def _event_row(enrolment_id, kind, when, person, org_id, on_date=None, point_id=None, data=None, note=""):
        return (
            enrolment_id,
            kind,
            when,
            _iso(on_date) if on_date else None,
            point_id,
            person.user_id if person else None,
            person.username if person else "system",
            org_id,
            note,
            json.dumps(data, ensure_ascii=False) if data else "{}",
        )

    def _audit(self, when, person, org_id, patient_uuid, action, object_type, detail):
        self.tables["audit"].append(
            (when, person.user_id, person.username, org_id, person.role, patient_uuid, action, object_type, detail)
        )

    def _contacts(self, story, sender_id, sender_person, municipality, at):
        """As handover.content.contacts at the time `at`: generated organisations have no contact points."""
        contact = story.contact_person(at)
        return content.contacts_body(
            sender=self.ctx.org_name[sender_id],
            sent_by=sender_person.name,
            sender_contact_points=[],
            municipality=municipality.name,
            contact_person=contact.name if contact else "",
            municipality_contact_points=[],
        )

    def _point_line(self, story, point, day):
        """As handover.content lists a point, with who holds it on `day`."""
        holder = story.enrolling_id if point.hospital else story.municipality_on(day).id
        return content.point_line(
            key=point.key,
            title=self.ctx.titles[point.key],
            opens=point.opens,
            closes=point.closes,
            responsible=self.ctx.org_name[holder],
        )

    # One patient, step by step -------------------------------------------------------------------

    def add_patient(self, diagnosis_date: datetime.date):
        """A patient diagnosed on `diagnosis_date`: first what happens to them is drawn, then each
        step of the pathway writes its rows, in the order the services would."""
        story = self._diagnose(diagnosis_date)
        self._plan_life(story)
        self._plan_offer(story)
        self._plan_points(story)
        self._plan_end(story)
        self._register(story)
        self._enrol(story)
        self._record_offer(story)
        for point in story.points:
            self._close_point(story, point)
        self._move(story)
        self._end(story)
        self._enrolment_row(story)

    # What happens (draws) --------------------------------------------------------------------------

    def _diagnose(self, diagnosis_date):
        rng, ctx = self.rng, self.ctx
        age = dist.age_at_diagnosis(rng)
        dx = dist.diagnosis(rng, age)
        male = dist.is_male(rng, dx)
        recent = (self.end - diagnosis_date).days < 28
        intent = dist.treatment_intent(rng, dx, age, recent)
        story = _Story(diagnosis_date, age, dx, male, intent, recent)
        story.national_id, story.birth = self._national_id(dist.birth_date(rng, diagnosis_date, age))
        story.home = self._municipality()
        story.gp = self._gp(story.home.id)
        story.enrolling_id = rng.choice(ctx.enrolling.get(story.home.health_trust_id) or [story.home.health_trust_id])
        story.hospital_person = ctx.staff[story.enrolling_id]
        story.patient_uuid = self.uuid()
        story.enrolment_id = self._id("enrolment")
        story.patient_id = self._id("patient")
        return story

    def _plan_life(self, story):
        """Registration, death and a move (days relative to the end of the period)."""
        rng, ctx, end = self.rng, self.ctx, self.end
        story.registered = min(end, story.diagnosis_date + DAY * rng.choice((0, 0, 1, 1, 2, 3, 5, 7)))
        story.reg_minute = rng.randint(7 * 60, 15 * 60)
        died = story.diagnosis_date + DAY * dist.days_to_death(rng, story.dx, story.intent, story.age)
        story.died = died if died <= end else None
        moved_on = None
        if rng.random() < 0.1:
            moved_on = story.diagnosis_date + DAY * rng.randint(20, 620)
            if moved_on > end or (story.died and moved_on >= story.died):
                moved_on = None
        if not moved_on:
            return
        home = story.home
        if rng.random() < 0.6 and len(ctx.by_county.get(home.county_id, ())) > 1:
            story.new_home = rng.choice([m for m in ctx.by_county[home.county_id] if m.id != home.id])
        else:
            story.new_home = self._municipality()
            if story.new_home.id == home.id:
                story.new_home = None
        if story.new_home:
            story.moved_on = moved_on
            story.new_gp = self._gp(story.new_home.id)

    def _plan_offer(self, story):
        if story.recent and self.rng.random() < 0.7:
            return  # not asked yet
        story.offer = Offer.ACCEPTED if self.rng.random() < 0.885 else Offer.DECLINED
        story.offered_on = min(self.end, story.registered + DAY * self.rng.choice((0, 0, 0, 1, 2, 4, 7, 10)))

    def _plan_points(self, story):
        """Each point's window (the pathway's rule) and fate: (outcome, day), or None for still
        open at the end of the period."""
        rng, ctx, end, died = self.rng, self.ctx, self.end, story.died
        kind = ctx.org_kind[story.enrolling_id]
        windows = ctx.windows(story.diagnosis_date, story.enrolling_id)
        reluctant = rng.random() < 0.12  # patients who do not want the municipal conversations
        for sequence, point_def in enumerate(ctx.point_defs):
            window = windows[point_def.key]
            if window is None:
                raise ValueError(
                    f"point {point_def.key!r} of {ctx.definition_key} is not counted from the diagnosis ({kind}); "
                    "the national generator schedules every point at enrolment"
                )
            point = _Point(sequence, point_def, *window)
            point.fate = self._fate(story, point, reluctant)
            if point.fate and (point.fate[1] > end or (died and point.fate[1] >= died)):
                point.fate = None
            story.points.append(point)

    def _fate(self, story, point, reluctant):
        rng, opens, closes, offered_on = self.rng, point.opens, point.closes, story.offered_on
        if story.offer == Offer.DECLINED:
            return NOT_WANTED, max(offered_on, opens + DAY * rng.randint(0, 14))
        if story.offer != Offer.ACCEPTED:
            return None
        roll = rng.random()
        if reluctant and not point.hospital:
            roll = 0.99 if roll < 0.7 else roll
        completed, not_wanted = (0.9, 0.97) if point.hospital else (0.76, 0.95)
        if roll < completed:
            kind = rng.random()
            if kind < 0.78:
                day = opens + DAY * rng.randint(0, (closes - opens).days)  # inside the window
            elif kind < 0.96:
                day = closes + DAY * rng.randint(1, 75)  # late
            else:
                day = max(story.diagnosis_date, opens - DAY * rng.randint(1, 25))  # early
            return COMPLETED, max(day, offered_on)
        if roll < not_wanted:
            return NOT_WANTED, max(offered_on, opens + DAY * rng.randint(0, 20))
        return None  # never done; it stays open (and is overdue once its window has closed)

    def _plan_end(self, story):
        """The pathway ends when every point is closed (pathway.services._complete_if_done), or
        when the patient dies while it is open."""
        closed_days = [p.fate[1] for p in story.points if p.fate]
        if len(closed_days) == len(story.points):
            story.ended_on, story.end_reason = max(closed_days), Enrolment.EndReason.COMPLETED
        elif story.died:
            story.ended_on = min(self.end, story.died + DAY * self.rng.randint(0, 3))
            story.end_reason = Enrolment.EndReason.DECEASED
        story.moved_while_open = bool(story.moved_on) and not (story.ended_on and story.moved_on > story.ended_on)
        story.moved_at = ts(story.moved_on, 10 * 60) if story.moved_while_open else ""

    # The pathway's steps (rows) --------------------------------------------------------------------

    def _register(self, story):
        """The patient's record, as it stands at the end of the period."""
        rng, end = self.rng, self.end
        final_home = story.new_home if story.moved_on else story.home
        final_gp = story.new_gp if story.moved_on else story.gp
        given = rng.choice(dist.GIVEN_MALE if story.male else dist.GIVEN_FEMALE)
        family = rng.choice(dist.FAMILY)
        language = "nn" if rng.random() < 0.1 else "en" if rng.random() < 0.03 else "nb"
        phone = f"{rng.choice('49')}{rng.randint(0, 9)}{rng.randint(0, 999999):06d}" if rng.random() < 0.9 else ""
        died = story.died
        updated = max(d for d in (story.registered, story.moved_on, died and min(end, died)) if d)
        self.tables["patient"].append(
            (
                story.patient_id,
                story.patient_uuid,
                story.national_id,
                nin.FODSELSNUMMER,
                given,
                family,
                _iso(story.birth),
                final_home.id,
                final_gp,
                language,
                phone,
                f"{story.patient_uuid[:16]}@{PATIENT_EMAIL_DOMAIN}",
                _iso(died) if died else None,
                story.enrolling_id,
                story.registered_at,
                ts(updated, story.reg_minute),
            )
        )
        self._audit(
            story.registered_at, story.hospital_person, story.enrolling_id, story.patient_uuid, "create", "patient",
            "registered",
        )  # fmt: skip

    def _enrol(self, story):
        """pathway.services.enrol: the enrolment and its points, each with its window."""
        ctx, created, person, org = self.ctx, story.registered_at, story.hospital_person, story.enrolling_id
        data = {"icd10": story.dx.code, "relapse": False, "via": ctx.org_kind[org]}
        self._event(story.enrolment_id, "enrolled", created, person, org, on_date=story.diagnosis_date, data=data)
        for point in story.points:
            point.id = self._id("point")
            self._event(
                story.enrolment_id, "point_scheduled", created, person, org, on_date=point.opens, point_id=point.id,
                data={"opens": _iso(point.opens), "closes": _iso(point.closes)},
            )  # fmt: skip
        self._audit(created, person, org, story.patient_uuid, "create", "enrolment", "enrolment")

    def _record_offer(self, story):
        """pathway.services.record_offer; a decline tells the patient's GP (handover.services.on_offer_declined)."""
        if not story.offered_on:
            return
        person, org, day = story.hospital_person, story.enrolling_id, story.offered_on
        when = ts(day, story.reg_minute + 30)
        kind = f"offer_{story.offer}"
        gp = story.gp_on(day)
        if story.offer == Offer.DECLINED and gp:
            event_id = self._id("event_with_id")
            self.tables["event_with_id"].append(
                (event_id, *self._event_row(story.enrolment_id, kind, when, person, org, on_date=day))
            )
            body = content.offer_declined_body(
                event=event_id,
                declined_on=day,
                ask_again_on=pathway_services.ask_again_on(story.offer, day),
                recorded_by=person.name,
                contacts=self._contacts(story, org, person, story.municipality_on(day), when),
            )
            self._message(
                story, "offer_declined", None, org, person, gp, "gp", False, _json(body), day, story.reg_minute + 30
            )
        else:
            self._event(story.enrolment_id, kind, when, person, org, on_date=day)
        self._audit(when, person, org, story.patient_uuid, "update", "enrolment", f"offer {story.offer}")

    def _close_point(self, story, point):
        """pathway.services.close_point (or its cancellation at death), with the assessment and the
        hand-over of a completed point."""
        outcome, outcome_on, owner, person, place, reason = self._point_row(story, point)
        if not outcome:
            return
        when = ts(outcome_on, self.rng.randint(8 * 60, 15 * 60))
        if outcome == CANCELLED:
            return  # the cancellation's entry is written with the death (_record_death), by its recorder
        self._event(
            story.enrolment_id, f"point_{outcome}", when, person, owner, on_date=outcome_on, point_id=point.id,
            data={"place": place} if place else None, note=reason,
        )  # fmt: skip
        self._audit(when, person, owner, story.patient_uuid, "update", "enrolment", f"{point.key} {outcome}")
        if outcome != COMPLETED:
            return
        assessment = self._assess(story, point, outcome_on, when, person, owner)
        self._hand_over(story, point, outcome_on, when, person, owner, place, *assessment)
        if point.hospital:
            self._choose_contact_person(story, outcome_on)

    def _point_row(self, story, point):
        """The point as it stands at the end of the period: its outcome (a death cancels the open
        ones), who holds it, and a booking."""
        rng = self.rng
        outcome = outcome_on = None
        place = reason = ""
        if point.fate:
            outcome, outcome_on = point.fate
        elif story.end_reason == Enrolment.EndReason.DECEASED:
            outcome, outcome_on, reason = CANCELLED, story.ended_on, DIED_REASON
        owner = story.enrolling_id if point.hospital else story.municipality_on(outcome_on or self.end).id
        person = self.ctx.staff[owner]
        booked_for = assigned_to = None
        if outcome == COMPLETED:
            place = rng.choice(PLACES)
            if pathway_services.completion_reason(story.offer, point.opens, point.closes, outcome_on):
                reason = rng.choice(OFF_WINDOW_REASONS)  # the rule asks the professional why
            if rng.random() < 0.5:
                booked_for = ts(outcome_on, rng.choice((8, 9, 10, 12, 13, 14)) * 60)
            if not point.hospital:
                assigned_to = person.user_id
        elif not outcome and story.offer == Offer.ACCEPTED and point.opens <= self.end + DAY * 14:
            if rng.random() < 0.35:
                booked_for = ts(max(point.opens, self.end + DAY * rng.randint(1, 14)), 9 * 60)  # booked, not yet held
        outcome_by = person.user_id if outcome and outcome != CANCELLED else None
        self.tables["point"].append(
            (
                point.id, self.uuid(), story.enrolment_id, point.key, point.sequence, self.ctx.titles_json[point.key],
                point.definition.care_level, owner, _iso(point.opens), _iso(point.closes), booked_for, assigned_to,
                outcome or "", _iso(outcome_on) if outcome_on else None, outcome_by, place, reason,
            )
        )  # fmt: skip
        return outcome, outcome_on, owner, person, place, reason

    def _assess(self, story, point, day, when, person, owner):
        """The patient's answers (sometimes sent from home first) and the professional's completed
        record, scored by assessment.scoring; returns what the hand-over shows of it."""
        rng, tables = self.rng, self.tables
        questionnaire = self.child if _age_on(story.birth, day) < 18 else self.adult
        areas = rng.sample(questionnaire.areas, k=rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5)))
        areas.sort(key=lambda a: questionnaire.order[a[0]])
        answers = {"what-matters": rng.choice(WHAT_MATTERS), "distress-score": dist.distress(rng, story.intent)}
        for link_id, _code, _display in areas:
            answers[link_id] = True
            answers[f"{link_id}-help"] = rng.random() < 0.55
        # Scored as the service scores them; every drawn answer is one the questionnaire keeps, so
        # they are stored as drawn (the agreement test compares them with the service's cleaned ones).
        result = scoring.score(questionnaire.questionnaire, answers)
        area_codes = [a.code for a in result.areas]
        help_codes = [a.code for a in result.help_wanted]
        stored = (
            json.dumps(answers, ensure_ascii=False), questionnaire.pages, "completed", result.distress_score,
            json.dumps(area_codes), json.dumps(help_codes),
        )  # fmt: skip
        if rng.random() < 0.3:  # the patient answered from home first
            sent = ts(day - DAY * rng.randint(1, 7), rng.randint(8 * 60, 22 * 60))
            tables["response"].append(
                (self._id("response"), self.uuid(), point.id, questionnaire.id, questionnaire.version, "patient",
                 *stored, None, sent, sent, sent)
            )  # fmt: skip
        response_id = self._id("response")
        tables["response"].append(
            (response_id, self.uuid(), point.id, questionnaire.id, questionnaire.version, "professional", *stored,
             person.user_id, when, when, when)
        )  # fmt: skip
        assessment_id = self._id("assessment")
        summary = rng.choice(SUMMARIES)
        tables["assessment"].append(
            (assessment_id, self.uuid(), point.id, response_id, summary, owner, when, when, person.user_id)
        )
        follow_ups = self._follow_ups(story, day, when, assessment_id, result.areas)
        line = content.assessment_line(
            summary=summary,
            questionnaire=questionnaire.id,
            distress_score=result.distress_score,
            areas=area_codes,
            help_areas=help_codes,
        )
        return line, follow_ups

    def _follow_ups(self, story, day, when, assessment_id, areas):
        """Actions for some of the marked areas; long-past ones are done (or cancelled) by now."""
        rng = self.rng
        municipality = story.municipality_on(day)
        lines = []
        old = (self.end - day).days > 240
        for area in areas[: rng.randint(0, 3)]:
            action, service = rng.choice(ACTIONS)
            status = rng.choice(("done", "done", "done", "cancelled")) if old else rng.choice(RUNNING)
            updated = ts(min(self.end, day + DAY * rng.randint(0, 60)), 12 * 60) if old else when
            responsible_org = municipality.id if service in ("Kreftkoordinator", "Tildelingskontoret") else None
            need = area.display[:200]
            self.tables["follow_up"].append(
                (self.uuid(), assessment_id, need, area.code, action, responsible_org,
                 "" if responsible_org else service, status, when, updated)
            )  # fmt: skip
            lines.append(
                content.follow_up_line(
                    need=need,
                    action=action,
                    responsible=municipality.name if responsible_org else service,
                    status=status,
                )
            )
        return lines

    def _hand_over(self, story, point, day, when, person, owner, place, assessment, follow_ups):
        """handover.services.hand_over_point: to whoever handover.rules says, with the content
        handover.content lays out."""
        declined = self.rng.random() < 0.03
        if declined:
            self._event(story.enrolment_id, "sharing_declined", when, person, owner, point_id=point.id)
        else:
            story.running_follow_ups += [(day, line) for line in follow_ups if line["status"] in RUNNING]
        municipality = story.municipality_on(day)
        recipients = rules.point_recipients(
            care_level=point.definition.care_level,
            municipality_id=municipality.id,
            gp_office_id=story.gp_on(day),
            extra_ids=[],
            sharing_declined=declined,
            sender_ids={owner},
        )
        if not recipients:
            return
        next_point = next((p for p in story.points[point.sequence + 1 :] if p.fate is None or p.fate[1] > day), None)
        body = content.point_completed_body(
            point={"key": point.key, "title": self.ctx.titles[point.key], "completed_on": day, "place": place,
                   "by": person.name},
            next_point=self._point_line(story, next_point, day) if next_point else None,
            contacts=self._contacts(story, owner, person, municipality, when),
            assessment=assessment,
            follow_ups=follow_ups,
            sharing_declined=declined,
        )  # fmt: skip
        minute = int(when[11:13]) * 60 + int(when[14:16])
        body = _json(body)  # once for all its receivers
        for recipient in recipients:
            self._message(story, "point_completed", point.id, owner, person, recipient.organisation_id,
                          recipient.reason, declined, body, day, minute, event=False)  # fmt: skip
        self._event(
            story.enrolment_id, "handover_sent", when, person, owner, point_id=point.id,
            data={"to": [self.ctx.org_name[r.organisation_id] for r in recipients], "kind": "point_completed"},
        )  # fmt: skip

    def _choose_contact_person(self, story, day):
        """After the hospital's point, the municipality often names the fixed contact person."""
        rng = self.rng
        if story.offer != Offer.ACCEPTED or story.contact is not None or rng.random() >= 0.6:
            return
        chosen_on = day + DAY * rng.randint(1, 10)
        if chosen_on > self.end or (story.ended_on and chosen_on >= story.ended_on):
            return
        municipality = story.municipality_on(chosen_on)
        story.contact, story.contact_at = self.ctx.staff[municipality.id], ts(chosen_on, 11 * 60)
        self._event(
            story.enrolment_id, "contact_person", story.contact_at, story.contact, municipality.id,
            data={"contact_person": story.contact.name},
        )  # fmt: skip

    def _move(self, story):
        """A move while the pathway was open (pathway.services.on_patient_moved): the open
        municipal points went with the patient, the contact person became the previous one, and
        the new municipality got a transfer message."""
        if not story.moved_while_open:
            return
        home, new_home, moved_on = story.home, story.new_home, story.moved_on
        old_person = self.ctx.staff[home.id]
        when = ts(moved_on, 10 * 60)
        moved = sum(1 for p in story.points if not p.hospital and p.open_on(moved_on))
        data = {"from": home.name, "to": new_home.name, "to_id": new_home.id, "points_moved": moved}
        previous = None
        if story.contact_moved_away:
            data["previous_contact_person"] = story.contact.name
            previous = content.previous_contact_line(name=story.contact.name, organisation=home.name)
        self._event(story.enrolment_id, "moved", when, old_person, home.id, on_date=moved_on, data=data)
        body = content.transfer_body(
            old_municipality=home.name,
            new_municipality=new_home.name,
            open_points=[self._point_line(story, p, moved_on) for p in story.points if p.open_on(moved_on)],
            follow_ups=[line for day, line in story.running_follow_ups if day <= moved_on],
            previous_contact_person=previous,
            contacts=self._contacts(story, home.id, old_person, new_home, when),
        )
        self._message(story, "transfer", None, home.id, old_person, new_home.id, "municipality", False, _json(body),
                      moved_on, 10 * 60)  # fmt: skip

    def _end(self, story):
        """The end of the pathway: completed, or the patient died while it was open (the bereaved
        are offered follow-up by the municipality)."""
        if story.end_reason == Enrolment.EndReason.COMPLETED:
            last = max(story.points, key=lambda p: p.fate[1])
            closer = story.enrolling_id if last.hospital else story.municipality_on(story.ended_on).id
            self._event(story.enrolment_id, "completed", ts(story.ended_on, 15 * 60), self.ctx.staff[closer], closer)
        elif story.end_reason == Enrolment.EndReason.DECEASED:
            self._record_death(story)

    def _record_death(self, story):
        rng, ctx, ended_on, died = self.rng, self.ctx, story.ended_on, story.died
        municipality = story.municipality_on(died)
        in_hospital = rng.random() < 0.55
        recorder_org = story.enrolling_id if in_hospital else municipality.id
        recorder = ctx.staff[recorder_org]
        when = ts(ended_on, 9 * 60 + rng.randint(0, 300))
        # pathway.services.on_patient_died: whoever records the death cancels the open points.
        for point in story.points:
            if not point.fate:
                self._event(
                    story.enrolment_id, "point_cancelled", when, recorder, recorder_org, point_id=point.id,
                    note=DIED_REASON,
                )  # fmt: skip
        self._event(story.enrolment_id, "died", when, recorder, recorder_org, on_date=died)
        contacted = ended_on + DAY * rng.randint(3, 30)
        coordinator = ctx.staff[municipality.id]
        done = contacted <= self.end and rng.random() < 0.85
        self.tables["bereavement"].append(
            (
                self.uuid(),
                story.enrolment_id,
                municipality.id,
                when,
                _iso(contacted) if done else None,
                coordinator.user_id if done else None,
            )
        )
        self._event(
            story.enrolment_id, "bereavement", when, recorder, recorder_org, data={"municipality": municipality.name}
        )
        self._audit(when, recorder, recorder_org, story.patient_uuid, "update", "patient", "date_of_death")
        if in_hospital:  # handover.services.on_patient_died: only when another organisation recorded it
            body = content.bereavement_body(
                died_on=died, relatives=[], contacts=self._contacts(story, recorder_org, recorder, municipality, when)
            )
            self._message(story, "bereavement", None, recorder_org, recorder, municipality.id, "municipality", False,
                          _json(body), ended_on, 9 * 60)  # fmt: skip

    def _enrolment_row(self, story):
        ctx = self.ctx
        previous = story.contact if story.contact_moved_away else None
        contact = None if previous else story.contact
        ask_again = pathway_services.ask_again_on(story.offer, story.offered_on)
        self.tables["enrolment"].append(
            (
                story.enrolment_id,
                self.uuid(),
                story.patient_id,
                ctx.definition_id,
                _iso(story.diagnosis_date),
                story.dx.code,
                self._icd_name(story.dx.code),
                story.intent,
                story.enrolling_id,
                story.offer,
                _iso(ask_again) if ask_again else None,
                contact.user_id if contact else None,
                previous.user_id if previous else None,
                story.home.id if previous else None,
                story.registered_at,
                ts(story.ended_on, 15 * 60) if story.ended_on else None,
                story.end_reason,
            )
        )

    @staticmethod
    @functools.cache
    def _icd_name(code):
        from pathway import icd10

        return icd10.name(code)

    def _message(self, story, kind, point_id, sender, person, recipient, reason, declined, body, day, minute,
                 event=True):  # fmt: skip
        """handover.services._write and the Heimveg channel's delivery (handover.channels)."""
        rng, tables = self.rng, self.tables
        message_id = self._id("message")
        message_uuid = self.uuid()
        created = ts(day, minute)
        delivered = ts(day, minute + 1)
        receiver = self.ctx.staff[recipient]
        ack_day = day + DAY * rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 6, 9))
        acknowledged = ack_day <= self.end and rng.random() < 0.93
        ack_at = ts(ack_day, minute + 60 + rng.randint(0, 240)) if acknowledged else None
        tables["message"].append(
            (
                message_id, message_uuid, kind, story.enrolment_id, point_id, sender, person.user_id, person.name,
                recipient, reason, declined, body, created, delivered,
                _iso(self.acknowledge_by(day)), ack_at, receiver.user_id if acknowledged else None,
                receiver.name if acknowledged else "",
            )
        )  # fmt: skip
        for channel in self.ctx.channel_keys:
            receipt = "in the inbox" if channel == "heimveg" else "no e-mail address registered"
            tables["delivery"].append(
                (message_id, channel, f"{message_uuid}:{channel}", "delivered", 1, created, receipt, created, delivered)
            )
        if event:
            self._event(story.enrolment_id, "handover_sent", created, person, sender, data={
                "to": [self.ctx.org_name[recipient]], "kind": kind})  # fmt: skip
        # The acknowledgement is on the message (who and when) only, as columns. Unlike
        # handover.services.acknowledge, which the inbox, the FHIR API and the demo
        # (synthetic/demo_handover.py) go through, it writes neither the timeline line (to keep the
        # event table near the volume asked for, about six to eight per enrolment) nor the audit
        # entry ("update", "handover_message", "acknowledged"): about 93 % of a million messages
        # would add some 1.0 million entries to the 2.2 million of ten years, and every one would
        # lengthen the audit chain that verify_audit walks. Nothing the benchmark measures reads
        # them; a patient's trail in a generated data set shows no acknowledgements.


def month_days(year: int, month: int, end: datetime.date):
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = min(following - DAY, end)
    return first, last


def build_month(ctx, seed, year, month, end_date, scale, ids, used_ids) -> MonthBuilder:
    """Every patient diagnosed in the month, diagnosis days spread over its working days."""
    builder = MonthBuilder(ctx, seed, year, month, end_date, ids, used_ids)
    rng = builder.rng
    first, last = month_days(year, month, end_date)
    days = [first + DAY * i for i in range((last - first).days + 1)]
    weekdays = [d for d in days if d.weekday() < 5] or days
    count = dist.patients_in_month(rng, scale, year, month)
    if last < datetime.date(year + month // 12, month % 12 + 1, 1) - DAY:  # a month cut short by the end date
        count = round(count * len(days) / 30)
    diagnosis_days = sorted(rng.choice(weekdays) for _ in range(count))
    for day in diagnosis_days:
        builder.add_patient(day)
    return builder
