"""Signals the pathway sends for other modules to act on, inside the transaction of the change."""

from django.dispatch import Signal

# sender=CollaborationPoint; kwargs: actor, point, handover (a services.HandoverChoice), request.
# The handover module writes its messages here, so they commit or roll back with the completion.
point_completed = Signal()

# sender=Enrolment; kwargs: actor, enrolment, event (the timeline entry of the decline), request.
# Sent once for each decline (an answer that changes to declined), inside the transaction that
# recorded it: the handover module tells the patient's GP office.
offer_declined = Signal()
