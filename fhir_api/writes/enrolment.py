"""EpisodeOfCare create: an enrolment from a hospital's (or municipality's) record system, through
pathway.services.enrol, with the same rules and messages as the enrolment form.

The patient is `Patient/<id>`, or a logical reference by national identity number
(`patient.identifier`), or a contained Patient (`#id`) that is registered through the same form
rules as in the web pages when Heimveg does not know the patient yet. The diagnosis is a contained
Condition referenced from `diagnosis[0].condition`: ICD-10 code and onsetDateTime (or
recordedDate) = the date of diagnosis. `status` active means the patient accepted the offer,
onhold that they declined, planned that they have not been asked yet.
"""

import datetime
import uuid

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from audit import services as audit
from directory.models import Organisation
from fhir_api import errors
from fhir_api.mapping.common import (
    DNR,
    FNR,
    ICD10,
    MUNICIPALITY_EXTENSION,
    OFFER_EXT,
    PATHWAY,
    RELAPSE_EXT,
    SPECIFIC_PATHWAY_EXT,
    TREATMENT_INTENT_EXT,
)
from fhir_api.resources import common
from fhir_api.writes.common import reference_id, rule_error, rule_messages, validated
from lib import nin
from pathway import services
from pathway.definitions import all_definitions
from pathway.models import Offer, TreatmentIntent
from patients import emergency
from patients.access import AccessDecision, decide
from patients.forms import PatientForm
from patients.models import Patient
from patients.services import PatientRuleError, register_patient

DOCUMENTATION = (
    "Enrols a patient (pathway.services.enrol: the same rules and messages as the enrolment form). "
    "patient: Patient/id, a logical reference by national identity number, or a contained Patient "
    "(registered if unknown). diagnosis[0].condition: a contained Condition with an ICD-10 code and "
    "onsetDateTime = the date of diagnosis. status active = offer accepted, onhold = declined, planned = "
    "not asked. Conditional create: If-None-Exist: patient.identifier=<system>|<number>&diagnosis-code=<ICD-10>"
    "&diagnosis-date=<date> returns the existing enrolment (200) when one matches (also when an identical "
    "request created it at the same moment), 412 when several do. "
    "A patient already in the pathway is 409 (send the relapse extension to start again)."
)
OFFER_BY_STATUS = {"active": Offer.ACCEPTED, "onhold": Offer.DECLINED}
SYSTEM_KIND = {FNR: nin.FODSELSNUMMER, DNR: nin.D_NUMBER}


def _extension(resource, url):
    return next((e for e in resource.extension or [] if e.url == url), None)


def _contained(resource, reference, resource_type):
    value = getattr(reference, "reference", None) or ""
    if not value.startswith("#"):
        return None
    found = next(
        (c for c in resource.contained or [] if c.id == value[1:] and c.get_resource_type() == resource_type), None
    )
    if found is None:
        raise errors.unprocessable(
            _("The reference %(ref)s points at no contained %(type)s.") % {"ref": value[:64], "type": resource_type}
        )
    return found


def national_id(identifier, expression):
    """The validated number of a national-id Identifier: the HL7 Norway system and a valid number."""
    if identifier is None or identifier.system not in SYSTEM_KIND:
        raise errors.unprocessable(
            _(
                "Identify the patient by national identity number with the system %(fnr)s (fødselsnummer) "
                "or %(dnr)s (D-number)."
            )
            % {"fnr": FNR, "dnr": DNR},
            expression=expression,
            code="value",
        )
    try:
        parsed = nin.parse(identifier.value or "", allow_synthetic=settings.ALLOW_SYNTHETIC_NATIONAL_IDS)
    except nin.InvalidNationalId as error:
        raise errors.unprocessable(str(error.message), expression=expression, code="value") from None
    if parsed.kind != SYSTEM_KIND[identifier.system]:
        raise errors.unprocessable(
            _("The number is a %(kind)s but the identifier's system says otherwise: use %(system)s.")
            % {"kind": nin.D_NUMBER == parsed.kind and "D-number" or "fødselsnummer", "system": parsed.fhir_system},
            expression=expression,
            code="value",
        )
    return parsed


