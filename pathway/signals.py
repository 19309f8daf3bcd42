"""Signals the pathway sends for other modules to act on, inside the transaction of the change."""

from django.dispatch import Signal

# sender=CollaborationPoint; kwargs: actor, point, handover (a services.HandoverChoice), request.
# The handover module writes its messages here, so they commit or roll back with the completion.
point_completed = Signal()
