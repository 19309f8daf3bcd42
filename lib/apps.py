from django.apps import AppConfig


class LibConfig(AppConfig):
    """An app only for its template tags and the form and list templates every app uses (their
    names keep the `heimveg/` prefix they had in the project package). No models."""

    name = "lib"
