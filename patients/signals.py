"""Signals other apps react to (the pathway moves points when a patient moves, and closes the
pathway when a patient dies). Sent inside the transaction that made the change."""

from django.dispatch import Signal

# sender=Patient; kwargs: actor, patient, old_municipality
patient_moved = Signal()
# sender=Patient; kwargs: actor, patient
patient_died = Signal()
