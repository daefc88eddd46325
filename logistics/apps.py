from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "logistics"

    def ready(self) -> None:
        from agenda.demo import register_demo_part
        from participants.contributions import register_checklist_steps, register_personal_events

        from . import receivers, rules  # noqa: F401 (register predicates and receivers)
        from .contributions import travel_events
        from .demo import load_logistics_part
        from .portal import checklist_steps

        register_checklist_steps(checklist_steps)
        register_personal_events(travel_events)
        # After the people and papers (20): letters and stays are theirs.
        register_demo_part(load_logistics_part, order=30)
