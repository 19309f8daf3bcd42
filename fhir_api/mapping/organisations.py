"""Organization and HealthcareService (an organisation's contact points)."""

from fhir_api.mapping.common import (
    HER_ID,
    MUNICIPALITY_EXTENSION,
    MUNICIPALITY_NUMBER,
    ORG_NUMBER,
    ORGANISATION_KIND,
    build,
    drop_empty,
    ref,
)


def identifiers(organisation) -> list:
    found = []
    if organisation.org_number:
        found.append({"use": "official", "system": ORG_NUMBER, "value": organisation.org_number})
    if organisation.her_id:
        found.append({"system": HER_ID, "value": organisation.her_id})
    if organisation.municipality_number:
        found.append({"system": MUNICIPALITY_NUMBER, "value": organisation.municipality_number})
    return found


def _address(organisation):
    municipality = organisation if organisation.is_municipality else organisation.municipality
    if municipality is None or not municipality.municipality_number:
        return []
    coding = {"system": MUNICIPALITY_NUMBER, "code": municipality.municipality_number, "display": municipality.name}
    return [
        {
            "district": municipality.name,
            # On the district, as no-basis defines the extension's context (Address.district).
            "_district": {"extension": [{"url": MUNICIPALITY_EXTENSION, "valueCoding": coding}]},
            "country": "NO",
        }
    ]


def organization(organisation):
    parent = organisation.parent
    data = {
        "id": str(organisation.public_id),
        "identifier": identifiers(organisation),
        "active": True,
        "type": [
            {
                "coding": [
                    {"system": ORGANISATION_KIND, "code": organisation.kind, "display": organisation.get_kind_display()}
                ]
            }
        ],
        "name": organisation.name,
        "alias": [organisation.name_official] if organisation.name_official not in ("", organisation.name) else [],
        "address": _address(organisation),
        "partOf": ref("Organization", parent.public_id, parent.name) if parent else None,
    }
    return build("Organization", drop_empty(data))


def healthcare_service(contact_point):
    organisation = contact_point.organisation
    telecom = []
    if contact_point.phone:
        telecom.append({"system": "phone", "value": contact_point.phone, "use": "work"})
    if contact_point.email:
        telecom.append({"system": "email", "value": contact_point.email, "use": "work"})
    data = {
        "id": str(contact_point.public_id),
        "active": True,
        "providedBy": ref("Organization", organisation.public_id, organisation.name),
        "name": contact_point.name,
        "comment": contact_point.note_for_patients,
        "telecom": telecom,
        "availabilityExceptions": contact_point.opening_hours,
        "extraDetails": contact_point.postal_address,
    }
    return build("HealthcareService", drop_empty(data))
