from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HandoverConfig(AppConfig):
    name = "handover"
    verbose_name = _("Handover")

    def ready(self):
        from handover import channels, panels, previews, services
        from pathway import confirmation
        from pathway import panels as pathway_panels
        from pathway import signals as pathway_signals
        from patients import signals as patient_signals

        channels.check_configuration()
        pathway_signals.point_completed.connect(services.on_point_completed, dispatch_uid="handover-point")
        pathway_signals.offer_declined.connect(services.on_offer_declined, dispatch_uid="handover-offer-declined")
        # Connected after the pathway's own receivers (this app comes later in INSTALLED_APPS), so
        # the points have moved and the pathway has ended when these run.
        patient_signals.patient_moved.connect(services.on_patient_moved, dispatch_uid="handover-moved")
        patient_signals.patient_died.connect(services.on_patient_died, dispatch_uid="handover-died")
        # Handover's panels on the pathway page, the assessment page and the worklist.
        panels.register(pathway_panels)
        # The confirmation page of an irreversible change lists the messages it would send.
        confirmation.register_messages(
            confirmation.MessageSource(newest=previews.newest, written=previews.written, shown=previews.shown)
        )
