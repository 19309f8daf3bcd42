"""Patient and RelatedPerson."""

from fhir_api.mapping.common import (
    DNR,
    FNR,
    MUNICIPALITY_EXTENSION,
    MUNICIPALITY_NUMBER,
    RELATION,
    build,
    date,
    drop_empty,
    instant,
    ref,
)
from lib import nin

NATIONAL_ID_SYSTEMS = {nin.FODSELSNUMMER: FNR, nin.D_NUMBER: DNR}


def national_identifier(patient) -> dict:
    return {"use": "official", "system": NATIONAL_ID_SYSTEMS[patient.national_id_kind], "value": patient.national_id}


def municipality_address(municipality) -> dict:
    """The municipality of residence, as HL7 Norway's no-basis address carries it: the
    municipality-code extension on `Address.district` (its context in no-basis)."""
    coding = {"system": MUNICIPALITY_NUMBER, "code": municipality.municipality_number, "display": municipality.name}
    return drop_empty(
        {
            "use": "home",
            "district": municipality.name,
            "_district": {"extension": [{"url": MUNICIPALITY_EXTENSION, "valueCoding": drop_empty(coding)}]},
            "country": "NO",
        }
    )


def patient_reference(patient) -> dict:
    return {**ref("Patient", patient.public_id, patient.full_name), "identifier": national_identifier(patient)}


def patient(patient):
    telecom = []
    if patient.mobile_phone:
        telecom.append({"system": "phone", "value": patient.mobile_phone, "use": "mobile"})
    if patient.email:
        telecom.append({"system": "email", "value": patient.email})
    data = {
        "id": str(patient.public_id),
        "meta": {"lastUpdated": instant(patient.updated_at)},
        "identifier": [national_identifier(patient)],
        "active": True,
        "name": [{"use": "official", "family": patient.family_name, "given": [patient.given_name]}],
        "telecom": telecom,
        "birthDate": date(patient.date_of_birth),
        "deceasedDateTime": date(patient.date_of_death),
        "address": [municipality_address(patient.municipality)],
        "communication": [
            {"language": {"coding": [{"system": "urn:ietf:bcp:47", "code": patient.preferred_language}]}}
        ],
        "generalPractitioner": [ref("Organization", patient.gp_office.public_id, patient.gp_office.name)]
        if patient.gp_office
        else [],
        "managingOrganization": ref("Organization", patient.registered_by.public_id, patient.registered_by.name),
    }
    return build("Patient", drop_empty(data))


def related_person(relative):
    telecom = []
    if relative.phone:
        telecom.append({"system": "phone", "value": relative.phone})
    if relative.email:
        telecom.append({"system": "email", "value": relative.email})
    relationship = [
        {"coding": [{"system": RELATION, "code": relative.relation, "display": relative.get_relation_display()}]}
    ]
    if relative.is_child:
        relationship.append({"coding": [{"system": RELATION, "code": "child-under-18", "display": "Child under 18"}]})
    if relative.is_next_of_kin:
        relationship.append(
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "N", "display": "Next-of-Kin"}
                ]
            }
        )
    data = {
        "id": str(relative.public_id),
        "active": True,
        "patient": ref("Patient", relative.patient.public_id, relative.patient.full_name),
        "relationship": relationship,
        "name": [{"text": relative.name}],
        "telecom": telecom,
    }
    return build("RelatedPerson", drop_empty(data))
