"""Heimveg's Questionnaires in Helsenorge's renderer: @helsenorge/refero (from npm, pinned in
package.json) renders each Questionnaire as published per language at 375 px, a patient (or a
relative) answers it one page at a time, and the host page adds its fields (status, the
collaboration point, the subject) and posts the QuestionnaireResponse to the FHIR API, which takes
it (201). What Refero sends is read back as the source questionnaire's answers: the slider's
number, Yes/No as True/False, and an untouched yes/no question as no answer at all.

The host page and its bundle (fhir_api/tests/refero/: harness.jsx, built with esbuild by
build.mjs into a temporary directory, once per session) are answered by a Playwright route on the
live server's own origin, so the page calls the API as a same-origin form system would; the
application serves nothing for it. Run alone with `pytest -m browser`.
"""

import datetime
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from accounts.actor import Actor
from accounts.models import Membership, Role, User
from assessment import questionnaires
from assessment.models import QuestionnaireResponse
from conftest import synthetic_id
from directory.models import Organisation
from fhir_api.tests.conftest import register_system, token_for
from fhir_api.tests.test_fhirpy_pathway import POINT_EXTENSION
from lib import nin
from patients.models import Patient, Relative
from testsupport.browser import ASKOY, BROWSER_MARKS, PHONE, axe_violations
from testsupport.enrolling import enrol

pytest_plugins = ["testsupport.browser"]  # the page and national_directory fixtures
pytestmark = BROWSER_MARKS

HARNESS = Path(__file__).resolve().parent / "refero"
NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
HOST_PATH = "/__refero__/"
PAGE = """<!doctype html>
<html lang="{language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Refero</title><link rel="stylesheet" href="harness.css"></head>
<body><main id="form"></main><p id="sent" role="status"></p>
<script type="module" src="harness.js"></script></body></html>"""


@pytest.fixture(scope="session")
def refero_bundle(tmp_path_factory):
    """Refero and the host page bundled by esbuild (node_modules, as package-lock.json pins it)."""
    if not (NODE_MODULES / "@helsenorge" / "refero").is_dir() or not shutil.which("node"):
        pytest.fail("@helsenorge/refero or node is missing: run `make setup` (npm ci) first")
    out = tmp_path_factory.mktemp("refero")
    subprocess.run(["node", str(HARNESS / "build.mjs"), str(out)], check=True, capture_output=True, timeout=300)
    return out


def _serve(page, bundle, language):
    def answer(route):
        name = route.request.url.split(HOST_PATH, 1)[1].split("?")[0] or "index.html"
        if name == "index.html":
            return route.fulfill(body=PAGE.format(language=language), content_type="text/html; charset=utf-8")
        path = (bundle / name).resolve()
        if bundle not in path.parents or not path.is_file():
            return route.fulfill(status=404)
        types = {".js": "text/javascript", ".css": "text/css", ".woff2": "font/woff2", ".woff": "font/woff"}
        return route.fulfill(path=str(path), content_type=types.get(path.suffix, "application/octet-stream"))

    page.context.route(f"**{HOST_PATH}**", answer)


@pytest.fixture
def hospital(national_directory):
    haukeland = Organisation.objects.get(kind=Organisation.Kind.HOSPITAL, name="Haukeland universitetssjukehus")
    nurse = User.objects.create_user(username="sykepleier")
    membership = Membership.objects.create(user=nurse, organisation=haukeland, role=Role.HOSPITAL_CLINICIAN)
    system = register_system(haukeland, Role.HOSPITAL_CLINICIAN, "Helsenorge skjema")
    return Actor(user=nurse, membership=membership), token_for(system)


def _patient(hospital_actor, birth, given):
    patient = Patient.objects.create(
        national_id=synthetic_id(birth),
        national_id_kind=nin.FODSELSNUMMER,
        date_of_birth=birth,
        given_name=given,
        family_name="Fjellheim",
        municipality=Organisation.objects.get(municipality_number=ASKOY),
        registered_by=hospital_actor.membership.organisation,
    )
    return enrol(hospital_actor, patient, days_ago=10).points.get(key="sp1")


