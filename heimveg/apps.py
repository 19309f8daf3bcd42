from django.apps import AppConfig


class HeimvegConfig(AppConfig):
    name = "heimveg"

    def ready(self):
        from heimveg import checks  # noqa: F401  (registers the system checks)
