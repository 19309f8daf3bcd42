"""Patient and RelatedPerson: read and search, through patients.access."""

from django.db.models import Q

from fhir_api import search
from fhir_api.mapping import people
from fhir_api.resources import common
from fhir_api.resources.base import ResourceType, SearchParam, parse_uuid, register, unknown
from patients.models import Patient, Relative


def read_patient(context, value):
    patient = Patient.objects.filter(public_id=parse_uuid(value, "Patient")).first()
    if patient is None:
        raise unknown("Patient", value)
    return common.open_patient(context, patient, "patient")


def search_patients(context):
    return common.visible_patients(context).select_related("municipality", "gp_office", "registered_by")


def _words(*fields):
    """Each word of a value in one of `fields` (all words must match)."""

    def apply(items, values, context):
        def make_q(value):
            q = Q()
            for word in value.split():
                either = Q(pk__in=[])
                for field in fields:
                    either |= Q(**{f"{field}__icontains": word})
                q &= either
            return q

        return items.filter(search.any_of(values, make_q))

    return apply


def _birthdate(items, values, context):
    return items.filter(search.any_of(values, lambda v: search.date_q(v, "date_of_birth")))


register(
    ResourceType(
        name="Patient",
        documentation="A patient in Heimveg. Only patients the organisation has a care relation to are found.",
        to_resource=people.patient,
        read=read_patient,
        search=search_patients,
        audit_search=lambda context, objects, included: common.audit_list(
            context, "Patient", [p.public_id for p in objects]
        ),
        params=(
            SearchParam("_id", "token", "The patient's id.", common.id_param("public_id", "Patient")),
            SearchParam(
                "identifier",
                "token",
                "National identity number: urn:oid:2.16.578.1.12.4.1.4.1 (fødselsnummer) or "
                "urn:oid:2.16.578.1.12.4.1.4.2 (D-number), as system|value.",
                common.patient_identifier_param(""),
                sensitive=True,
            ),
            # Names and dates of birth are personal data: like national ids, never in a URL.
            SearchParam(
                "name",
                "string",
                "Part of the given or family name.",
                _words("given_name", "family_name"),
                sensitive=True,
            ),
            SearchParam("family", "string", "Part of the family name.", _words("family_name"), sensitive=True),
            SearchParam("given", "string", "Part of the given name.", _words("given_name"), sensitive=True),
            SearchParam("birthdate", "date", "Date of birth.", _birthdate, sensitive=True),
        ),
    )
)


def read_relative(context, value):
    relative = Relative.objects.select_related("patient").filter(public_id=parse_uuid(value, "RelatedPerson")).first()
    if relative is None:
        raise unknown("RelatedPerson", value)
    relative.patient = common.open_patient(context, relative.patient, "relative")
    return relative


def search_relatives(context):
    return Relative.objects.filter(patient__in=common.visible_patients(context)).select_related("patient")


register(
    ResourceType(
        name="RelatedPerson",
        documentation="A relative of a patient (children under 18 are flagged in relationship).",
        to_resource=people.related_person,
        read=read_relative,
        search=search_relatives,
        audit_search=lambda context, objects, included: common.audit_list(
            context, "RelatedPerson", [r.patient.public_id for r in objects]
        ),
        params=(
            SearchParam("_id", "token", "The relative's id.", common.id_param("public_id", "RelatedPerson")),
            SearchParam(
                "patient",
                "reference",
                "The patient (Patient/id).",
                common.reference_param("patient__public_id", "Patient"),
            ),
        ),
    )
)
