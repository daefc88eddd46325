from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "logistics"

    def ready(self) -> None:
        from . import receivers, rules  # noqa: F401 (register predicates and receivers)
