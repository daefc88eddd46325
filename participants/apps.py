from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"

    def ready(self) -> None:
        # Lower apps learn about people through registries, never by importing this app.
        from agenda.people import register_people_source

        from . import checklist
        from .programme.queries import ProgrammePeople

        register_people_source(ProgrammePeople())
        checklist.register()
