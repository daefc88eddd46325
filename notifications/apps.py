from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        # The organiser dashboard lives with people; the outbox adds its panel from above.
        from participants.contributions import register_dashboard_panel

        from .dashboard import outbox_panel

        register_dashboard_panel(outbox_panel, order=60)
