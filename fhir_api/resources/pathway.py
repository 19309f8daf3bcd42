"""PlanDefinition, EpisodeOfCare, CarePlan and Task: read and search; EpisodeOfCare create and
Task update are in fhir_api.writes."""

from django.db.models import Prefetch, Q

from fhir_api import search
from fhir_api.mapping import pathway as mapping
from fhir_api.mapping.common import ICD10, PATHWAY_DEFINITION_URL
from fhir_api.resources import common
from fhir_api.resources.base import Include, ResourceType, SearchParam, parse_uuid, register, unknown
from fhir_api.resources.common import POINT_RELATED
from fhir_api.writes import enrolment as enrolment_writes
from fhir_api.writes import task as task_writes
from pathway.definitions import all_definitions
from pathway.models import CollaborationPoint, Enrolment

# --- PlanDefinition ------------------------------------------------------------------------------


def _definitions():
    return sorted(all_definitions().values(), key=lambda d: d.key)


def read_definition(context, value):
    found = next((d for d in _definitions() if d.key == value), None)
    if found is None:
        raise unknown("PlanDefinition", value)
    return found


def _definition_url(items, values, context):
    wanted = {v.split("|")[0] for v in values}
    return [d for d in items if f"{PATHWAY_DEFINITION_URL}/{d.key}" in wanted]


register(
    ResourceType(
        name="PlanDefinition",
        documentation="A pathway definition (every definition Heimveg reads, shipped and the installation's own): "
        "one action per collaboration point.",
        to_resource=mapping.plan_definition,
        read=read_definition,
        search=lambda context: _definitions(),
        params=(SearchParam("url", "uri", "The canonical URL.", _definition_url),),
    )
)

# --- EpisodeOfCare and CarePlan -------------------------------------------------------------------

ENROLMENT_RELATED = (
    "patient__municipality",
    "patient__gp_office",
    "patient__registered_by",
    "definition",
    "enrolling_organisation",
    "contact_person",
)


def _enrolments(context):
    return (
        Enrolment.objects.filter(patient__in=common.visible_patients(context))
        .select_related(*ENROLMENT_RELATED)
        .order_by("pk")
    )


def _read_enrolment(context, value, resource_type, object_type):
    enrolment = (
        Enrolment.objects.select_related(*ENROLMENT_RELATED).filter(public_id=parse_uuid(value, resource_type)).first()
    )
    if enrolment is None:
        raise unknown(resource_type, value)
    enrolment.patient = common.open_patient(context, enrolment.patient, object_type)
    return enrolment


EPISODE_STATUS = {
    "planned": Q(ended_at__isnull=True, offer="not_asked"),
    "active": Q(ended_at__isnull=True, offer="accepted"),
    "onhold": Q(ended_at__isnull=True, offer="declined"),
    "finished": Q(ended_at__isnull=False) & ~Q(end_reason="withdrawn"),
    "cancelled": Q(ended_at__isnull=False, end_reason="withdrawn"),
}


def _episode_status(items, values, context):
    return items.filter(search.any_of(values, lambda v: EPISODE_STATUS.get(search.token(v)[1], Q(pk__in=[]))))


def _diagnosis_code(items, values, context):
    def make_q(value):
        system, code = search.token(value)
        if system not in (None, ICD10) or not code:
            return Q(pk__in=[])
        return Q(icd10_code__iexact=code)

    return items.filter(search.any_of(values, make_q))


def _diagnosis_date(items, values, context):
    return items.filter(search.any_of(values, lambda v: search.date_q(v, "diagnosis_date")))


EPISODE_PARAMS = (
    SearchParam("_id", "token", "The enrolment's id.", common.id_param("public_id", "EpisodeOfCare")),
    SearchParam(
        "patient", "reference", "The patient (Patient/id).", common.reference_param("patient__public_id", "Patient")
    ),
    SearchParam(
        "patient.identifier",
        "token",
        "The patient's national identity number, as system|value (chained search).",
        common.patient_identifier_param("patient__"),
        sensitive=True,
    ),
    SearchParam(
        "status",
        "token",
        "planned (offer not yet asked), active (accepted), onhold (declined), finished, cancelled (withdrawn).",
        _episode_status,
    ),
    SearchParam(
        "organization",
        "reference",
        "The enrolling organisation (Organization/id).",
        common.reference_param("enrolling_organisation__public_id", "Organization"),
    ),
    SearchParam("diagnosis-code", "token", f"The ICD-10 code of the diagnosis ({ICD10}).", _diagnosis_code),
    SearchParam("diagnosis-date", "date", "The date of the diagnosis.", _diagnosis_date),
)


def _audit_enrolments(resource_type):
    return lambda context, objects, included: common.audit_list(
        context, resource_type, [e.patient.public_id for e in objects]
    )


