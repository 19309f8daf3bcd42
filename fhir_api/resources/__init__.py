"""The resource table: every resource type the API serves, with its interactions and search
parameters. The request dispatcher, the CapabilityStatement and the OpenAPI document are all
generated from this one table, so what is advertised is what is served."""

from fhir_api.resources import assessment, audit, directory, handover, pathway, patients  # noqa: F401
from fhir_api.resources.base import REGISTRY

__all__ = ["REGISTRY"]
