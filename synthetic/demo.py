"""Synthetic demo data: Helse Bergen with Askøy and Voss, Helse Møre og Romsdal with Ålesund and
Molde; contact points, GP offices, Askøy's home services and a nursing home, users in every role,
and patients with relatives. Most pathways are the national one; Haukeland has also enabled the
two example pathways (the palliative chain and the local variant), with a few patients on each.

Everything is made up. National identity numbers are Test-Norge synthetic numbers (month + 80),
names are common first and family names combined at random, phone numbers start with 4 or 9 and
are drawn at random. Running it again creates nothing twice; passwords are reset to the printed one.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from accounts.actor import Actor
from accounts.models import CLINICAL_ROLES, Membership, Role, User
from directory.models import ContactPoint, Organisation
from lib import nin
from pathway import enabling, icd10
from pathway import services as pathway_services
from pathway.models import CollaborationPoint, Enrolment, Offer
from patients import services as patient_services
from patients.forms import PatientForm
from patients.models import Language, Patient, Relative
from reports import figures as report_figures
from reports.public import compute as public_figures
from synthetic import demo_assessments, demo_handover, demo_public_info, demo_reports

DEMO_PASSWORD = "Heimveg-demo-2026"
SEED = 2026
PATIENT_COUNT = 120
Kind = Organisation.Kind

MUNICIPALITIES = {"4627": "Askøy", "4621": "Voss", "1508": "Ålesund", "1506": "Molde"}
# Which hospital usually diagnoses patients from each municipality.
HOSPITAL_FOR = {
    "4627": "Haukeland universitetssjukehus",
    "4621": "Voss sjukehus",
    "1508": "Ålesund sjukehus",
    "1506": "Molde sjukehus",
}
GP_OFFICES = [
    ("Fjordly legesenter", "4627"),
    ("Strusshamn legekontor", "4627"),
    ("Vangen legekontor", "4621"),
    ("Sjøsida legesenter", "1508"),
    ("Aspøy legekontor", "1508"),
    ("Romsdalsporten legesenter", "1506"),
]
# A municipality's home services and nursing home (made up), located in it: they hold the points
# of those care levels on the pathways that have them (pathway.services.municipal_service).
MUNICIPAL_SERVICES = [
    ("Askøy heimeteneste", Kind.HOME_SERVICES, "4627"),
    ("Fjordly sjukeheim", Kind.NURSING_HOME, "4627"),
]
CONTACT_POINTS = {
    "Helse Bergen HF": [
        (
            "Forløpskoordinatorane for kreft",
            "Kvardagar 08:00–15:30",
            "Kontaktpunkt for kommunane i opptaksområdet om pakkeforløp heim.",
        )
    ],
    "Haukeland universitetssjukehus": [
        (
            "Kreftkoordinator, Kreftavdelinga",
            "Kvardagar 08:00–15:00",
            "Ring oss om du har spørsmål om samtalen på sjukehuset.",
        )
    ],
    "Voss sjukehus": [("Kreftsjukepleiar", "Måndag–fredag 08:00–15:30", "")],
    "Askøy": [
        (
            "Kreftkoordinator",
            "Kvardagar 08:00–15:30",
            "Du treng ikkje tilvising. Ring eller send e-post, så avtalar vi ein samtale.",
        ),
        ("Tildelingskontoret", "Kvardagar 09:00–14:00", ""),
    ],
    "Voss": [
        (
            "Koordinerande eining",
            "Kvardagar 08:00–15:00",
            "Kontakt oss om du eller dine pårørande treng hjelp i kvardagen.",
        )
    ],
    "Helse Møre og Romsdal HF": [("Kontaktpunkt pakkeforløp heim", "Kvardagar 08:00–15:30", "")],
    "Ålesund sjukehus": [("Kreftkoordinator", "Kvardagar 08:00–15:00", "")],
    "Molde sjukehus": [("Kreftkoordinator", "Kvardagar 08:00–15:00", "")],
    "Ålesund": [
        ("Kreftkoordinator", "Kvardagar 08:00–15:30", "Lågterskeltilbod: ta kontakt sjølv, du treng ikkje tilvising.")
    ],
    "Molde": [("Kreftkoordinator", "Kvardagar 08:00–15:30", "")],
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    memberships: tuple  # (organisation name, role)


USERS = [
    DemoUser(
        "sykepleier.haukeland", "Ingrid", "Solheim", (("Haukeland universitetssjukehus", Role.HOSPITAL_CLINICIAN),)
    ),
    DemoUser(
        "forlop.haukeland",
        "Marius",
        "Brekke",
        (("Haukeland universitetssjukehus", Role.PATHWAY_COORDINATOR), ("Voss sjukehus", Role.PATHWAY_COORDINATOR)),
    ),
    DemoUser("lege.alesund", "Kari", "Vik", (("Ålesund sjukehus", Role.HOSPITAL_CLINICIAN),)),
    DemoUser("sykepleier.molde", "Jorunn", "Ness", (("Molde sjukehus", Role.HOSPITAL_CLINICIAN),)),
    DemoUser("koordinator.askoy", "Siri", "Haugland", (("Askøy", Role.MUNICIPAL_COORDINATOR),)),
    DemoUser("koordinator.voss", "Lars", "Lid", (("Voss", Role.MUNICIPAL_COORDINATOR), ("Voss", Role.ORG_ADMIN))),
    DemoUser("koordinator.alesund", "Hilde", "Aarseth", (("Ålesund", Role.MUNICIPAL_COORDINATOR),)),
    DemoUser("koordinator.molde", "Ola", "Rekdal", (("Molde", Role.MUNICIPAL_COORDINATOR),)),
    DemoUser("hjemmetjeneste.askoy", "Randi", "Kleppe", (("Askøy heimeteneste", Role.MUNICIPAL_COORDINATOR),)),
    DemoUser("sykehjem.askoy", "Astrid", "Tveit", (("Fjordly sjukeheim", Role.MUNICIPAL_COORDINATOR),)),
    DemoUser("fastlege.askoy", "Nina", "Toft", (("Fjordly legesenter", Role.GP),)),
    DemoUser("fastlege.molde", "Per", "Eide", (("Romsdalsporten legesenter", Role.GP),)),
    DemoUser("admin.askoy", "Tone", "Myklebust", (("Askøy", Role.ORG_ADMIN),)),
    DemoUser("admin.haukeland", "Geir", "Nygård", (("Haukeland universitetssjukehus", Role.ORG_ADMIN),)),
    DemoUser("analytiker.bergen", "Eva", "Fosse", (("Helse Bergen HF", Role.ANALYST),)),
]

GIVEN_NAMES = [
    "Anne",
    "Inger",
    "Kari",
    "Marit",
    "Ingrid",
    "Liv",
    "Eva",
    "Berit",
    "Astrid",
    "Bjørg",
    "Hilde",
    "Anna",
    "Solveig",
    "Marianne",
    "Randi",
    "Ida",
    "Nina",
    "Maria",
    "Elisabeth",
    "Kristin",
    "Jan",
    "Per",
    "Bjørn",
    "Ole",
    "Lars",
    "Kjell",
    "Knut",
    "Arne",
    "Svein",
    "Thomas",
    "Hans",
    "Geir",
    "Tor",
    "Morten",
    "Terje",
    "Odd",
    "Erik",
    "Martin",
    "Andreas",
    "John",
    "Nora",
    "Emma",
    "Jakob",
    "Emil",
    "Noah",
    "Sofie",
]
FAMILY_NAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Aase",
    "Vik",
    "Bakke",
    "Moen",
    "Gundersen",
    "Lie",
    "Strand",
    "Solberg",
    "Rasmussen",
    "Kleppe",
    "Tveit",
    "Aarseth",
]


def _phone(rng):
    return f"{rng.choice('49')}{rng.randint(0, 9)} {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _synthetic_id(rng, birth_date, used):
    for _attempt in range(200):
        number = nin.synthetic_number(birth_date, rng.choice(nin.individual_range_for(birth_date.year)))
        if number and number not in used:
            used.add(number)
            return number
    raise RuntimeError("no free synthetic number")


def _birth_date(rng, today):
    # Cancer is mostly a disease of older age; a few children and young adults too.
    roll = rng.random()
    age = rng.randint(2, 17) if roll < 0.05 else rng.randint(18, 49) if roll < 0.2 else rng.randint(50, 92)
    return today - datetime.timedelta(days=age * 365 + rng.randint(0, 364))


def _organisations():
    by_name = {}
    for number, name in MUNICIPALITIES.items():
        by_name[name] = Organisation.objects.get(municipality_number=number)
    for name in set(HOSPITAL_FOR.values()) | {"Kristiansund sjukehus"}:
        by_name[name] = Organisation.objects.get(kind=Kind.HOSPITAL, name=name)
    for name in ("Helse Bergen HF", "Helse Møre og Romsdal HF"):
        by_name[name] = Organisation.objects.get(kind=Kind.HEALTH_TRUST, name=name)
    for name, municipality_number in GP_OFFICES:
        by_name[name], _ = Organisation.objects.get_or_create(
            kind=Kind.GP_OFFICE,
            name=name,
            defaults={"municipality": by_name[MUNICIPALITIES[municipality_number]], "is_demo": True},
        )
    for name, kind, municipality_number in MUNICIPAL_SERVICES:
        by_name[name], _ = Organisation.objects.get_or_create(
            kind=kind,
            name=name,
            defaults={"municipality": by_name[MUNICIPALITIES[municipality_number]], "is_demo": True},
        )
    return by_name


def _contact_points(orgs, rng, contact_points=CONTACT_POINTS):
    for org_name, points in contact_points.items():
        org = orgs[org_name]
        slug = org_name.lower().split()[0].replace("å", "a").replace("ø", "o").replace("æ", "ae")
        for name, hours, note in points:
            ContactPoint.objects.get_or_create(
                organisation=org,
                name=name,
                defaults={
                    "phone": _phone(rng),
                    "email": f"kreft.{slug}@example.no",
                    "opening_hours": hours,
                    "note_for_patients": note,
                    "postal_address": f"Postboks {rng.randint(1, 999)}\n{org_name}",
                },
            )


def _users(orgs):
    for spec in USERS:
        user, _ = User.objects.get_or_create(
            username=spec.username, defaults={"first_name": spec.first_name, "last_name": spec.last_name}
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
        for org_name, role in spec.memberships:
            Membership.objects.get_or_create(user=user, organisation=orgs[org_name], role=role)
    admin, _ = User.objects.get_or_create(username="admin", defaults={"is_staff": True, "is_superuser": True})
    admin.set_password(DEMO_PASSWORD)
    admin.save()


def _patients(orgs, rng, today):
    municipality_numbers = list(MUNICIPALITIES)
    weights = [orgs[MUNICIPALITIES[n]].population for n in municipality_numbers]
    gp_by_municipality = {}
    for name, number in GP_OFFICES:
        gp_by_municipality.setdefault(number, []).append(orgs[name])
    used = set(Patient.objects.values_list("national_id", flat=True))
    created = 0
    for index in range(PATIENT_COUNT):
        birth = _birth_date(rng, today)
        number = _synthetic_id(rng, birth, used)
        municipality_number = rng.choices(municipality_numbers, weights)[0]
        nynorsk_area = municipality_number in {"4621", "1508", "1506"}
        language = rng.choices(
            [Language.BOKMAL, Language.NYNORSK, Language.ENGLISH],
            [0.3, 0.65, 0.05] if nynorsk_area else [0.9, 0.05, 0.05],
        )[0]
        registered_by = (
            orgs[HOSPITAL_FOR[municipality_number]] if index % 8 else orgs[MUNICIPALITIES[municipality_number]]
        )
        died = today - datetime.timedelta(days=rng.randint(10, 400)) if rng.random() < 0.07 else None
        patient = Patient.objects.create(
            national_id=number,
            national_id_kind=nin.FODSELSNUMMER,
            date_of_birth=birth,
            given_name=rng.choice(GIVEN_NAMES),
            family_name=rng.choice(FAMILY_NAMES),
            municipality=orgs[MUNICIPALITIES[municipality_number]],
            gp_office=rng.choice(gp_by_municipality[municipality_number]) if rng.random() < 0.92 else None,
            preferred_language=language,
            date_of_death=died,
            registered_by=registered_by,
            mobile_phone=_phone(rng),
            email=f"pasient{index:03d}@example.test",  # a reserved domain: nothing is ever delivered
        )
        _relatives(patient, rng)
        created += 1
    return created


def _relatives(patient, rng):
    age = patient.age()
    relatives = []
    if age < 18:
        relatives.append((Relative.Relation.PARENT, False, True))
        relatives.append((Relative.Relation.PARENT, False, False))
        if rng.random() < 0.5:
            relatives.append((Relative.Relation.SIBLING, True, False))
    else:
        if rng.random() < 0.7:
            relatives.append((Relative.Relation.SPOUSE, False, True))
        if 25 <= age <= 60 and rng.random() < 0.5:
            relatives.extend((Relative.Relation.CHILD, True, False) for _ in range(rng.randint(1, 3)))
        elif age > 50 and rng.random() < 0.6:
            relatives.append((Relative.Relation.CHILD, False, not relatives))
    for relation, is_child, next_of_kin in relatives:
        Relative.objects.create(
            patient=patient,
            name=f"{rng.choice(GIVEN_NAMES)} {patient.family_name}",
            relation=relation,
            phone="" if is_child else _phone(rng),
            is_child=is_child,
            is_next_of_kin=next_of_kin,
        )


# The demo organisations started the pathway well before the oldest demo diagnosis.
PATHWAY_START = datetime.date(2023, 6, 1)


def _actor(username, org_name, orgs):
    user = User.objects.get(username=username)
    memberships = Membership.objects.filter(user=user, organisation=orgs[org_name], role__in=CLINICAL_ROLES)
    return Actor(user=user, membership=memberships.get())


def _pathway(orgs, rng, today):
    """Enrol most living patients at dates spread over 20 months, then play the pathway forward
    so every state is there: not yet offered, declined, points due, overdue, completed and not
    wanted, moved, deceased with a bereavement follow-up."""
    if Enrolment.objects.exists():
        return 0
    Organisation.objects.filter(pk__in=[o.pk for o in orgs.values()]).update(pathway_start_date=PATHWAY_START)
    hospital_actor = {
        number: _actor(user, HOSPITAL_FOR[number], orgs)
        for number, user in (
            ("4627", "sykepleier.haukeland"),
            ("4621", "forlop.haukeland"),
            ("1508", "lege.alesund"),
            ("1506", "sykepleier.molde"),
        )
    }
    municipal_actor = {
        number: _actor(f"koordinator.{slug}", MUNICIPALITIES[number], orgs)
        for number, slug in (("4627", "askoy"), ("4621", "voss"), ("1508", "alesund"), ("1506", "molde"))
    }
    codes = [code for code, _name in icd10.pathway_codes() if "." in code]
    enrolled, declined_sharing = 0, []
    for patient in Patient.objects.filter(date_of_death__isnull=True).select_related("municipality").order_by("id"):
        if rng.random() < 0.15:
            continue  # not every registered patient has (yet) been diagnosed here
        number = patient.municipality.municipality_number
        hospital, municipality = hospital_actor[number], municipal_actor[number]
        days_ago = rng.choice([rng.randint(1, 20), rng.randint(21, 600), rng.randint(90, 130)])
        diagnosis = today - datetime.timedelta(days=days_ago)
        offer = (
            Offer.NOT_ASKED
            if days_ago < 7
            else rng.choices([Offer.ACCEPTED, Offer.DECLINED, Offer.NOT_ASKED], [0.8, 0.1, 0.1])[0]
        )
        enrolment = pathway_services.enrol(
            hospital,
            patient,
            diagnosis_date=diagnosis,
            icd10_code=rng.choice(codes),
            offer=offer,
            today=today,
            treatment_intent=rng.choice(["curative", "curative", "palliative", "not_known"]),
        )
        enrolled += 1
        if offer == Offer.ACCEPTED:
            _play_points(enrolment, hospital, municipality, rng, today, declined_sharing)
            if enrolment.is_open and enrolment.points.filter(care_level="municipality", outcome="").exists():
                # Most patients have met their fixed contact person in the municipality.
                if rng.random() < 0.7:
                    pathway_services.set_contact_person(municipality, enrolment, municipality.user)
    _moves_and_deaths(orgs, rng, today, municipal_actor)
    return enrolled


def _play_points(enrolment, hospital, municipality, rng, today, declined_sharing):
    """Close, or book, the points whose windows have opened. `declined_sharing` holds the one
    hospital completion whose patient declined sharing the assessment: the first of a patient
    without a GP office, so that only the municipality is told (handover's rule)."""
    Outcome = CollaborationPoint.Outcome
    for point in enrolment.points.order_by("sequence"):
        if point.window_opens is None or point.window_opens > today or not enrolment.is_open:
            break
        actor = hospital if point.care_level == "hospital" else municipality
        closed = point.window_closes < today
        roll = rng.random()
        if roll < (0.8 if closed else 0.4):
            last = min(today, point.window_closes + datetime.timedelta(days=rng.choice([0, 0, 0, 10])))
            span = max((last - point.window_opens).days, 0)
            on = point.window_opens + datetime.timedelta(days=rng.randint(0, span))
            handover = None
            if point.care_level == "hospital" and not declined_sharing and enrolment.patient.gp_office_id is None:
                handover = pathway_services.HandoverChoice(sharing_declined=True)
                declined_sharing.append(point.pk)
            pathway_services.close_point(
                actor,
                point,
                Outcome.COMPLETED,
                on_date=on,
                today=today,
                place=rng.choice(["Poliklinikken", "Heime hos pasienten", "Helsehuset"]),
                # Outside the window or before the answer to the offer, a completion states why.
                reason="Avtalt med pasienten." if pathway_services.completion_reason_needed(point, on) else "",
                handover=handover,
            )
        elif roll < (0.9 if closed else 0.5):
            pathway_services.close_point(actor, point, Outcome.NOT_WANTED, on_date=point.window_opens, today=today)
        elif not closed and rng.random() < 0.5:
            when = timezone.make_aware(
                datetime.datetime.combine(
                    today + datetime.timedelta(days=rng.randint(1, 14)), datetime.time(rng.choice([9, 10, 13]))
                )
            )
            pathway_services.book_point(actor, point, when)
        enrolment.refresh_from_db()


def _moves_and_deaths(orgs, rng, today, municipal_actor):
    open_enrolments = list(
        Enrolment.objects.open()
        .filter(offer=Offer.ACCEPTED)
        .select_related("patient", "patient__municipality")
        .order_by("id")
    )
    rng.shuffle(open_enrolments)
    movers = open_enrolments[:3]
    # One move at least from a municipality that was never sent a message about the patient: it
    # keeps reading its own entries only (no care relation left), whatever the day the demo is for.
    untold = [
        e
        for e in open_enrolments
        if e.patient.registered_by_id != e.patient.municipality_id
        and not e.handover_messages.filter(recipient=e.patient.municipality).exists()
    ]
    if untold and not any(e in untold for e in movers):
        movers[0] = untold[0]
    staying = [e for e in open_enrolments if e not in movers]
    for enrolment in movers:  # moves between the demo municipalities, recorded by the old one
        patient = enrolment.patient
        old = patient.municipality
        new = orgs["Voss"] if old != orgs["Voss"] else orgs["Askøy"]
        _update_patient(municipal_actor[old.municipality_number], patient, today, municipality=new.pk, gp_office="")
    for n, enrolment in enumerate(staying[:4]):  # deaths, with follow-up of the bereaved
        patient = enrolment.patient
        died = max(enrolment.diagnosis_date, today - datetime.timedelta(days=rng.randint(2, 40)))
        # Two die in hospital (the hospital records it and the municipality gets a bereavement
        # message); two at home (the municipality records it and sees the follow-up on its worklist).
        actor = _hospital_actor(enrolment) if n < 2 else None
        actor = actor or municipal_actor[patient.municipality.municipality_number]
        _update_patient(actor, patient, today, date_of_death=died.isoformat())


def _update_patient(actor, patient, today, **changes):
    """A change of the patient as its page records it (patients.services.update_patient): the
    form's checks, the signals on which pathway moves or ends the pathways and handover writes the
    transfer and bereavement messages, and the audit entry."""
    data = {
        **{f: getattr(patient, f) for f in ("national_id", "given_name", "family_name", "preferred_language")},
        "mobile_phone": patient.mobile_phone,
        "email": patient.email,
        "municipality": patient.municipality_id,
        "gp_office": patient.gp_office_id or "",
        "date_of_death": patient.date_of_death.isoformat() if patient.date_of_death else "",
        **changes,
    }
    form = PatientForm(data=data, instance=Patient.objects.get(pk=patient.pk), actor=actor)
    if not form.is_valid():
        raise RuntimeError(f"the demo's change of a patient was refused: {sorted(form.errors)}")
    return patient_services.update_patient(actor, form, today=today)


def _hospital_actor(enrolment):
    membership = (
        Membership.objects.filter(organisation=enrolment.enrolling_organisation, role=Role.HOSPITAL_CLINICIAN)
        .select_related("user", "organisation")
        .first()
    )
    return Actor(user=membership.user, membership=membership) if membership else None


# --- The example pathways (pathway/definitions/*-example.yaml) ----------------------------------

PALLIATIVE = "palliative-chain-example"
LOCAL_VARIANT = "local-variant-example"
EXAMPLES_HOSPITAL = "Haukeland universitetssjukehus"
EXAMPLES_CONTACT_POINTS = {
    "Askøy heimeteneste": [("Kreftsjukepleiar i heimetenesta", "Kvardagar 08:00–15:30", "")],
    "Fjordly sjukeheim": [("Avdeling for lindrande behandling", "Alle dagar 08:00–20:00", "")],
}


@dataclass(frozen=True)
class Story:
    """One example pathway, in days before the demo's day: its diagnosis, the events recorded and
    the points completed so far (what has not happened is left out)."""

    diagnosed: int
    events: tuple = ()  # ((event key, days ago), ...)
    done: tuple = ()  # ((point key, days ago), ...)


# The palliative chain: its points are counted from the move to palliative care (the hospital's
# conversation), from that conversation (the home services' visit) and from the admission to the
# nursing home (the nursing home's conversation), so each story stops at another point.
STARTED, ADMITTED = "palliative_care_started", "nursing_home_admission"
PALLIATIVE_STORIES = [
    Story(150, ((STARTED, 6),)),  # the hospital's conversation is due
    Story(200, ((STARTED, 16),), (("pc1", 3),)),  # the home services' visit is due
    Story(240, ((STARTED, 30),), (("pc1", 17),)),  # ... and overdue
    Story(300, ((STARTED, 45), (ADMITTED, 2)), (("pc1", 35), ("pc2", 30))),  # the nursing home's is due
    Story(260, ((STARTED, 40), (ADMITTED, 4)), (("pc1", 28),)),  # the visit overdue, the nursing home's due
    Story(90),  # nothing recorded yet: every point waits for its event
]
# The local variant: the hospital's own telephone call, counted from its first conversation.
LOCAL_VARIANT_STORIES = [
    Story(8),  # the first conversation is due
    Story(30, done=(("sp1", 20),)),  # the telephone call is due
    Story(75, done=(("sp1", 70),)),  # ... and overdue
    Story(20, done=(("sp1", 5),)),  # ... and coming up
    Story(110, done=(("sp1", 100), ("local_call", 80))),  # the municipality's conversation is due
]


def _example_pathways(orgs, today):
    """The hospital's admin enables the two example pathways (pathway.enabling, audited), and its
    nurse enrols Askøy patients on them; the events and the points held are recorded through
    pathway.services, so that the points counted from them get their windows and the home
    services, the nursing home and the hospital have them on their worklists. Uses its own random
    numbers, so the national pathways of the demo are the same as without it. Returns (patients
    created, enrolments created)."""
    if Enrolment.objects.filter(definition__key__in=[PALLIATIVE, LOCAL_VARIANT]).exists():
        return 0, 0
    rng = random.Random(SEED + 1)
    _contact_points(orgs, rng, EXAMPLES_CONTACT_POINTS)
    hospital = orgs[EXAMPLES_HOSPITAL]
    admin = Actor(
        user=User.objects.get(username="admin.haukeland"),
        membership=Membership.objects.get(user__username="admin.haukeland", organisation=hospital, role=Role.ORG_ADMIN),
    )
    for key in (PALLIATIVE, LOCAL_VARIANT):
        enabling.set_enabled(admin, key, True)
    actors = {
        "hospital": _actor("sykepleier.haukeland", EXAMPLES_HOSPITAL, orgs),
        "municipality": _actor("koordinator.askoy", "Askøy", orgs),
        "home_services": _actor("hjemmetjeneste.askoy", "Askøy heimeteneste", orgs),
        "nursing_home": _actor("sykehjem.askoy", "Fjordly sjukeheim", orgs),
    }
    codes = [code for code, _name in icd10.pathway_codes() if "." in code]
    used = set(Patient.objects.values_list("national_id", flat=True))
    stories = [(PALLIATIVE, s) for s in PALLIATIVE_STORIES] + [(LOCAL_VARIANT, s) for s in LOCAL_VARIANT_STORIES]
    enrolments = []
    for index, (key, story) in enumerate(stories):
        patient = _example_patient(orgs, rng, today, used, index)
        enrolment = pathway_services.enrol(
            actors["hospital"],
            patient,
            definition_key=key,
            diagnosis_date=today - datetime.timedelta(days=story.diagnosed),
            icd10_code=rng.choice(codes),
            offer=Offer.ACCEPTED,
            today=today,
            treatment_intent="palliative" if key == PALLIATIVE else "curative",
        )
        _play_story(enrolment, story, actors, today)
        enrolments.append(enrolment)
    demo_handover.load_later(rng, today, enrolments)
    return len(stories), len(stories)


PLACES = {
    "hospital": "Poliklinikken",
    "municipality": "Helsehuset",
    "home_services": "Heime hos pasienten",
    "nursing_home": "Fjordly sjukeheim",
}


def _play_story(enrolment, story, actors, today):
    """Record the story's events and completions in the order of their days, each by whoever
    does it: the hospital records the move to palliative care, the nursing home the admission."""
    steps = [(days, "event", key) for key, days in story.events] + [(days, "point", key) for key, days in story.done]
    for days, what, key in sorted(steps, key=lambda step: -step[0]):
        on = today - datetime.timedelta(days=days)
        if what == "event":
            actor = actors["nursing_home"] if key == ADMITTED else actors["hospital"]
            pathway_services.record_event(actor, enrolment, key, on, today=today)
            continue
        point = enrolment.points.get(key=key)
        pathway_services.close_point(
            actors[point.care_level],
            point,
            CollaborationPoint.Outcome.COMPLETED,
            on_date=on,
            today=today,
            place=PLACES[point.care_level],
            reason="Avtalt med pasienten." if pathway_services.completion_reason_needed(point, on) else "",
        )


def _example_patient(orgs, rng, today, used, index):
    """An older patient of Askøy, diagnosed at Haukeland, as the demo's other patients are made."""
    birth = today - datetime.timedelta(days=rng.randint(62, 91) * 365 + rng.randint(0, 364))
    patient = Patient.objects.create(
        national_id=_synthetic_id(rng, birth, used),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name=rng.choice(GIVEN_NAMES),
        family_name=rng.choice(FAMILY_NAMES),
        municipality=orgs["Askøy"],
        gp_office=orgs[rng.choice(["Fjordly legesenter", "Strusshamn legekontor"])],
        preferred_language=rng.choices([Language.BOKMAL, Language.NYNORSK], [0.9, 0.1])[0],
        registered_by=orgs[EXAMPLES_HOSPITAL],
        mobile_phone=_phone(rng),
        email=f"pasient{PATIENT_COUNT + 1 + index:03d}@example.test",
    )
    _relatives(patient, rng)
    return patient


def _d_number_patient(orgs):
    """One patient identified by a (synthetic) D-number, as for a foreign worker."""
    if Patient.objects.filter(national_id_kind=nin.D_NUMBER).exists():
        return
    birth = datetime.date(1984, 4, 12)
    used = set(Patient.objects.values_list("national_id", flat=True))
    for individual in nin.individual_range_for(birth.year):
        number = nin.synthetic_number(birth, individual, d_number=True)
        if number and number not in used:
            break
    Patient.objects.create(
        national_id=number,
        national_id_kind=nin.D_NUMBER,
        date_of_birth=birth,
        given_name="Tomasz",
        family_name="Nowak",
        municipality=orgs["Ålesund"],
        gp_office=orgs["Sjøsida legesenter"],
        preferred_language=Language.ENGLISH,
        registered_by=orgs["Ålesund sjukehus"],
    )


@transaction.atomic
def load_demo(today=None):
    """Create the demo data if missing, every date relative to `today` (default: the clock's
    day). Returns (patients created, enrolments created)."""
    today = today or timezone.localdate()
    rng = random.Random(SEED)
    orgs = _organisations()
    _contact_points(orgs, rng)
    demo_public_info.load()
    _users(orgs)
    patients = 0
    if not Patient.objects.filter(municipality__in=[orgs[name] for name in MUNICIPALITIES.values()]).exists():
        patients = _patients(orgs, rng, today)
        _d_number_patient(orgs)
        patients += 1
    enrolments = _pathway(orgs, rng, today)
    demo_assessments.load(rng, today)
    demo_handover.load(rng, today)
    demo_reports.load(rng, today)
    # After the rest, with random numbers of their own, so that the rest is as without them.
    example_patients, example_enrolments = _example_pathways(orgs, today)
    patients, enrolments = patients + example_patients, enrolments + example_enrolments
    # The reports read monthly figures, computed every night; compute them now for the demo.
    report_figures.refresh(today)
    public_figures.refresh(today)
    return patients, enrolments


def login_table():
    rows = [("admin", "Django admin (superuser)")]
    for spec in USERS:
        rows.append((spec.username, "; ".join(f"{role.label} – {org}" for org, role in spec.memberships)))
    width = max(len(username) for username, _ in rows)
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD})"]
    lines += [f"  {username.ljust(width)}  {what}" for username, what in rows]
    return "\n".join(lines)
