"""Who a person signed in with ID-porten is to Heimveg, looked up from their national id on each
request: a patient (the patients' table keeps the number), a relative (bound by a keyed hash of
the number, `Relative.national_id_hash`, when they once signed in with ID-porten from an
invitation's session), both, or neither. A relative's side shows only the relative's own
invitations and answers, never the patient's."""

import dataclasses
import functools
from collections.abc import Iterable

from accounts.invitations import national_id_hash
from assessment.models import QuestionnaireResponse
from pathway.models import Enrolment
from patients.models import Patient, Relative
from portal import services
from portal.models import Invitation

OPEN_STATES = ("valid", "used")


@dataclasses.dataclass(frozen=True)
class PersonRespondent:
    """The person in the portal, for the audit log (no user account): role "patient",
    "relative" or "citizen" (neither, yet)."""

    role: str
    user = None
    organisation = None

    @property
    def username(self) -> str:
        return f"{self.role} (ID-porten)"


@dataclasses.dataclass(frozen=True)
class Person:
    national_id: str
    patient: Patient | None
    relatives: tuple[Relative, ...]

    @property
    def respondent(self) -> PersonRespondent:
        return PersonRespondent("patient" if self.patient else "relative" if self.relatives else "citizen")

    @functools.cached_property
    def open_enrolment(self) -> Enrolment | None:
        if self.patient is None:
            return None
        return self.patient.enrolments.open().order_by("-diagnosis_date", "-id").first()

    @functools.cached_property
    def latest_enrolment(self) -> Enrolment | None:
        if self.patient is None:
            return None
        return self.open_enrolment or self.patient.enrolments.order_by("-ended_at", "-id").first()


def hashed(national_id: str) -> str:
    return national_id_hash(national_id)


def lookup(national_id: str) -> Person:
    patient = Patient.objects.select_related("municipality").filter(national_id=national_id).first()
    relatives = tuple(
        Relative.objects.select_related("patient").filter(national_id_hash=hashed(national_id)).order_by("pk")
    )
    return Person(national_id=national_id, patient=patient, relatives=relatives)


def owns(national_id: str, invitation: Invitation) -> bool:
    """Is `invitation` this person's own: the patient's (no relative), or one to a relative bound
    to this number?"""
    if invitation.relative_id:
        relative = invitation.relative
        bound = relative.national_id_hash if relative else ""
        return bool(bound) and bound == hashed(national_id)
    return invitation.point.enrolment.patient.national_id == national_id


def invitations(patient: Patient | None, relatives: Iterable[Relative]) -> list[Invitation]:
    """The person's own invitations that have not been replaced, newest first: the patient's
    (`relative` empty) and those to the relatives bound to them. Never another respondent's."""
    relatives = list(relatives)
    rows = Invitation.objects.none()
    if patient is not None:
        rows = rows | Invitation.objects.filter(point__enrolment__patient=patient, relative__isnull=True)
    if relatives:
        rows = rows | Invitation.objects.filter(relative__in=relatives)
    rows = rows.filter(revoked_at__isnull=True).select_related(
        "point__responsible_organisation", "point__enrolment__patient", "response", "relative"
    )
    latest: dict[int, Invitation] = {}
    for invitation in rows.order_by("-created_at", "-pk"):
        latest.setdefault(invitation.response_id, invitation)  # a reissued link: the newest only
    return list(latest.values())


def to_answer(invitation: Invitation) -> bool:
    return (
        services.state(invitation) in OPEN_STATES
        and invitation.response.status != QuestionnaireResponse.Status.COMPLETED
    )


def answered(invitation: Invitation) -> bool:
    return invitation.response.status == QuestionnaireResponse.Status.COMPLETED