def _register(context, contained, parsed):
    """Register the contained Patient through the web form's rules, whether or not Heimveg knows
    the number (patients.services.register_patient answers both alike): the patient to enrol."""
    name = (contained.name or [None])[0]
    municipality = None
    for address in contained.address or []:
        # On Address.district as no-basis places it; on the Address itself, as Heimveg wrote it
        # before, still accepted.
        ext = _extension(address.district__ext, MUNICIPALITY_EXTENSION) if address.district__ext else None
        ext = ext or _extension(address, MUNICIPALITY_EXTENSION)
        if ext and ext.valueCoding and ext.valueCoding.code:
            municipality = Organisation.objects.filter(
                kind=Organisation.Kind.MUNICIPALITY, municipality_number=ext.valueCoding.code
            ).first()
    data = {
        "national_id": parsed.number,
        "given_name": " ".join(name.given or []) if name else "",
        "family_name": (name.family or "") if name else "",
        "municipality": municipality.pk if municipality else "",
        "preferred_language": "nb",
        "date_of_death": "",
    }
    form = PatientForm(data=data, actor=context.actor)
    if not form.is_valid():
        messages = [str(m) for field_errors in form.errors.values() for m in field_errors]
        raise errors.unprocessable(" ".join(messages), expression="EpisodeOfCare.contained.Patient")
    try:
        registration = register_patient(context.actor, form, request=context.request)
    except PatientRuleError as error:
        raise errors.unprocessable(rule_messages(error), expression="EpisodeOfCare.contained.Patient") from None
    patient = registration.patient
    patient.access = AccessDecision(True)
    patient.via_registration = registration.known  # no care relation with the record (yet)
    return patient


def _throttled(context):
    try:
        emergency.throttle(context.actor, "registration", request=context.request)
    except emergency.Throttled as error:
        raise errors.FhirError(429, str(error), code="throttled") from None


def _unknown_to_caller(context, patient, message, expression):
    """A patient the caller has no care relation with answers as an unknown one does (422, the
    same text): the API is no oracle of who is registered. The refusal is audited."""
    if patient is not None:
        if decide(context.actor, patient).full:
            return common.open_patient(context, patient, "enrolment", action=None)
        audit.record(
            context.actor,
            audit.Action.DENIED,
            patient_public_id=patient.public_id,
            object_type="enrolment",
            detail="FHIR API",
            request=context.request,
        )
    raise errors.unprocessable(message, expression=expression)


def _patient(context, resource):
    reference = resource.patient
    contained = _contained(resource, reference, "Patient")
    if contained is not None:
        identifier = next((i for i in contained.identifier or [] if i.system in SYSTEM_KIND), None)
        parsed = national_id(identifier, "EpisodeOfCare.contained.Patient.identifier")
        existing = Patient.objects.filter(national_id=parsed.number).first()
        if existing is not None and decide(context.actor, existing).full:
            return common.open_patient(context, existing, "enrolment", action=None)
        # Unknown, or known without a care relation: a registration either way, counted alike.
        with transaction.atomic():  # a savepoint: the request's transaction goes on after a refusal
            return _register(context, contained, parsed)
    public_id = reference_id(reference, "Patient")
    if public_id:
        try:
            patient = Patient.objects.filter(public_id=uuid.UUID(public_id)).first()
        except ValueError:
            patient = None
        return _unknown_to_caller(
            context,
            patient,
            _("There is no Patient with the id %(id)s.") % {"id": public_id[:64]},
            "EpisodeOfCare.patient",
        )
    parsed = national_id(reference.identifier, "EpisodeOfCare.patient.identifier")
    existing = Patient.objects.filter(national_id=parsed.number).first()
    return _unknown_to_caller(
        context,
        existing,
        _(
            "No patient with this national identity number is registered in Heimveg. Send the patient as a "
            "contained Patient (name, national identity number, municipality) to register them."
        ),
        "EpisodeOfCare.patient",
    )


