from django.apps import AppConfig
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class PathwayConfig(AppConfig):
    name = "pathway"
    verbose_name = _("Pathway")

    def ready(self):
        from pathway.definitions import DefinitionError, validate_all

        # A definition that does not validate stops start-up, naming the file and line.
        try:
            validate_all()
        except DefinitionError as error:
            raise ImproperlyConfigured(f"Pathway definition refused: {error}") from error

        from pathway import confirmation, patient_pages, services
        from patients import deaths, panels, signals

        signals.patient_moved.connect(services.on_patient_moved, dispatch_uid="pathway-moved")
        signals.patient_died.connect(services.on_patient_died, dispatch_uid="pathway-died")
        # Recording a death is confirmed on a page that shows what the pathway does (it ends them).
        deaths.register_confirmation(watch=confirmation.watch_death, confirm=confirmation.confirm_death)
        # The patient page's pathways, the own-records page's enrolments, enrolling from a registration.
        patient_pages.register(panels)