def _open(page, live_server, bundle, *, token, point, questionnaire, language, relative=None):
    _serve(page, bundle, language)
    host = {
        "token": token,
        "questionnaire": questionnaire,
        "language": language,
        "patient": str(point.enrolment.patient.public_id),
        "point": str(point.public_id),
        "pointExtension": POINT_EXTENSION,
        "relative": str(relative.public_id) if relative else None,
    }
    page.add_init_script(f"window.referoHost = {json.dumps(host)};")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}{HOST_PATH}index.html")


def _step_title(page):
    return page.locator("h2, h1").first.inner_text()


def _give(page, link_id, value):
    radios = page.locator(f"input[type='radio'][name='{link_id}']")
    slider = page.locator(f"input[type='range'][name='{link_id}']")
    if radios.count():  # yes/no (Y, N) or a choice's code
        page.locator(f"input[name='{link_id}'][value='{value}']").check()
    elif slider.count():  # from the left end, one step a number, as with the keyboard
        slider.focus()
        page.keyboard.press("Home")
        for _ in range(value):
            page.keyboard.press("ArrowRight")
    else:
        page.locator(f"[name='{link_id}']").fill(value)


def _assert_accessible(page):
    """axe-core's WCAG 2.0/2.1 A/AA rules on the step shown (at phone width)."""
    violations = axe_violations(page)
    assert not violations, f"{_step_title(page)}: " + "; ".join(f"{v['id']} on {v['targets'][:3]}" for v in violations)


def answer_and_send(page, plan, texts):
    """Answer the questions of `plan` ({linkId: text, "Y"/"N", a choice's code or the slider's
    number}) as they appear, page by page, and send. Returns the titles of the pages seen. Each
    page fits a 375 px phone without sideways scrolling."""
    given, titles = set(), []
    for _ in range(40):
        page.get_by_test_id("refero-submit-button").wait_for()
        titles.append(_step_title(page))
        width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{titles[-1]} scrolls sideways at {PHONE['width']} px: {width}"
        for link_id, value in plan.items():  # in order: a follow-up shows once its question is answered
            if link_id not in given and page.locator(f"[name='{link_id}']").count():
                _give(page, link_id, value)
                given.add(link_id)
                if link_id.endswith("-help") and len(given) < 4:  # the first follow-up shown: yes/no radios
                    _assert_accessible(page)
        button = page.get_by_test_id("refero-submit-button")
        last = button.inner_text() == texts["send"]
        button.click()
        if last:
            break
        page.wait_for_function("title => document.querySelector('h2, h1').innerText !== title", arg=titles[-1])
    assert given == set(plan), f"never shown: {set(plan) - given}"
    page.get_by_text("sent ").wait_for()
    return titles


TEXTS = {"nb": {"send": "Send inn"}, "nn": {"send": "Send inn"}, "en": {"send": "Send"}}


def _sent(page):
    sent = page.evaluate("window.referoSent")
    assert sent["status"] == 201, sent["body"]
    # Refero's own response is a draft without the host's fields; the host added them.
    assert sent["refero"]["status"] == "in-progress"
    assert "subject" not in sent["refero"]
    return QuestionnaireResponse.objects.get(public_id=sent["body"]["id"])


