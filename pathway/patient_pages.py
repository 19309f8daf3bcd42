"""What the pathway adds to the patients' pages (patients.panels), registered in
PathwayConfig.ready: the patient's pathways, what an organisation without a care relation wrote,
and enrolling from a registration."""

from pathway.models import Enrolment


def own_records(patient, actor):
    """The patient's enrolments on which the actor's organisation wrote timeline entries."""
    enrolments = (
        Enrolment.objects.filter(patient=patient, events__organisation__in=actor.organisation.covered())
        .distinct()
        .order_by("-diagnosis_date")
    )
    return {"enrolments": enrolments}


def register(panels):
    """Fill the patients' slots (`panels` is patients.panels)."""
    panels.patient_sections.register("pathway.enrolments", "pathway/patient_section.html")
    panels.own_records_sections.register("pathway.own_records", "pathway/own_records_section.html", own_records)
    panels.registration_actions.register("pathway.enrol", "pathway/enrol_registration_link.html")
