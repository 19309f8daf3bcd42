"""What the demo must show, whatever the day it is built for (test_demo.py checks them on the
pinned day, test_demo_any_day.py on a sample of days around a whole year)."""

import datetime

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from accounts.models import Membership, Role, User
from directory.models import ContactPoint, Organisation
from lib import nin
from patients.models import Patient, Relative


def quietly(name, *args, **options):
    call_command(name, *args, stdout=open("/dev/null", "w"), **options)


def counts():
    return (
        Patient.objects.count(),
        Relative.objects.count(),
        ContactPoint.objects.count(),
        Membership.objects.count(),
    )


def regions_roles_and_relatives():
    # The demo's own patients; the reports' history (synthetic.demo_reports) lives in the other
    # municipalities of the two health communities.
    own = Patient.objects.exclude(email__startswith="historikk")
    municipalities = set(own.values_list("municipality__name", flat=True))
    assert municipalities == {"Askøy", "Voss", "Ålesund", "Molde"}
    history = set(Patient.objects.filter(email__startswith="historikk").values_list("municipality__name", flat=True))
    assert {"Bergen", "Øygarden", "Ålesund"} - {"Ålesund"} <= history and not history & municipalities
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    assert Relative.objects.filter(is_child=True).exists()
    trusts_with_points = set(ContactPoint.objects.values_list("organisation__name", flat=True))
    assert {"Helse Bergen HF", "Helse Møre og Romsdal HF", "Askøy", "Voss", "Ålesund", "Molde"} <= trusts_with_points


def contact_persons_and_a_move():
    from pathway.models import Enrolment, PathwayEvent
    from patients.access import author_relation_q, care_relation_q

    assert Enrolment.objects.filter(contact_person__isnull=False).exists()
    moves = PathwayEvent.objects.filter(kind=PathwayEvent.Kind.MOVED).select_related("organisation", "enrolment")
    assert moves.exists()
    reading_own_entries = [
        move
        for move in moves
        if Patient.objects.filter(pk=move.enrolment.patient_id).filter(author_relation_q(move.organisation)).exists()
        and not Patient.objects.filter(pk=move.enrolment.patient_id).filter(care_relation_q(move.organisation)).exists()
    ]
    assert reading_own_entries


def answers_from_home_and_completed_assessments():
    from assessment.models import Assessment, FollowUp, QuestionnaireResponse

    from_home = QuestionnaireResponse.objects.filter(source="patient", status="completed")
    assert from_home.filter(point__outcome="").exists()  # waiting for the conversation
    assert Assessment.objects.filter(completed_at__isnull=False).count() == (
        Assessment.objects.filter(point__outcome="completed").count()
    )
    assert FollowUp.objects.exists()
    assert not Patient.objects.exclude(email__endswith="@example.test").exclude(national_id_kind="dnr").exists()


def every_number_synthetic():
    for number in Patient.objects.values_list("national_id", flat=True):
        assert nin.parse(number, allow_synthetic=True).synthetic


