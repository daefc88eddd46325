from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"

    def ready(self) -> None:
        # Lower apps learn about people through registries, never by importing this app.
        from agenda.demo import register_demo_part
        from agenda.people import register_people_source

        from . import checklist, collation
        from .demo import load_people_and_papers
        from .programme.queries import ProgrammePeople

        collation.connect()
        register_people_source(ProgrammePeople())
        checklist.register()
        register_demo_part(load_people_and_papers, order=20)
