from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self) -> None:
        from . import outbox, reminders

        # Reminders are cancelled at send time when the person no longer owes.
        outbox.register_send_check(reminders.KIND, reminders.reason_not_to_send)
