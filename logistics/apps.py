from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "logistics"

    def ready(self) -> None:
        from participants.contributions import register_checklist_steps, register_personal_events

        from .contributions import logistics_steps, travel_events

        register_checklist_steps(logistics_steps)
        register_personal_events(travel_events)