def _diagnosis(resource):
    diagnosis = (resource.diagnosis or [None])[0]
    condition = _contained(resource, diagnosis.condition, "Condition") if diagnosis else None
    if condition is None:
        raise errors.unprocessable(
            _("Give the diagnosis as a contained Condition with an ICD-10 code and the date of diagnosis."),
            expression="EpisodeOfCare.diagnosis",
        )
    codings = condition.code.coding if condition.code and condition.code.coding else []
    coding = next((c for c in codings if c.system == ICD10), None)
    if coding is None or not coding.code:
        raise errors.unprocessable(
            _("Code the diagnosis in ICD-10 (system %(system)s).") % {"system": ICD10},
            expression="Condition.code",
            code="value",
        )
    when = condition.onsetDateTime or condition.recordedDate
    if when is None:
        raise errors.unprocessable(_("Enter the date of diagnosis."), expression="Condition.onsetDateTime")
    if isinstance(when, datetime.datetime):
        when = when.date()
    elif isinstance(when, str):
        when = datetime.date.fromisoformat(when[:10])
    return coding.code, when


def _definition_key(resource):
    known = all_definitions()
    for concept in resource.type or []:
        for coding in concept.coding or []:
            if coding.system == PATHWAY:
                if coding.code not in known:
                    raise errors.unprocessable(
                        _("There is no pathway definition %(key)s.") % {"key": (coding.code or "")[:64]},
                        expression="EpisodeOfCare.type",
                    )
                return coding.code
    return services.DEFAULT_DEFINITION_KEY


def _options(resource):
    intent = _extension(resource, TREATMENT_INTENT_EXT)
    intent = intent.valueCode if intent else TreatmentIntent.NOT_KNOWN
    if intent not in TreatmentIntent.values:
        raise errors.unprocessable(
            _("Treatment intent must be one of: %(values)s.") % {"values": ", ".join(TreatmentIntent.values)}
        )
    offer = _extension(resource, OFFER_EXT)
    offer = offer.valueCode if offer else OFFER_BY_STATUS.get(resource.status, Offer.NOT_ASKED)
    if offer not in Offer.values:
        raise errors.unprocessable(_("The offer must be one of: %(values)s.") % {"values": ", ".join(Offer.values)})
    relapse = _extension(resource, RELAPSE_EXT)
    specific = _extension(resource, SPECIFIC_PATHWAY_EXT)
    return {
        "treatment_intent": intent,
        "offer": offer,
        "is_relapse": bool(relapse and relapse.valueBoolean),
        "diagnosis_specific_pathway": (specific.valueString or "")[:200] if specific else "",
    }


def create(context, body):
    resource = validated(body, "EpisodeOfCare")
    if resource.status not in ("planned", "active", "onhold"):
        raise errors.unprocessable(
            _("A new enrolment's status is planned, active (offer accepted) or onhold (declined)."),
            expression="EpisodeOfCare.status",
        )
    code, diagnosis_date = _diagnosis(resource)
    options = _options(resource)
    definition_key = _definition_key(resource)
    # The throttle's count and a refusal's audit entry are written outside the enrolment's
    # transaction, so that a refused or failed attempt still counts and stays in the log.
    contained = _contained(resource, resource.patient, "Patient")
    if contained is not None or not reference_id(resource.patient, "Patient"):
        _throttled(context)
    patient = None if contained is not None else _patient(context, resource)
    with transaction.atomic():
        if patient is None:
            patient = _patient(context, resource)
        try:
            enrolment = services.enrol(
                context.actor,
                patient,
                diagnosis_date=diagnosis_date,
                icd10_code=code,
                definition_key=definition_key,
                request=context.request,
                **options,
            )
        except services.PathwayRuleError as error:
            if error.existing is not None and not getattr(patient, "via_registration", False):
                raise errors.conflict(f"{rule_messages(error)} (EpisodeOfCare/{error.existing.public_id})") from None
            raise rule_error(error) from None
    return 201, enrolment