def handover_messages_in_every_state(today, now):
    from handover import services
    from handover.models import Delivery, HandoverMessage
    from pathway.models import CollaborationPoint, PathwayEvent

    messages = HandoverMessage.objects.all()
    count = messages.count()
    completed_hospital_points = CollaborationPoint.objects.filter(outcome="completed", care_level="hospital")
    assert completed_hospital_points.exists()
    assert not completed_hospital_points.filter(handover_messages__isnull=True).exists()
    assert messages.filter(kind="transfer").count() == PathwayEvent.objects.filter(kind="moved").count() > 0
    # Written when the point was completed, not when the demo was loaded.
    point_messages = messages.filter(kind="point_completed", delivered_at__isnull=False)
    assert all(m.created_at.date() >= m.point.outcome_on for m in point_messages)
    assert point_messages.filter(created_at__lt=now - datetime.timedelta(days=30))
    assert point_messages.filter(content__assessment__isnull=False).exists()
    # Nothing is dated after the day the demo is built for.
    for message in messages:
        for moment in (message.created_at, message.delivered_at, message.acknowledged_at, message.failed_at):
            assert moment is None or timezone.localdate(moment) <= today, (message.kind, moment)

    haukeland = Organisation.objects.get(name="Haukeland universitetssjukehus")
    sent_states = {m.status for m in services.sent(haukeland)}
    assert sent_states == set(HandoverMessage.Status.values)

    askoy = Organisation.objects.get(name="Askøy")
    waiting = [m for m in services.inbox(askoy) if m.acknowledged_at is None]
    assert len(waiting) >= 3
    assert any(m.is_overdue(today) for m in waiting) and any(not m.is_overdue(today) for m in waiting)
    assert services.alerts(askoy, today).exists() and services.alerts(haukeland, today).exists()
    assert 3 <= sum(m.is_overdue(today) for m in messages) <= 6

    acknowledged = messages.filter(acknowledged_at__isnull=False)
    assert acknowledged.count() > count / 2
    assert not acknowledged.filter(acknowledged_by_name="").exists()
    assert all(m.delivered_at < m.acknowledged_at for m in acknowledged)
    assert acknowledged.filter(recipient=askoy, acknowledged_by__username="koordinator.askoy").exists()

    failed = Delivery.objects.get(status="failed")
    assert failed.channel == "email" and failed.attempts == settings.HANDOVER_MAX_ATTEMPTS
    assert failed.last_error.startswith("SMTPServerDisconnected") and failed.message.failed_at
    # Only the message just sent waits in the outbox: the console e-mails stay few at `make run`.
    assert set(Delivery.objects.filter(status="pending").values_list("message__pk", flat=True)) == {
        m.pk for m in messages if m.status == "sending"
    }

    assert messages.exclude(note="").values("point").distinct().count() >= 2
    declined = messages.get(sharing_declined=True)
    assert declined.reason == "municipality" and declined.content["assessment"] is None
    assert PathwayEvent.objects.filter(kind="sharing_declined", point=declined.point).exists()


def the_analyst_has_a_report_with_real_volumes(client):
    """Analytiker.bergen's default report (the health community of Helse Bergen, last 12 months)
    has figures to read, not only "<5"."""
    client.force_login(User.objects.get(username="analytiker.bergen"))
    response = client.get("/reports/")
    assert response.status_code == 200
    report = response.context["report"]
    assert report.scope.label == "Health community of Helse Bergen HF"
    enrolled = report.table("enrolments").rows[-1].cells[-1]
    assert not enrolled.hidden and enrolled.value >= 100
    comparison = report.table("comparison")
    shown = [row for row in comparison.rows if not row.cells[3].hidden and row.cells[3].value is not None]
    assert len(shown) >= 5  # several municipalities to compare with the community's average


def built_around(today):
    """Nothing in the demo lies after its day, and its newest diagnoses are from the days before."""
    from pathway.models import Enrolment

    assert not Enrolment.objects.filter(diagnosis_date__gt=today).exists()
    newest = Enrolment.objects.order_by("-diagnosis_date").values_list("diagnosis_date", flat=True).first()
    assert (today - newest).days <= 20


def every_clinical_login_sees_its_patients():
    """Each demo login in a clinical role has patients on its list for every organisation it acts
    for, under the care relation rule (patients/relations.py)."""
    from accounts.actor import Actor
    from accounts.models import CLINICAL_ROLES
    from patients.access import visible_patients
    from synthetic.demo import USERS

    usernames = [spec.username for spec in USERS]
    memberships = Membership.objects.filter(user__username__in=usernames, role__in=CLINICAL_ROLES)
    assert memberships.count() >= 10
    for membership in memberships.select_related("user", "organisation"):
        actor = Actor(user=membership.user, membership=membership)
        assert visible_patients(actor).count() >= 3, (membership.user.username, membership.organisation.name)


