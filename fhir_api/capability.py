"""The CapabilityStatement, generated from the resource table that dispatches requests: it lists
exactly the resource types, interactions, search parameters and includes that are served."""

from django.utils import timezone

from fhir_api.ig.profiles import PROFILES_BY_TYPE
from fhir_api.mapping.common import BASE, build
from fhir_api.resources import REGISTRY

IMPLEMENTATION_GUIDE = f"{BASE}/ImplementationGuide/heimveg-pathway"
SENSITIVE = (
    " Personal data (a national identity number, a name or a date of birth): only in the form-encoded body "
    "of POST <Type>/_search or in the If-None-Exist header, never in a URL (400)."
)
SEARCH_RESULT_PARAMS = [
    {"name": "_count", "type": "number", "documentation": "Results per page (default 20, at most 100)."},
    {"name": "_offset", "type": "number", "documentation": "Where the page starts (used by the next links)."},
]


def _interactions(resource_type):
    found = []
    for code in resource_type.interactions:
        entry = {"code": code}
        if code == "create" and resource_type.create_documentation:
            entry["documentation"] = resource_type.create_documentation
        if code in ("update", "patch") and resource_type.update_documentation:
            entry["documentation"] = resource_type.update_documentation
        found.append(entry)
    return found


def _resource(resource_type):
    entry = {
        "type": resource_type.name,
        "documentation": resource_type.documentation,
        "interaction": _interactions(resource_type),
        "versioning": "no-version",
        "readHistory": False,
        "updateCreate": False,
        "conditionalCreate": resource_type.conditional_create,
        "conditionalUpdate": False,
        "conditionalDelete": "not-supported",
    }
    profile = PROFILES_BY_TYPE.get(resource_type.name)
    if profile:
        entry["supportedProfile"] = [profile.url]
    if resource_type.includes:
        entry["searchInclude"] = [i.name for i in resource_type.includes]
    if resource_type.search:
        entry["searchParam"] = [
            {"name": p.name, "type": p.type, "documentation": p.documentation + (SENSITIVE if p.sensitive else "")}
            for p in resource_type.params
        ]
    return entry


def capability_statement(base_url, date=None):
    """`date` (the statement's date) defaults to today; the implementation guide passes its own."""
    return build(
        "CapabilityStatement",
        {
            "status": "active",
            "id": "heimveg",
            "url": f"{BASE}/CapabilityStatement/heimveg",
            "date": (date or timezone.localdate()).isoformat(),
            "publisher": "Heimveg",
            "kind": "instance",
            "name": "HeimvegFhirApi",
            "title": "Heimveg FHIR API: the pathway home for people with cancer",
            "description": "FHIR R4 (JSON) for hospital and municipal record systems and form services. "
            "Identifiers follow HL7 Norway's basis profiles. Unknown search parameters are refused (400) "
            "unless the request says Prefer: handling=lenient.",
            "implementation": {"description": "Heimveg", "url": base_url},
            "fhirVersion": "4.0.1",
            "implementationGuide": [IMPLEMENTATION_GUIDE],
            "format": ["application/fhir+json", "json"],
            "patchFormat": ["application/json-patch+json", "application/merge-patch+json"],
            "rest": [
                {
                    "mode": "server",
                    "documentation": "Every request needs an OAuth 2.0 bearer token (client credentials) issued to "
                    "a system registered by its organisation's admin. The organisation's care relations decide "
                    "which patients it sees, as in Heimveg's pages; every read and write is in the audit log "
                    "with the system named.",
                    "security": {
                        "cors": False,
                        "service": [
                            {
                                "coding": [
                                    {
                                        "system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                                        "code": "OAuth",
                                    }
                                ]
                            }
                        ],
                        "extension": [
                            {
                                "url": "http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris",
                                "extension": [
                                    {"url": "token", "valueUri": base_url.rsplit("/fhir", 1)[0] + "/oauth/token/"}
                                ],
                            }
                        ],
                        "description": "OAuth 2.0 client credentials: POST grant_type=client_credentials with the "
                        "client id and secret to the token URL; send Authorization: Bearer <token>.",
                    },
                    "resource": [_resource(rt) for rt in sorted(REGISTRY.values(), key=lambda rt: rt.name)],
                }
            ],
        },
    )