register(
    ResourceType(
        name="EpisodeOfCare",
        documentation="An enrolment in the pathway. The diagnosis is a contained Condition (ICD-10 code, "
        "onsetDateTime = the date of diagnosis).",
        to_resource=mapping.episode_of_care,
        read=lambda context, value: _read_enrolment(context, value, "EpisodeOfCare", "enrolment"),
        search=_enrolments,
        audit_search=_audit_enrolments("EpisodeOfCare"),
        params=EPISODE_PARAMS,
        create=enrolment_writes.create,
        create_documentation=enrolment_writes.DOCUMENTATION,
        conditional_create=True,
    )
)


def _care_plans(context):
    """Enrolments with their points, one query for the points of a whole page."""
    points = CollaborationPoint.objects.select_related("responsible_organisation").order_by("sequence")
    return _enrolments(context).prefetch_related(Prefetch("points", queryset=points, to_attr="prefetched_points"))


def _care_plan(enrolment):
    points = getattr(enrolment, "prefetched_points", None)
    if points is None:
        points = list(enrolment.points.select_related("responsible_organisation").order_by("sequence"))
    return mapping.care_plan(enrolment, points)


register(
    ResourceType(
        name="CarePlan",
        documentation="The plan of an enrolment: one activity per collaboration point (the Tasks).",
        to_resource=_care_plan,
        read=lambda context, value: _read_enrolment(context, value, "CarePlan", "enrolment"),
        search=_care_plans,
        audit_search=_audit_enrolments("CarePlan"),
        params=EPISODE_PARAMS[:2],
    )
)

# --- Task ----------------------------------------------------------------------------------------


def read_task(context, value):
    point = (
        CollaborationPoint.objects.select_related(*POINT_RELATED).filter(public_id=parse_uuid(value, "Task")).first()
    )
    if point is None:
        raise unknown("Task", value)
    point.enrolment.patient = common.open_patient(context, point.enrolment.patient, "collaboration_point")
    return point


def _tasks(context):
    return (
        CollaborationPoint.objects.filter(enrolment__patient__in=common.visible_patients(context))
        .select_related(*POINT_RELATED)
        .order_by("window_opens", "pk")
    )


def _task_status_q(value, today):
    code = search.token(value)[1]
    return {
        "completed": Q(outcome="completed"),
        "cancelled": Q(outcome="cancelled"),
        "rejected": Q(outcome="not_wanted"),
        "requested": Q(outcome="") & (Q(window_opens__isnull=True) | Q(window_opens__gt=today)),
        "ready": Q(outcome="", window_opens__lte=today),
    }.get(code, Q(pk__in=[]))


def _task_status(items, values, context):
    return items.filter(search.any_of(values, lambda v: _task_status_q(v, context.today)))


def _task_period(items, values, context):
    return items.filter(search.any_of(values, lambda v: search.period_q(v, "window_opens", "window_closes"))).filter(
        window_opens__isnull=False
    )


def _owner(items, values, context):
    def make_q(value):
        return Q(responsible_organisation__public_id=search.reference(value, "Organization"))

    return items.filter(search.any_of(values, make_q))


register(
    ResourceType(
        name="Task",
        documentation="A collaboration point: owner = the responsible organisation, restriction.period = the "
        "window, businessStatus = waiting/planned/due/overdue or the outcome.",
        to_resource=lambda point: mapping.task(point),
        read=read_task,
        search=_tasks,
        audit_search=lambda context, objects, included: common.audit_list(
            context, "Task", [p.enrolment.patient.public_id for p in objects]
        ),
        params=(
            SearchParam("_id", "token", "The collaboration point's id.", common.id_param("public_id", "Task")),
            SearchParam("owner", "reference", "The responsible organisation (Organization/id): the worklist.", _owner),
            SearchParam(
                "status",
                "token",
                "requested (window not yet open), ready (window open or passed), completed, cancelled, "
                "rejected (not wanted by the patient).",
                _task_status,
            ),
            SearchParam(
                "period",
                "date",
                "The window (restriction.period): ge/le/eq a date, e.g. period=ge2026-01-01&period=le2026-03-31.",
                _task_period,
            ),
            SearchParam(
                "patient",
                "reference",
                "The patient (Patient/id).",
                common.reference_param("enrolment__patient__public_id", "Patient"),
            ),
            SearchParam(
                "based-on",
                "reference",
                "The enrolment's CarePlan (CarePlan/id).",
                common.reference_param("enrolment__public_id", "CarePlan"),
            ),
        ),
        includes=(Include("Task:patient", "Patient", lambda points: [p.enrolment.patient for p in points]),),
        update=task_writes.update,
        update_documentation=task_writes.DOCUMENTATION,
    )
)
