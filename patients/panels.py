"""What outer apps add to the patients' pages, without the patients app importing them or its
templates naming theirs (docs/architecture.md: inner layers never import outer ones).

An outer app registers a panel, its own template and a function of the slot's arguments that
makes the template's context (lib.slots), in its AppConfig.ready:

    panels.patient_sections.register("pathway.enrolments", "pathway/patient_section.html")

The pages render a slot with `{% patient_panels "patient_sections" patient=patient actor=actor %}`
(the `patients` template tags): the panels in the order they were registered, nothing if none.
"""

from lib.slots import Slot

# (patient, actor): sections of the patient page, after the patient's details (the pathway).
patient_sections = Slot("patients.patient_sections")
# (patient, actor): what the organisation wrote, on the page of a patient it no longer has a care
# relation with (the pathway: the enrolments it wrote timeline entries on).
own_records_sections = Slot("patients.own_records_sections")
# (registration, actor): the actions offered on the page of the organisation's own registration
# of a person (the pathway: enrol from the registration).
registration_actions = Slot("patients.registration_actions")

SLOTS = {
    slot.name.removeprefix("patients."): slot for slot in (patient_sections, own_records_sections, registration_actions)
}
