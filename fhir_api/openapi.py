"""An OpenAPI 3 document of the FHIR endpoints, generated from the same resource table as the
dispatcher and the CapabilityStatement.

Written by hand rather than with django-ninja: the FHIR endpoints take and give
application/fhir+json, dispatch on a resource type in the path, and answer errors as
OperationOutcome, none of which ninja's schema-from-function-signature model fits without
fighting it; generating from the resource table keeps it in step with what is served."""

from fhir_api.resources import REGISTRY

FHIR_JSON = "application/fhir+json"
ERRORS = {
    "400": "Malformed request or unknown search parameter (OperationOutcome)",
    "401": "No or invalid bearer token (OperationOutcome)",
    "403": "No care relation or role (OperationOutcome)",
    "404": "Unknown resource type or id (OperationOutcome)",
}


def _resource_schema(name=None):
    schema = {"type": "object", "required": ["resourceType"], "properties": {"resourceType": {"type": "string"}}}
    if name:
        schema["properties"]["resourceType"] = {"type": "string", "enum": [name]}
    return schema


def _responses(ok, extra=()):
    responses = {ok: {"description": "OK", "content": {FHIR_JSON: {"schema": _resource_schema()}}}}
    for code, text in ERRORS.items():
        responses[code] = {
            "description": text,
            "content": {FHIR_JSON: {"schema": _resource_schema("OperationOutcome")}},
        }
    for code, text in extra:
        responses[code] = {
            "description": text,
            "content": {FHIR_JSON: {"schema": _resource_schema("OperationOutcome")}},
        }
    return responses


def _id_param():
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^[A-Za-z0-9\\-\\.]{1,64}$"},
    }


def _search_params(resource_type, *, in_url=False):
    """The search parameters; those carrying personal data are left out of a URL's (GET: refused)."""
    params = [
        {"name": p.name, "in": "query", "required": False, "description": p.documentation, "schema": {"type": "string"}}
        for p in resource_type.params
        if not (in_url and p.sensitive)
    ]
    params.append({"name": "_count", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}})
    params.append({"name": "_offset", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}})
    if resource_type.includes:
        params.append(
            {
                "name": "_include",
                "in": "query",
                "required": False,
                "schema": {"type": "string", "enum": [i.name for i in resource_type.includes]},
            }
        )
    return params


def _body(name, description, schema=None):
    return {
        "required": True,
        "description": description,
        "content": {FHIR_JSON: {"schema": schema or _resource_schema(name)}},
    }


def document(base_url):
    paths = {
        "/metadata": {
            "get": {
                "operationId": "capabilities",
                "summary": "The CapabilityStatement",
                "security": [],
                "responses": {
                    "200": {
                        "description": "OK",
                        "content": {FHIR_JSON: {"schema": _resource_schema("CapabilityStatement")}},
                    }
                },
            }
        }
    }
    for name, rt in sorted(REGISTRY.items()):
        type_path = {}
        if rt.search:
            type_path["get"] = {
                "operationId": f"search{name}",
                "summary": f"Search {name} (Bundle searchset)",
                "description": rt.documentation,
                "parameters": _search_params(rt, in_url=True),
                "responses": _responses("200"),
            }
        if rt.create:
            type_path["post"] = {
                "operationId": f"create{name}",
                "summary": f"Create {name}",
                "description": rt.create_documentation,
                "parameters": [
                    {"name": "If-None-Exist", "in": "header", "required": False, "schema": {"type": "string"}}
                ]
                if rt.conditional_create
                else [],
                "requestBody": _body(name, rt.create_documentation, rt.create_schema),
                "responses": _responses(
                    "201",
                    [
                        ("409", "Conflict"),
                        ("412", "Several matches"),
                        ("415", "Not JSON"),
                        ("422", "Rule or validation"),
                    ],
                ),
            }
        if type_path:
            paths[f"/{name}"] = type_path
        if rt.search:
            form = {
                p["name"]: {"type": "integer", "minimum": 0}
                if p["name"] in ("_count", "_offset")
                else {"type": "string"}
                for p in _search_params(rt)
            }
            paths[f"/{name}/_search"] = {
                "post": {
                    "operationId": f"searchPost{name}",
                    "summary": f"Search {name} with the parameters in the body (national ids, names, birth dates)",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": form}}
                        },
                    },
                    "responses": _responses("200", [("415", "Not form-encoded")]),
                }
            }
        instance = {
            "get": {
                "operationId": f"read{name}",
                "summary": f"Read {name}",
                "parameters": [_id_param()],
                "responses": _responses("200"),
            }
        }
        if rt.update:
            for method in ("put", "patch"):
                instance[method] = {
                    "operationId": f"{method}{name}",
                    "summary": f"{'Update' if method == 'put' else 'Patch'} {name}",
                    "description": rt.update_documentation,
                    "parameters": [_id_param()],
                    "requestBody": {
                        "required": True,
                        "content": {
                            FHIR_JSON: {"schema": {"type": "object"}} if method == "put" else {"schema": {}},
                        }
                        if method == "put"
                        else {
                            "application/json-patch+json": {"schema": {"type": "array", "items": {"type": "object"}}}
                        },
                    },
                    "responses": _responses(
                        "200", [("409", "Conflict"), ("415", "Not JSON"), ("422", "Rule or validation")]
                    ),
                }
        paths[f"/{name}/{{id}}"] = instance
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Heimveg FHIR R4 API",
            "version": "1.0.0",
            "description": "The FHIR endpoints; the CapabilityStatement at /metadata is the full description.",
        },
        "servers": [{"url": base_url}],
        "components": {
            "securitySchemes": {
                "oauth2": {
                    "type": "oauth2",
                    "flows": {
                        "clientCredentials": {
                            "tokenUrl": base_url.rsplit("/fhir", 1)[0] + "/oauth/token/",
                            "scopes": {"system/*.*": "What the organisation may see and do"},
                        }
                    },
                }
            }
        },
        "security": [{"oauth2": ["system/*.*"]}],
        "paths": paths,
    }
