"""Example instances: one synthetic patient of the demo's kind (a Test-Norge number, Askøy and
Haukeland as in `manage.py load_demo`) through the national pathway, built as unsaved model
objects and mapped by the API's own mapping functions (fhir_api.mapping), so that an example
shows exactly what the API serves. Deterministic: fixed ids, days and times, no database.

The objects are made here rather than read from the demo because the demo (`synthetic`) sits
above every product app and nothing in the product may import it."""

import datetime
import uuid
from zoneinfo import ZoneInfo

from django.utils import translation

from assessment.models import QuestionnaireResponse
from directory.models import Organisation
from fhir_api.mapping import assessment, handover, organisations, pathway, people
from handover.models import HandoverMessage
from lib import nin
from pathway.definitions import DEFAULT_DEFINITION_KEY, get_definition
from pathway.models import CollaborationPoint, Enrolment, Offer, PathwayDefinition, TreatmentIntent
from pathway.services import windows
from patients.models import Patient

Kind = Organisation.Kind
OSLO = ZoneInfo("Europe/Oslo")
# The day the examples are seen on: the second point's window is open, the first is completed.
TODAY = datetime.date(2026, 9, 1)
DIAGNOSIS = datetime.date(2026, 5, 4)


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"https://heimveg.no/fhir/ig/example/{name}")


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=OSLO)


class World:
    """The example's objects, linked as the database would link them."""

    def __init__(self):
        self.hospital = Organisation(
            public_id=_id("haukeland"),
            kind=Kind.HOSPITAL,
            name="Haukeland universitetssjukehus",
            org_number="974557746",
            first_point_weeks=4,
        )
        self.municipality = Organisation(
            public_id=_id("askoy"),
            kind=Kind.MUNICIPALITY,
            name="Askøy",
            org_number="964338531",
            municipality_number="4627",
        )
        self.hospital.municipality = None
        self.gp_office = Organisation(
            public_id=_id("fjordly"), kind=Kind.GP_OFFICE, name="Fjordly legesenter", municipality=self.municipality
        )
        self.patient = Patient(
            public_id=_id("patient"),
            national_id=nin.synthetic_number(datetime.date(1961, 5, 17), 345),
            national_id_kind=nin.FODSELSNUMMER,
            given_name="Ingrid",
            family_name="Haugland",
            date_of_birth=datetime.date(1961, 5, 17),
            municipality=self.municipality,
            gp_office=self.gp_office,
            registered_by=self.hospital,
            preferred_language="nb",
            updated_at=_at(DIAGNOSIS, 10),
        )
        definition = get_definition(DEFAULT_DEFINITION_KEY)
        self.enrolment = Enrolment(
            public_id=_id("enrolment"),
            patient=self.patient,
            definition=PathwayDefinition(
                key=definition.key, version=definition.version, title=definition.title, checksum=definition.checksum
            ),
            diagnosis_date=DIAGNOSIS,
            icd10_code="C50.9",
            icd10_name="Brystkreft, uspesifisert",
            treatment_intent=TreatmentIntent.CURATIVE,
            enrolling_organisation=self.hospital,
            offer=Offer.ACCEPTED,
            created_at=_at(DIAGNOSIS, 12),
        )
        found = windows(self.enrolment)
        self.points = []
        for sequence, point in enumerate(definition.points):
            opens, closes = found[point.key] or (None, None)
            owner = self.hospital if point.care_level == "hospital" else self.municipality
            self.points.append(
                CollaborationPoint(
                    public_id=_id(f"point-{point.key}"),
                    enrolment=self.enrolment,
                    key=point.key,
                    sequence=sequence,
                    title=point.title,
                    care_level=point.care_level,
                    responsible_organisation=owner,
                    window_opens=opens,
                    window_closes=closes,
                )
            )
        first, second = self.points[0], self.points[1]
        first.outcome = CollaborationPoint.Outcome.COMPLETED
        first.outcome_on = DIAGNOSIS + datetime.timedelta(days=16)
        first.booked_for = _at(first.outcome_on, 10)
        first.place = "Kreftpoliklinikken, Haukeland"
        second.booked_for = _at(datetime.date(2026, 9, 8), 13)
        self.message = HandoverMessage(
            public_id=_id("handover"),
            kind=HandoverMessage.Kind.POINT_COMPLETED,
            enrolment=self.enrolment,
            point=first,
            sender=self.hospital,
            recipient=self.municipality,
            reason=HandoverMessage.Reason.MUNICIPALITY,
            content={"point": first.key, "completed_on": first.outcome_on.isoformat(), "next_point": second.key},
            created_at=_at(first.outcome_on, 14),
            delivered_at=_at(first.outcome_on, 14),
            acknowledged_at=_at(first.outcome_on + datetime.timedelta(days=1), 9),
            acknowledged_by_name="Kreftkoordinator, Askøy kommune",
        )
        self.response = QuestionnaireResponse(
            public_id=_id("answers"),
            point=second,
            questionnaire_id="heimveg-needs-adult",
            questionnaire_version="1.0.0",
            source=QuestionnaireResponse.Source.PATIENT,
            status=QuestionnaireResponse.Status.COMPLETED,
            answers={
                "what-matters": "Å komme tilbake i jobb og å orke turer med barnebarna.",
                "distress-score": 5,
                "topic-family": True,
            },
            submitted_at=_at(datetime.date(2026, 9, 2), 19),
            updated_at=_at(datetime.date(2026, 9, 2), 19),
        )


def examples() -> list[tuple[str, object]]:
    """(label, resource) of each example (fhir.resources objects), in the order the guide lists
    them; labels in bokmål, as the examples' own texts."""
    with translation.override("nb"):
        world = World()
        message = world.message
        return [
            (f"Pasient: {world.patient.full_name} (syntetisk)", people.patient(world.patient)),
            (world.hospital.name, organisations.organization(world.hospital)),
            (world.municipality.name, organisations.organization(world.municipality)),
            ("Forløp (EpisodeOfCare)", pathway.episode_of_care(world.enrolment)),
            ("Forløpsplan (CarePlan)", pathway.care_plan(world.enrolment, world.points, TODAY)),
            *[(f"{p.key}: {p.display_title}", pathway.task(p, TODAY)) for p in world.points],
            (f"Overføring: {message.get_kind_display()}", handover.communication(message)),
            ("Kvittering for overføringen", handover.acknowledgement(message)),
            ("Svar fra pasienten (QuestionnaireResponse)", assessment.questionnaire_response(world.response)),
        ]