def example_pathways_on_the_worklists(client, today):
    """The example pathways are enabled where they belong, through pathway.enabling (the hospital's
    admin, audited), and the logins of the home services and the nursing home have points on their
    worklists, as the hospital has the local variant's own point: a visitor meets them."""
    from audit.models import AuditEntry
    from pathway import enabling, worklists
    from pathway.definitions import get_definition
    from pathway.models import DefinitionEnabling
    from synthetic.demo import EXAMPLES_HOSPITAL, LOCAL_VARIANT, PALLIATIVE

    hospital = Organisation.objects.get(name=EXAMPLES_HOSPITAL)
    assert {PALLIATIVE, LOCAL_VARIANT} <= enabling.enabled_keys(hospital)
    enabled = DefinitionEnabling.objects.filter(organisation=hospital).values_list(
        "definition_key", "enabled_by__username"
    )
    assert set(enabled) == {(PALLIATIVE, "admin.haukeland"), (LOCAL_VARIANT, "admin.haukeland")}
    logged = AuditEntry.objects.filter(object_type="pathway_definition").values_list("username", "detail")
    assert set(logged) == {
        ("admin.haukeland", f"{PALLIATIVE} enabled"),
        ("admin.haukeland", f"{LOCAL_VARIANT} enabled"),
    }
    # (login, organisation it acts for, the point it has on its worklist, a status it stands at)
    expected = [
        ("hjemmetjeneste.askoy", "Askøy heimeteneste", PALLIATIVE, "pc2", "overdue"),
        ("hjemmetjeneste.askoy", "Askøy heimeteneste", PALLIATIVE, "pc2", "due"),
        ("sykehjem.askoy", "Fjordly sjukeheim", PALLIATIVE, "pc3", "due"),
        ("sykepleier.haukeland", EXAMPLES_HOSPITAL, PALLIATIVE, "pc1", "due"),
        ("sykepleier.haukeland", EXAMPLES_HOSPITAL, LOCAL_VARIANT, "local_call", "due"),
        ("sykepleier.haukeland", EXAMPLES_HOSPITAL, LOCAL_VARIANT, "local_call", "overdue"),
        ("koordinator.askoy", "Askøy", LOCAL_VARIANT, "sp2", "due"),
    ]
    for username, org_name, key, point_key, status in expected:
        organisation = Organisation.objects.get(name=org_name)
        points = worklists.open_points(organisation, today, status=status, point_key=point_key)
        assert points.filter(enrolment__definition__key=key).exists(), (username, point_key, status)
        membership = Membership.objects.get(user__username=username, organisation=organisation)
        assert membership.role == Role.MUNICIPAL_COORDINATOR or organisation.kind == Organisation.Kind.HOSPITAL
    # The page itself, as the logins of the home services and the nursing home see it.
    for username, key, point_key in (
        ("hjemmetjeneste.askoy", PALLIATIVE, "pc2"),
        ("sykehjem.askoy", PALLIATIVE, "pc3"),
    ):
        client.force_login(User.objects.get(username=username))
        page = client.get("/pathway/worklist/").content.decode()
        title = next(p.title for p in get_definition(key).points if p.key == point_key)
        assert any(text in page for text in title.values()), username


def built_through_the_products_rules():
    """The demo goes through the product's services and rule modules, not around them, so that a
    change to a rule changes the demo too (issue 18): each check recomputes with the product's
    function and compares."""
    acknowledged_through_the_service()
    windows_from_the_pathways_rule()
    diagnosis_names_from_the_icd10_list()
    due_dates_from_handovers_rule()
    scores_from_the_scoring_rule()