def test_the_adult_questionnaire_in_bokmal_is_answered_step_by_step_and_taken(
    live_server, hospital, page, refero_bundle
):
    actor, token = hospital
    point = _patient(actor, datetime.date(1958, 9, 2), "Ingrid")
    _open(
        page,
        live_server,
        refero_bundle,
        token=token,
        point=point,
        questionnaire="heimveg-needs-adult-nb",
        language="nb",
    )
    published = questionnaires.publish(questionnaires.get(questionnaires.ADULT), "nb").resource
    assert _step_title(page) == published["item"][0]["text"]
    page.get_by_text("aldri som «nei»").wait_for()  # what an untouched question means

    # The distress page: the slider is required, with Helsenorge's validation text and sublabel.
    page.locator("[name='what-matters']").fill("Å gå tur med hunden igjen")
    page.get_by_test_id("refero-submit-button").click()
    page.locator("input[type='range'][name='distress-score']").wait_for(state="attached")
    # The question's anchors ("0 betyr …, 10 betyr …") are its sublabel; the slider's ends are labelled.
    assert page.get_by_text("0 betyr ikke i det hele tatt, 10 betyr ekstremt mye.", exact=True).is_visible()
    assert page.get_by_text("Ikke i det hele tatt", exact=True).is_visible()
    page.get_by_test_id("refero-submit-button").click()
    assert page.get_by_text("Velg et tall fra 0 til 10.").first.is_visible()
    _assert_accessible(page)

    plan = {
        "distress-score": 7,
        "topic-family": "Y",
        "topic-family-help": "N",
        "topic-work": "N",
        "problem-physical-pain": "Y",
        "problem-physical-pain-help": "Y",
    }
    titles = answer_and_send(page, plan, TEXTS["nb"])
    assert len(titles) == len(published["item"]) - 1  # one step a page (the first was left above)

    saved = _sent(page)
    assert (saved.source, saved.status, saved.distress_score) == ("patient", "completed", 7)
    assert saved.answers["what-matters"] == "Å gå tur med hunden igjen"
    assert {k: saved.answers[k] for k in plan if k != "distress-score"} == {
        "topic-family": True,
        "topic-family-help": False,
        "topic-work": False,
        "problem-physical-pain": True,
        "problem-physical-pain-help": True,
    }
    # Untouched yes/no questions are not answered, not "no".
    assert "topic-finances" not in saved.answers and "problem-physical-sleep" not in saved.answers


def test_the_childrens_questionnaire_in_nynorsk(live_server, hospital, page, refero_bundle):
    actor, token = hospital
    point = _patient(actor, datetime.date(2014, 3, 4), "Oda")
    _open(
        page,
        live_server,
        refero_bundle,
        token=token,
        point=point,
        questionnaire="heimveg-needs-child-nn",
        language="nn",
    )
    published = questionnaires.publish(questionnaires.get(questionnaires.CHILD), "nn").resource
    assert _step_title(page) == published["item"][0]["text"]
    plan = {"answered-by": "together", "distress-score": 3, "topic-family": "Y", "topic-family-help": "N"}
    answer_and_send(page, plan, TEXTS["nn"])
    saved = _sent(page)
    assert (saved.questionnaire_id, saved.distress_score) == (questionnaires.CHILD, 3)
    assert {k: v for k, v in saved.answers.items() if k != "distress-score"} == {
        "answered-by": "together",
        "topic-family": True,
        "topic-family-help": False,
    }


def test_a_relatives_questionnaire_in_english(live_server, hospital, page, refero_bundle):
    actor, token = hospital
    point = _patient(actor, datetime.date(1949, 11, 20), "Per")
    relative = Relative.objects.create(patient=point.enrolment.patient, name="Kari Fjellheim", relation="spouse")
    _open(
        page,
        live_server,
        refero_bundle,
        token=token,
        point=point,
        questionnaire="heimveg-needs-relative-en",
        language="en",
        relative=relative,
    )
    assert _step_title(page) == "What matters to you?"
    plan = {"distress-score": 0, "topic-own-health": "Y", "topic-own-health-help": "Y"}
    answer_and_send(page, plan, TEXTS["en"])
    saved = _sent(page)
    assert (saved.source, saved.relative, saved.distress_score) == ("relative", relative, 0)
    assert saved.answers == {"distress-score": 0, "topic-own-health": True, "topic-own-health-help": True}


def test_every_questionnaire_opens_in_every_language_as_steps(live_server, hospital, page, refero_bundle):
    """All nine (three questionnaires × nb, nn, en): Refero shows the first page in the language,
    as a step with "Next" in the host's words, and no page is one long form."""
    actor, token = hospital
    point = _patient(actor, datetime.date(1958, 9, 2), "Ingrid")
    next_step = {"nb": "Neste", "nn": "Neste", "en": "Next"}
    for published in questionnaires.all_published():
        _open(
            page,
            live_server,
            refero_bundle,
            token=token,
            point=point,
            questionnaire=published.id,
            language=published.language,
        )
        button = page.get_by_test_id("refero-submit-button")
        assert button.inner_text() == next_step[published.language], published.id
        assert _step_title(page) == published.resource["item"][0]["text"], published.id
        assert page.evaluate("document.documentElement.scrollHeight") < 2000, published.id
