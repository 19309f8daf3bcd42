"""Errors as FHIR OperationOutcome: one exception type carrying the HTTP status, the issue code
and a human-readable message (already translated into the requester's language)."""

from fhir.resources.R4B.operationoutcome import OperationOutcome


class FhirError(Exception):
    def __init__(self, status, diagnostics, *, code="processing", severity="error", headers=None, expression=None):
        super().__init__(str(diagnostics))
        self.status = status
        self.diagnostics = str(diagnostics)
        self.code = code
        self.severity = severity
        self.headers = headers or {}
        self.expression = expression


def operation_outcome(diagnostics, *, code="processing", severity="error", expression=None) -> OperationOutcome:
    issue = {"severity": severity, "code": code, "diagnostics": str(diagnostics)}
    if expression:
        issue["expression"] = [expression]
    return OperationOutcome.model_validate({"resourceType": "OperationOutcome", "issue": [issue]})


def bad_request(message, **kwargs):
    return FhirError(400, message, code=kwargs.pop("code", "invalid"), **kwargs)


def forbidden(message):
    return FhirError(403, message, code="forbidden")


def not_found(message):
    return FhirError(404, message, code="not-found")


def conflict(message):
    return FhirError(409, message, code="conflict")


def precondition_failed(message):
    return FhirError(412, message, code="multiple-matches")


def unprocessable(message, *, expression=None, code="business-rule"):
    return FhirError(422, message, code=code, expression=expression)
