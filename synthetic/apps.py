from django.apps import AppConfig


class SyntheticConfig(AppConfig):
    """Synthetic data: the demo (load_demo) and the national data set of the benchmark
    (generate_national). Nothing in the product imports it; it sits just below the project."""

    name = "synthetic"