def acknowledged_through_the_service():
    """Every acknowledged message of the demo's own patients was acknowledged by handover's
    service: by a user of the receiver, under the name the service writes, with its audit entry
    (one per acknowledgement) and its timeline line naming the receiver. The reports' history
    (patients "historikk…") is an import of earlier records and is not acknowledged in Heimveg."""
    from collections import Counter

    from audit.models import AuditEntry
    from handover import content
    from handover.models import HandoverMessage
    from pathway.models import PathwayEvent

    acknowledged = (
        HandoverMessage.objects.filter(acknowledged_at__isnull=False)
        .exclude(enrolment__patient__email__startswith="historikk")
        .select_related("acknowledged_by", "recipient", "sender", "enrolment__patient")
    )
    assert acknowledged.count() >= 30
    by_user_and_patient = Counter()
    for message in acknowledged:
        user = message.acknowledged_by
        assert user is not None, message.pk
        assert message.acknowledged_by_name == content.person_name(user)
        assert user.memberships.filter(organisation=message.recipient).exists()
        by_user_and_patient[user.pk, message.enrolment.patient.public_id] += 1
    entries = AuditEntry.objects.filter(action="update", object_type="handover_message", detail="acknowledged")
    assert Counter(entries.values_list("user_id", "patient_public_id")) == by_user_and_patient
    lines = PathwayEvent.objects.filter(kind=PathwayEvent.Kind.HANDOVER_ACKNOWLEDGED).exclude(
        enrolment__patient__email__startswith="historikk"
    )
    assert Counter((e.enrolment_id, e.data["by"], e.data["from"]) for e in lines) == Counter(
        (m.enrolment_id, m.recipient.name, m.sender.name) for m in acknowledged
    )


def windows_from_the_pathways_rule():
    """Every enrolment's points have the windows the pathway's rule gives for its diagnosis date
    (pathway.services.windows, counted on from the events recorded and the points already
    closed), the reports' history included."""
    from pathway import schedule
    from pathway import services as pathway_services
    from pathway.models import Enrolment, PathwayEvent

    enrolments = Enrolment.objects.select_related("definition", "enrolling_organisation").prefetch_related("points")
    events = {}  # the events recorded on each pathway (the example pathways count points from them)
    for enrolment_id, data, on_date in PathwayEvent.objects.filter(kind=PathwayEvent.Kind.EVENT_RECORDED).values_list(
        "enrolment_id", "data", "on_date"
    ):
        events.setdefault(enrolment_id, {})[data["event"]] = on_date
    checked = 0
    for enrolment in enrolments:
        points = list(enrolment.points.all())
        completions = schedule.anchor_dates({p.key: (p.outcome, p.outcome_on) for p in points})
        rule = pathway_services.windows(enrolment, events.get(enrolment.pk), completions=completions)
        stored = {p.key: (p.window_opens, p.window_closes) if p.window_opens else None for p in points}
        assert stored == rule, (enrolment.pk, enrolment.diagnosis_date, stored, rule)
        checked += 1
    assert checked >= 1000  # the demo's own patients and the history


def diagnosis_names_from_the_icd10_list():
    from pathway import icd10
    from pathway.models import Enrolment

    codes = Enrolment.objects.values_list("icd10_code", "icd10_name").distinct()
    assert len(codes) >= 5
    for code, name in codes:
        assert name and name == icd10.name(code), (code, name)


def due_dates_from_handovers_rule():
    """Every delivered message is due the number of working days handover's rule gives."""
    from handover import rules
    from handover.models import HandoverMessage

    delivered = HandoverMessage.objects.filter(delivered_at__isnull=False).values_list("delivered_at", "acknowledge_by")
    assert len(delivered) >= 1000
    days = settings.HANDOVER_ACKNOWLEDGE_WORKING_DAYS
    for delivered_at, due in delivered:
        assert due == rules.add_working_days(timezone.localdate(delivered_at), days), (delivered_at, due)


def scores_from_the_scoring_rule():
    """Every completed response holds the scores assessment's rule gives its answers."""
    from assessment import scoring
    from assessment.models import QuestionnaireResponse

    responses = QuestionnaireResponse.objects.filter(status="completed")
    assert responses.count() >= 1000
    for response in responses:
        result = scoring.score(response.questionnaire, response.answers)
        assert response.distress_score == result.distress_score
        assert response.areas == [a.code for a in result.areas]
        assert response.help_areas == [a.code for a in result.help_wanted]
