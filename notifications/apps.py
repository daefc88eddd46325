from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from agenda.demo import register_demo_part
        from participants.contributions import register_dashboard_panel

        from . import outbox, reminders
        from .dashboard import outbox_panel, reminders_panel
        from .demo import load_reminders_part

        # Reminders are cancelled at send time when the person no longer owes.
        outbox.register_send_check(reminders.KIND, reminders.reasons_not_to_send)
        # After the people (20) and their travel (30): the rule's audience reads them.
        register_demo_part(load_reminders_part, order=40)
        # The organiser dashboard lives with people; reminders (after the deadlines, 50) and
        # the outbox add their panels from above.
        register_dashboard_panel(reminders_panel, order=55)
        register_dashboard_panel(outbox_panel, order=60)
