from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Patient portal")

    def ready(self):
        from pathway import panels
        from portal import panels as portal_panels
        from portal import services

        # The pathway page's invitation box: each point's latest invitation and the patient's
        # answers, loaded for all the points at once, shown in the step "Prepare".
        panels.register_point_loader("portal.invitation_box", services.load_boxes)
        panels.prepare_step.register(
            "portal.invitation_box", "portal/invitation_box.html", portal_panels.invitation_box
        )
