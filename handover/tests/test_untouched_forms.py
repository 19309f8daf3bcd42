"""Nothing changes a patient's record unless it was asked for: every form of the pathway page, the
patient's pages and the assessment's "Complete the assessment", submitted untouched (with what the
page preselected) or empty, leaves the points, the enrolment, the timeline and the patient as
they were, and writes no handover message. (The invitation box is not on these pages: the patient
has no phone or e-mail, so it offers no form; sending an invitation is what its button asks for.)"""

import html.parser

import pytest
from django.forms.models import model_to_dict

from assessment import services as assessment_services
from assessment.models import Assessment
from handover.models import HandoverMessage
from pathway.models import CollaborationPoint, Enrolment, PathwayEvent
from pathway.tests.test_pages import enrol_today
from patients.models import Patient

SKIPPED = ("/accounts/", "/i18n/")  # the header's sign-out, organisation and language forms


class _Forms(html.parser.HTMLParser):
    """The POST forms of a page with what a browser sends when their button is clicked untouched."""

    def __init__(self):
        super().__init__()
        self.forms, self._form, self._select, self._textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action") or "", "data": []}
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self._form["data"].append((a["name"], a.get("value", "on")))
            elif kind not in ("submit", "button"):
                self._form["data"].append((a["name"], a.get("value", "")))
        elif tag == "select":
            self._select = {"name": a.get("name"), "first": None, "selected": None}
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._select["first"] is None:
                self._select["first"] = value
            if "selected" in a:
                self._select["selected"] = value
        elif tag == "textarea":
            self._textarea = [a.get("name"), ""]
        elif tag == "button" and a.get("name"):
            self._form.setdefault("button", (a["name"], a.get("value", "")))

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if self._form is None:
            return
        if tag == "select" and self._select is not None:
            chosen = self._select["selected"] if self._select["selected"] is not None else self._select["first"]
            self._form["data"].append((self._select["name"], chosen or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self._form["data"].append((self._textarea[0], self._textarea[1].lstrip("\n")))
            self._textarea = None
        elif tag == "form":
            self.forms.append(self._form)
            self._form = None


def post_forms(page, url):
    parser = _Forms()
    parser.feed(page)
    forms = [f for f in parser.forms if not f["action"].startswith(SKIPPED)]
    for form in forms:
        form["action"] = form["action"] or url
        data = {}
        for name, value in form["data"]:
            data.setdefault(name, []).append(value)
        form["data"] = {k: v if len(v) > 1 else v[0] for k, v in data.items() if k != "csrfmiddlewaretoken"}
    return forms


def state():
    """Everything a form could change that matters to the patient's record."""
    return {
        "points": [model_to_dict(p) for p in CollaborationPoint.objects.order_by("pk")],
        "enrolments": [model_to_dict(e) for e in Enrolment.objects.order_by("pk")],
        "events": list(PathwayEvent.objects.order_by("pk").values_list("pk", "kind")),
        "messages": HandoverMessage.objects.count(),
        "patients": [model_to_dict(p) for p in Patient.objects.order_by("pk")],
        "assessments": list(Assessment.objects.values_list("pk", "completed_at")),
    }


def submit_every_form(client, url, *, must_include=()):
    page = client.get(url).content.decode()
    forms = post_forms(page, url)
    actions = [f["action"] for f in forms]
    for part in must_include:
        assert any(part in action for action in actions), (part, actions)
    for form in forms:
        extra = dict([form["button"]]) if "button" in form else {}
        for data in ({**form["data"], **extra}, extra):  # untouched, then empty
            before = state()
            response = client.post(form["action"], data)
            assert response.status_code in (200, 302), (form["action"], response.status_code)
            assert state() == before, f"{form['action']} with {data} changed the record"
    return forms


@pytest.fixture
def enrolled(actor_of, personas, patient):
    """SP1 held by the hospital, in its window; the patient's answer not yet recorded."""
    return enrol_today(actor_of(personas["nurse"]), patient)


@pytest.mark.parametrize("offer", ["not_asked", "accepted"])
def test_every_form_of_the_pathway_page_submitted_untouched_or_empty_changes_nothing(
    client_for, actor_of, personas, patient, offer
):
    nurse = actor_of(personas["nurse"])
    enrolment = enrol_today(nurse, patient, offer=offer)
    sp1 = enrolment.points.get(key="sp1")
    from pathway import services

    services.assign_point(nurse, sp1, personas["nurse"])  # an assignment the form then preselects
    client = client_for(personas["nurse"])
    url = f"/pathway/enrolments/{enrolment.public_id}/"
    forms = submit_every_form(
        client, url, must_include=["/book/", "/close/", "/assign/", "/withdraw/", "/correction/", "/offer/"]
    )
    assert len(forms) >= 6


def test_the_municipality_s_forms_change_nothing_untouched(client_for, actor_of, personas, patient):
    enrolment = enrol_today(actor_of(personas["nurse"]), patient, offer="accepted")
    client = client_for(personas["coordinator"])
    submit_every_form(
        client,
        f"/pathway/enrolments/{enrolment.public_id}/",
        must_include=["/close/", "/contact-person/", "/withdraw/"],
    )


def test_the_patient_s_pages_change_nothing_untouched(client_for, personas, enrolled, patient):
    client = client_for(personas["nurse"])
    submit_every_form(client, f"/patients/{patient.public_id}/edit/", must_include=["/edit/"])
    submit_every_form(client, f"/patients/{patient.public_id}/relatives/new/")
    page = client.get(f"/patients/{patient.public_id}/").content.decode()
    for form in post_forms(page, f"/patients/{patient.public_id}/"):
        before = state()
        client.post(form["action"], form["data"])
        assert state() == before


def test_complete_the_assessment_untouched_completes_nothing(client_for, actor_of, personas, enrolled):
    sp1 = enrolled.points.get(key="sp1")
    assessment_services.start_assessment(actor_of(personas["nurse"]), sp1)
    client = client_for(personas["nurse"])
    url = f"/assessment/points/{sp1.public_id}/"
    page = client.get(url).content.decode()
    forms = [f for f in post_forms(page, url) if f["action"] == url and "summary" in f["data"]]
    assert forms, "the assessment form"
    for data in ({**forms[0]["data"], "summary": "Talked.", "step": "complete"}, {"step": "complete"}):
        before = state()
        response = client.post(url, data)
        assert response.status_code in (200, 302)
        after = state()
        assert after["points"] == before["points"] and after["enrolments"] == before["enrolments"]
        assert after["events"] == before["events"] and after["messages"] == before["messages"]
        assert not Assessment.objects.get().is_completed
