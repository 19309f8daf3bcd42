from django.apps import AppConfig
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Patient portal")

    def ready(self):
        from accounts.oidc import purposes
        from pathway import panels
        from portal import citizens, services
        from portal import panels as portal_panels

        # The pathway page's invitation box: each point's latest invitation and the patient's
        # answers, loaded for all the points at once, shown in the step "Prepare".
        panels.register_point_loader("portal.invitation_box", services.load_boxes)
        panels.prepare_step.register(
            "portal.invitation_box", "portal/invitation_box.html", portal_panels.invitation_box
        )
        # The municipality's worklist: requests for the pathway from people signed in with ID-porten.
        panels.worklist_alerts.register("portal.requests", "portal/requests_box.html", portal_panels.requests_to_answer)
        # After ID-porten has verified a citizen (accounts.oidc): their portal session.
        purposes.register(citizens.PURPOSE, citizens.on_verified)
        # After ID-porten's sign-out the browser comes back to the portal's signed-out page.
        purposes.register_after_sign_out(citizens.PURPOSE, reverse_lazy("portal:signed_out"))
