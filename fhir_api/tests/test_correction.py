"""A corrected completion in the FHIR API: the old Communication is entered-in-error with the
reason, its replacement a Communication of its own that names it (handover.corrections)."""

import datetime

from fhir_api.mapping.common import REPLACES_EXT
from handover import corrections, outbox
from handover.models import HandoverMessage
from pathway import services


def test_the_old_communication_is_entered_in_error_and_the_replacement_names_it(
    fhir_as, enrolment, actor_of, personas, orgs, today
):
    nurse = actor_of(personas["nurse"])
    sp1 = enrolment.points.get(key="sp1")
    services.close_point(nurse, sp1, "completed")
    outbox.deliver_due()
    old = enrolment.handover_messages.get(recipient=orgs["askoy"])
    sp1.refresh_from_db()
    corrections.correct_completion(
        nurse, sp1, on_date=today - datetime.timedelta(days=2), place="Room 4", reason="Wrong date.", seen=0
    )
    outbox.deliver_due()
    new = HandoverMessage.objects.get(replaces=old)
    api = fhir_as("municipality")

    previous = api.get(f"Communication/{old.public_id}").json
    assert previous["status"] == "entered-in-error"
    assert previous["statusReason"]["text"] == "Wrong date."
    current = api.get(f"Communication/{new.public_id}").json
    assert current["status"] == "in-progress"
    assert {"url": REPLACES_EXT, "valueReference": {"reference": f"Communication/{old.public_id}"}} in current[
        "extension"
    ]
    recipient = f"Organization/{orgs['askoy'].public_id}"
    assert api.get("Communication", {"recipient": recipient, "status": "entered-in-error"}).ids() == [
        str(old.public_id)
    ]
    assert api.get("Communication", {"recipient": recipient, "status": "in-progress"}).ids() == [str(new.public_id)]
