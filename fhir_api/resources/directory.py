"""Organization and HealthcareService: the national directory, readable by every client."""

from django.db.models import Q

from directory.models import ContactPoint, Organisation
from fhir_api import search
from fhir_api.mapping import organisations
from fhir_api.mapping.common import HER_ID, MUNICIPALITY_NUMBER, ORG_NUMBER, ORGANISATION_KIND
from fhir_api.resources import common
from fhir_api.resources.base import ResourceType, SearchParam, parse_uuid, register, unknown

IDENTIFIER_FIELDS = {ORG_NUMBER: "org_number", HER_ID: "her_id", MUNICIPALITY_NUMBER: "municipality_number"}


def read_organisation(context, value):
    found = (
        Organisation.objects.select_related("parent", "municipality")
        .filter(public_id=parse_uuid(value, "Organization"))
        .first()
    )
    if found is None:
        raise unknown("Organization", value)
    return found


def _identifier(items, values, context):
    def make_q(value):
        system, code = search.token(value)
        if not code:
            return Q(pk__in=[])
        if system:
            field = IDENTIFIER_FIELDS.get(system)
            return Q(**{field: code}) if field else Q(pk__in=[])
        return Q(org_number=code) | Q(her_id=code) | Q(municipality_number=code)

    return items.filter(search.any_of(values, make_q))


def _type(items, values, context):
    def make_q(value):
        system, code = search.token(value)
        return Q(kind=code) if system in (None, ORGANISATION_KIND) else Q(pk__in=[])

    return items.filter(search.any_of(values, make_q))


def _name(items, values, context):
    return items.filter(search.any_of(values, lambda v: Q(name__icontains=v) | Q(name_official__icontains=v)))


register(
    ResourceType(
        name="Organization",
        documentation="Health trusts, hospitals, municipalities and GP offices, with organisation number, "
        "HER-id and municipality number (HL7 Norway identifier systems).",
        to_resource=organisations.organization,
        read=read_organisation,
        search=lambda context: Organisation.objects.select_related("parent", "municipality").order_by("pk"),
        params=(
            SearchParam("_id", "token", "The organisation's id.", common.id_param("public_id", "Organization")),
            SearchParam(
                "identifier",
                "token",
                "Organisation number (urn:oid:2.16.578.1.12.4.1.4.101), HER-id (urn:oid:2.16.578.1.12.4.1.2) or "
                "municipality number (urn:oid:2.16.578.1.12.4.1.1.3402), as system|value.",
                _identifier,
            ),
            SearchParam("name", "string", "Part of the name.", _name),
            SearchParam("type", "token", f"Kind of organisation ({ORGANISATION_KIND}).", _type),
        ),
    )
)


def read_contact_point(context, value):
    found = (
        ContactPoint.objects.select_related("organisation")
        .filter(public_id=parse_uuid(value, "HealthcareService"))
        .first()
    )
    if found is None:
        raise unknown("HealthcareService", value)
    return found


register(
    ResourceType(
        name="HealthcareService",
        documentation="An organisation's contact point for the pathway.",
        to_resource=organisations.healthcare_service,
        read=read_contact_point,
        search=lambda context: ContactPoint.objects.select_related("organisation").order_by("pk"),
        params=(
            SearchParam("_id", "token", "The contact point's id.", common.id_param("public_id", "HealthcareService")),
            SearchParam(
                "organization",
                "reference",
                "The organisation (Organization/id).",
                common.reference_param("organisation__public_id", "Organization"),
            ),
        ),
    )
)
