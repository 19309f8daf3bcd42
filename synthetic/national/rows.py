"""The rows of one month of diagnoses: every patient diagnosed that month, with everything that
happens to them up to the end date (points, assessments, hand-overs, moves, deaths, audit).

Rows are plain tuples in the column order of `COLUMNS` (field names of the models), with values
that both databases read alike: dates as ISO text, times as UTC "YYYY-MM-DD HH:MM:SS" text,
UUIDs as 32 hex digits, JSON as text. Building tuples instead of model instances is what makes
ten national years fit in minutes (see writer.py). Primary keys are given here, counted on from
the `next_ids` the writer read in the month's transaction, so rows can refer to each other.

The pathway rules are the app's: windows come from `pathway.services._windows` (through
`Context.windows`), receivers of a hand-over from `handover.rules.point_recipients`, the
acknowledgement deadline from `handover.rules.add_working_days`, and a moved patient's open
municipal points belong to the new municipality, as `pathway.services.on_patient_moved` does.
"""

from __future__ import annotations

import datetime
import functools
import json
import random

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from assessment import questionnaires
from handover import rules
from lib import nin
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
        "treatment_intent", "enrolling_organisation", "offer", "ask_again_on", "contact_person", "created_at",
        "ended_at", "end_reason",
    ),
    "point": (
        "id", "public_id", "enrolment", "key", "sequence", "title", "care_level", "responsible_organisation",
        "window_opens", "window_closes", "booked_for", "assigned_to", "outcome", "outcome_on", "outcome_by",
        "place", "reason",
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
WITH_IDS = ("patient", "enrolment", "point", "response", "assessment", "message")

DAY = datetime.timedelta(days=1)
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
ACK_DAYS = settings.HANDOVER_ACKNOWLEDGE_WORKING_DAYS
ASK_AGAIN = datetime.timedelta(days=settings.PATHWAY_ASK_AGAIN_DAYS)
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


@functools.lru_cache(maxsize=8192)
def acknowledge_by(day: datetime.date) -> datetime.date:
    return rules.add_working_days(day, ACK_DAYS)


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


class MonthBuilder:
    """Collects the rows of one month. `next_ids` maps each table in WITH_IDS to its first free id."""

    def __init__(self, ctx: Context, seed: int, year: int, month: int, end_date: datetime.date, next_ids, used_ids):
        self.ctx = ctx
        self.rng = random.Random(dist.month_seed(seed, year, month))
        self.year, self.month = year, month
        self.end = end_date
        self.ids = dict(next_ids)
        self.used_ids = used_ids
        self.tables = {name: [] for name in COLUMNS}
        self.adult, self.child = _questionnaires()
        self.uuid = _Uuids(self.rng, year, month)

    def _id(self, table):
        value = self.ids[table]
        self.ids[table] = value + 1
        return value

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
            (
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
        )

    def _audit(self, when, person, org_id, patient_uuid, action, object_type, detail):
        self.tables["audit"].append(
            (when, person.user_id, person.username, org_id, person.role, patient_uuid, action, object_type, detail)
        )

    # One patient -------------------------------------------------------------------------------

    def add_patient(self, diagnosis_date: datetime.date):
        rng, ctx, end = self.rng, self.ctx, self.end
        staff = ctx.staff
        age = dist.age_at_diagnosis(rng)
        dx = dist.diagnosis(rng, age)
        male = dist.is_male(rng, dx)
        recent = (end - diagnosis_date).days < 28
        intent = dist.treatment_intent(rng, dx, age, recent)
        birth, age = dist.birth_date(rng, diagnosis_date, age), age
        national_id, birth = self._national_id(birth)
        home = self._municipality()
        gp = self._gp(home.id)
        enrolling_id = rng.choice(ctx.enrolling.get(home.health_trust_id) or [home.health_trust_id])
        hospital_person = staff[enrolling_id]
        patient_uuid = self.uuid()
        enrolment_id = self._id("enrolment")
        patient_id = self._id("patient")

        # When things happen (days), relative to the end of the period.
        registered = min(end, diagnosis_date + DAY * rng.choice((0, 0, 1, 1, 2, 3, 5, 7)))
        reg_minute = rng.randint(7 * 60, 15 * 60)
        registered_at = ts(registered, reg_minute)
        died = diagnosis_date + DAY * dist.days_to_death(rng, dx, intent, age)
        if died > end:
            died = None
        moved_on = None
        if rng.random() < 0.1:
            moved_on = diagnosis_date + DAY * rng.randint(20, 620)
            if moved_on > end or (died and moved_on >= died):
                moved_on = None
        new_home = new_gp = None
        if moved_on:
            if rng.random() < 0.6 and len(ctx.by_county.get(home.county_id, ())) > 1:
                candidates = [m for m in ctx.by_county[home.county_id] if m.id != home.id]
                new_home = rng.choice(candidates)
            else:
                new_home = self._municipality()
                if new_home.id == home.id:
                    new_home, moved_on = None, None
            if new_home:
                new_gp = self._gp(new_home.id)

        def municipality_on(day):
            return new_home if moved_on and day >= moved_on else home

        def gp_on(day):
            return new_gp if moved_on and day >= moved_on else gp

        # The offer of the pathway.
        if recent and rng.random() < 0.7:
            offer, offered_on = "not_asked", None
        else:
            offer = "accepted" if rng.random() < 0.885 else "declined"
            offered_on = min(end, registered + DAY * rng.choice((0, 0, 0, 1, 2, 4, 7, 10)))
        ask_again_on = offered_on + ASK_AGAIN if offer == "declined" else None

        # Each point's fate: (outcome, day) or None for still open at the end of the period.
        windows = ctx.windows(diagnosis_date, enrolling_id)
        points = []
        reluctant = rng.random() < 0.12  # patients who do not want the municipal conversations
        for sequence, point_def in enumerate(ctx.point_defs):
            opens, closes = windows[point_def.key]
            fate = None
            if offer == "declined":
                fate = ("not_wanted", max(offered_on, opens + DAY * rng.randint(0, 14)))
            elif offer == "accepted":
                roll = rng.random()
                hospital = point_def.care_level == "hospital"
                if reluctant and not hospital:
                    roll = 0.99 if roll < 0.7 else roll
                completed, not_wanted = (0.9, 0.97) if hospital else (0.76, 0.95)
                if roll < completed:
                    span = (closes - opens).days
                    kind = rng.random()
                    if kind < 0.78:
                        day = opens + DAY * rng.randint(0, span)  # inside the window
                    elif kind < 0.96:
                        day = closes + DAY * rng.randint(1, 75)  # late
                    else:
                        day = max(diagnosis_date, opens - DAY * rng.randint(1, 25))  # early
                    fate = ("completed", max(day, offered_on))
                elif roll < not_wanted:
                    fate = ("not_wanted", max(offered_on, opens + DAY * rng.randint(0, 20)))
                # else: never done; it stays open (and is overdue once its window has closed)
            if fate and (fate[1] > end or (died and fate[1] >= died)):
                fate = None
            points.append([sequence, point_def, opens, closes, fate])

        # The end of the enrolment.
        closed_days = [p[4][1] for p in points if p[4]]
        ended_on, end_reason = None, ""
        if len(closed_days) == len(points):
            ended_on, end_reason = max(closed_days), "completed"
        elif died:
            ended_on, end_reason = min(end, died + DAY * rng.randint(0, 3)), "deceased"
        if moved_on and ended_on and moved_on > ended_on:
            moved_while_open = False
        else:
            moved_while_open = bool(moved_on)

        # Rows: the patient.
        final_home = new_home if moved_on else home
        final_gp = new_gp if moved_on else gp
        given = rng.choice(dist.GIVEN_MALE if male else dist.GIVEN_FEMALE)
        family = rng.choice(dist.FAMILY)
        language = "nn" if rng.random() < 0.1 else "en" if rng.random() < 0.03 else "nb"
        phone = f"{rng.choice('49')}{rng.randint(0, 9)}{rng.randint(0, 999999):06d}" if rng.random() < 0.9 else ""
        created = registered_at
        self.tables["patient"].append(
            (
                patient_id,
                patient_uuid,
                national_id,
                nin.FODSELSNUMMER,
                given,
                family,
                _iso(birth),
                final_home.id,
                final_gp,
                language,
                phone,
                f"{patient_uuid[:16]}@{PATIENT_EMAIL_DOMAIN}",
                _iso(died) if died else None,
                enrolling_id,
                created,
                ts(max(d for d in (registered, moved_on, died and min(end, died)) if d), reg_minute),
            )
        )
        self._audit(created, hospital_person, enrolling_id, patient_uuid, "create", "patient", "registered")

        # Events of the enrolment, in the order they happened.
        ev = self._event
        ev(
            enrolment_id,
            "enrolled",
            created,
            hospital_person,
            enrolling_id,
            on_date=diagnosis_date,
            data={"icd10": dx.code, "relapse": False, "via": ctx.org_kind[enrolling_id]},
        )
        self._audit(created, hospital_person, enrolling_id, patient_uuid, "create", "enrolment", "enrolment")
        point_ids = []
        for _sequence, _point_def, opens, closes, _fate in points:
            point_id = self._id("point")
            point_ids.append(point_id)
            ev(
                enrolment_id,
                "point_scheduled",
                created,
                hospital_person,
                enrolling_id,
                on_date=opens,
                point_id=point_id,
                data={"opens": _iso(opens), "closes": _iso(closes)},
            )
        if offered_on:
            when = ts(offered_on, reg_minute + 30)
            ev(enrolment_id, f"offer_{offer}", when, hospital_person, enrolling_id, on_date=offered_on)
            self._audit(when, hospital_person, enrolling_id, patient_uuid, "update", "enrolment", f"offer {offer}")

        # Points, assessments and hand-overs.
        contact_person = None
        point_rows = self.tables["point"]
        for (sequence, point_def, opens, closes, fate), point_id in zip(points, point_ids, strict=True):
            key, care_level = point_def.key, point_def.care_level
            hospital = care_level == "hospital"
            outcome = outcome_on = outcome_by = booked_for = assigned_to = None
            place = reason = ""
            if fate:
                outcome, outcome_on = fate
            elif ended_on and end_reason == "deceased":
                outcome, outcome_on, reason = "cancelled", ended_on, DIED_REASON
            day_for_owner = outcome_on or end
            owner = enrolling_id if hospital else municipality_on(day_for_owner).id
            person = staff[owner]
            if outcome and outcome != "cancelled":
                outcome_by = person.user_id
            if outcome == "completed":
                place = rng.choice(PLACES)
                if rng.random() < 0.5:
                    booked_for = ts(outcome_on, rng.choice((8, 9, 10, 12, 13, 14)) * 60)
                if not hospital:
                    assigned_to = person.user_id
            elif not outcome and offer == "accepted" and opens <= end + DAY * 14 and rng.random() < 0.35:
                booked_for = ts(max(opens, end + DAY * rng.randint(1, 14)), 9 * 60)  # booked, not yet held
            point_rows.append(
                (
                    point_id,
                    self.uuid(),
                    enrolment_id,
                    key,
                    sequence,
                    ctx.titles_json[key],
                    care_level,
                    owner,
                    _iso(opens),
                    _iso(closes),
                    booked_for,
                    assigned_to,
                    outcome or "",
                    _iso(outcome_on) if outcome_on else None,
                    outcome_by,
                    place,
                    reason,
                )
            )
            if not outcome:
                continue
            when = ts(outcome_on, rng.randint(8 * 60, 15 * 60))
            if outcome == "cancelled":
                ev(enrolment_id, "point_cancelled", when, person, owner, point_id=point_id, note=reason)
                continue
            kind = "point_completed" if outcome == "completed" else "point_not_wanted"
            ev(
                enrolment_id,
                kind,
                when,
                person,
                owner,
                on_date=outcome_on,
                point_id=point_id,
                data={"place": place} if place else None,
            )
            self._audit(when, person, owner, patient_uuid, "update", "enrolment", f"{key} {outcome}")
            if outcome != "completed":
                continue
            next_point = None
            for later in points[sequence + 1 :]:
                later_fate = later[4]
                if not later_fate or later_fate[1] > outcome_on:
                    next_owner = enrolling_id if later[1].care_level == "hospital" else municipality_on(outcome_on).id
                    next_point = {
                        "key": later[1].key,
                        "title": ctx.titles[later[1].key],
                        "opens": _iso(later[2]),
                        "closes": _iso(later[3]),
                        "responsible": ctx.org_name[next_owner],
                    }
                    break
            self._assessment(
                point_id, outcome_on, when, person, owner, patient_uuid, age, intent, enrolment_id, key, place,
                next_point, municipality_on(outcome_on), gp_on(outcome_on), care_level, contact_person,
            )  # fmt: skip
            if hospital and offer == "accepted" and contact_person is None and rng.random() < 0.6:
                chosen_on = outcome_on + DAY * rng.randint(1, 10)
                if chosen_on <= end and (not ended_on or chosen_on < ended_on):
                    contact_person = staff[municipality_on(chosen_on).id]
                    ev(
                        enrolment_id,
                        "contact_person",
                        ts(chosen_on, 11 * 60),
                        contact_person,
                        municipality_on(chosen_on).id,
                        data={"contact_person": contact_person.name},
                    )

        # A move while the pathway was open: the open municipal points went with the patient.
        if moved_while_open:
            old_person = staff[home.id]
            when = ts(moved_on, 10 * 60)
            moved = sum(1 for p in points if p[1].care_level == "municipality" and (not p[4] or p[4][1] >= moved_on))
            ev(
                enrolment_id,
                "moved",
                when,
                old_person,
                home.id,
                on_date=moved_on,
                data={"from": home.name, "to": new_home.name, "to_id": new_home.id, "points_moved": moved},
            )
            if contact_person is not None and contact_person.user_id == old_person.user_id:
                contact_person = None
            open_lines = [
                {
                    "key": p[1].key,
                    "title": ctx.titles[p[1].key],
                    "opens": _iso(p[2]),
                    "closes": _iso(p[3]),
                    "responsible": new_home.name if p[1].care_level == "municipality" else ctx.org_name[enrolling_id],
                }
                for p in points
                if not p[4] or p[4][1] >= moved_on
            ]
            content = {
                "from": home.name,
                "to": new_home.name,
                "open_points": open_lines,
                "follow_ups": [],
                "contacts": self._contacts(home.id, old_person, new_home, contact_person),
            }
            self._message("transfer", enrolment_id, None, home.id, old_person, new_home.id, "municipality", False,
                          json.dumps(content, ensure_ascii=False), moved_on, 10 * 60, patient_uuid)  # fmt: skip

        # Death while the pathway was open: the bereaved are offered follow-up by the municipality.
        if end_reason == "deceased":
            municipality = municipality_on(died)
            in_hospital = rng.random() < 0.55
            recorder_org = enrolling_id if in_hospital else municipality.id
            recorder = staff[recorder_org]
            when = ts(ended_on, 9 * 60 + rng.randint(0, 300))
            ev(enrolment_id, "died", when, recorder, recorder_org, on_date=died)
            contacted = ended_on + DAY * rng.randint(3, 30)
            coordinator = staff[municipality.id]
            done = contacted <= end and rng.random() < 0.85
            self.tables["bereavement"].append(
                (
                    self.uuid(),
                    enrolment_id,
                    municipality.id,
                    when,
                    _iso(contacted) if done else None,
                    coordinator.user_id if done else None,
                )
            )
            ev(enrolment_id, "bereavement", when, recorder, recorder_org, data={"municipality": municipality.name})
            self._audit(when, recorder, recorder_org, patient_uuid, "update", "patient", "date_of_death")
            if in_hospital:
                content = {
                    "died_on": _iso(died),
                    "relatives": [],
                    "contacts": self._contacts(recorder_org, recorder, municipality, contact_person),
                }
                self._message("bereavement", enrolment_id, None, recorder_org, recorder, municipality.id,
                              "municipality", False, json.dumps(content, ensure_ascii=False), ended_on, 9 * 60,
                              patient_uuid)  # fmt: skip
        elif end_reason == "completed":
            last = max(points, key=lambda p: p[4][1])
            closer = enrolling_id if last[1].care_level == "hospital" else municipality_on(ended_on).id
            ev(enrolment_id, "completed", ts(ended_on, 15 * 60), staff[closer], closer)

        self.tables["enrolment"].append(
            (
                enrolment_id,
                self.uuid(),
                patient_id,
                ctx.definition_id,
                _iso(diagnosis_date),
                dx.code,
                self._icd_name(dx.code),
                intent,
                enrolling_id,
                offer,
                _iso(ask_again_on) if ask_again_on else None,
                contact_person.user_id if contact_person else None,
                created,
                ts(ended_on, 15 * 60) if ended_on else None,
                end_reason,
            )
        )

    @staticmethod
    @functools.cache
    def _icd_name(code):
        from pathway import icd10

        return icd10.name(code)

    def _contacts(self, sender_id, sender_person, municipality, contact_person):
        return {
            "sender": {
                "organisation": self.ctx.org_name[sender_id],
                "person": sender_person.name,
                "contact_points": [],
            },
            "municipality": {
                "organisation": municipality.name,
                "person": contact_person.name if contact_person else "",
                "contact_points": [],
            },
        }

    def _assessment(self, point_id, day, when, person, owner, patient_uuid, age, intent, enrolment_id, key, place,
                    next_point, municipality, gp, care_level, contact_person):  # fmt: skip
        rng = self.rng
        questionnaire = self.child if age < 18 else self.adult
        areas = rng.sample(questionnaire.areas, k=rng.choice((0, 1, 1, 2, 2, 3, 3, 4, 5)))
        areas.sort(key=lambda a: questionnaire.order[a[0]])
        score = dist.distress(rng, intent)
        answers = {"what-matters": rng.choice(WHAT_MATTERS), "distress-score": score}
        help_codes = []
        for link_id, code, _display in areas:
            answers[link_id] = True
            wants = rng.random() < 0.55
            answers[f"{link_id}-help"] = wants
            if wants:
                help_codes.append(code)
        answers_json = json.dumps(answers, ensure_ascii=False)
        area_codes = json.dumps([a[1] for a in areas])
        help_json = json.dumps(help_codes)
        tables = self.tables
        if rng.random() < 0.3:  # the patient answered from home first
            sent = ts(day - DAY * rng.randint(1, 7), rng.randint(8 * 60, 22 * 60))
            tables["response"].append(
                (
                    self._id("response"), self.uuid(), point_id, questionnaire.id, questionnaire.version, "patient",
                    answers_json, questionnaire.pages, "completed", score, area_codes, help_json, None, sent, sent,
                    sent,
                )
            )  # fmt: skip
        response_id = self._id("response")
        tables["response"].append(
            (
                response_id, self.uuid(), point_id, questionnaire.id, questionnaire.version, "professional",
                answers_json, questionnaire.pages, "completed", score, area_codes, help_json, person.user_id, when,
                when, when,
            )
        )  # fmt: skip
        assessment_id = self._id("assessment")
        summary = rng.choice(SUMMARIES)
        tables["assessment"].append(
            (assessment_id, self.uuid(), point_id, response_id, summary, owner, when, when, person.user_id)
        )
        follow_lines = []
        old = (self.end - day).days > 240
        for _link_id, code, display in areas[: rng.randint(0, 3)]:
            action, service = rng.choice(ACTIONS)
            status = rng.choice(("done", "done", "done", "cancelled")) if old else rng.choice(("planned", "started"))
            updated = ts(min(self.end, day + DAY * rng.randint(0, 60)), 12 * 60) if old else when
            responsible_org = municipality.id if service in ("Kreftkoordinator", "Tildelingskontoret") else None
            need = display[:200]
            tables["follow_up"].append(
                (self.uuid(), assessment_id, need, code, action, responsible_org, "" if responsible_org else service,
                 status, when, updated)
            )  # fmt: skip
            follow_lines.append(
                {
                    "need": need,
                    "action": action,
                    "responsible": municipality.name if responsible_org else service,
                    "status": status,
                }
            )
        # The hand-over of the completed point, to whoever the rule says.
        declined = rng.random() < 0.03
        if declined:
            self._event(enrolment_id, "sharing_declined", when, person, owner, point_id=point_id)
        recipients = rules.point_recipients(
            care_level=care_level,
            municipality_id=municipality.id,
            gp_office_id=gp,
            extra_ids=[],
            sharing_declined=declined,
            sender_ids={owner},
        )
        if not recipients:
            return
        content = {
            "point": {"key": key, "title": self.ctx.titles[key], "completed_on": _iso(day), "place": place,
                      "by": person.name},
            "next_point": next_point,
            "contacts": self._contacts(owner, person, municipality, contact_person),
            "assessment": None,
            "follow_ups": [],
        }  # fmt: skip
        if not declined:
            content["assessment"] = {
                "summary": summary,
                "questionnaire": questionnaire.id,
                "distress_score": score,
                "areas": [a[1] for a in areas],
                "help_areas": help_codes,
            }
            content["follow_ups"] = follow_lines
        body = json.dumps(content, ensure_ascii=False)
        minute = int(when[11:13]) * 60 + int(when[14:16])
        for recipient in recipients:
            self._message("point_completed", enrolment_id, point_id, owner, person, recipient.organisation_id,
                          recipient.reason, declined, body, day, minute, patient_uuid, event=False)  # fmt: skip
        self._event(
            enrolment_id,
            "handover_sent",
            when,
            person,
            owner,
            point_id=point_id,
            data={"to": [self.ctx.org_name[r.organisation_id] for r in recipients], "kind": "point_completed"},
        )

    def _message(self, kind, enrolment_id, point_id, sender, person, recipient, reason, declined, body, day, minute,
                 patient_uuid, event=True):  # fmt: skip
        rng, tables = self.rng, self.tables
        message_id = self._id("message")
        message_uuid = self.uuid()
        created = ts(day, minute)
        delivered = ts(day, minute + 1)
        due = acknowledge_by(day)
        receiver = self.ctx.staff[recipient]
        ack_day = day + DAY * rng.choice((0, 0, 1, 1, 1, 2, 2, 3, 4, 6, 9))
        acknowledged = ack_day <= self.end and rng.random() < 0.93
        ack_at = ts(ack_day, minute + 60 + rng.randint(0, 240)) if acknowledged else None
        tables["message"].append(
            (
                message_id, message_uuid, kind, enrolment_id, point_id, sender, person.user_id, person.name, recipient,
                reason, declined, body, created, delivered, _iso(due), ack_at,
                receiver.user_id if acknowledged else None, receiver.name if acknowledged else "",
            )
        )  # fmt: skip
        for channel in self.ctx.channel_keys:
            receipt = "in the inbox" if channel == "heimveg" else "no e-mail address registered"
            tables["delivery"].append(
                (message_id, channel, f"{message_uuid}:{channel}", "delivered", 1, created, receipt, created, delivered)
            )
        if event:
            self._event(enrolment_id, "handover_sent", created, person, sender, data={
                "to": [self.ctx.org_name[recipient]], "kind": kind})  # fmt: skip
        # The acknowledgement is on the message (who and when); its timeline line is left out to
        # keep the event table near the volume asked for (about six to eight per enrolment).


def month_days(year: int, month: int, end: datetime.date):
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    last = min(following - DAY, end)
    return first, last


def build_month(ctx, seed, year, month, end_date, scale, next_ids, used_ids) -> MonthBuilder:
    """Every patient diagnosed in the month, diagnosis days spread over its working days."""
    builder = MonthBuilder(ctx, seed, year, month, end_date, next_ids, used_ids)
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
