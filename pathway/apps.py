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

        from pathway import patient_pages, services
        from patients import panels, signals

        signals.patient_moved.connect(services.on_patient_moved, dispatch_uid="pathway-moved")
        signals.patient_died.connect(services.on_patient_died, dispatch_uid="pathway-died")
        # The patient page's pathways, the own-records page's enrolments, enrolling from a registration.
        patient_pages.register(panels)
