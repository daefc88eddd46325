from django.apps import AppConfig


class ParticipantsConfig(AppConfig):
    name = "participants"

    def ready(self) -> None:
        # Lower apps learn about people through registries, never by importing this app.
        from agenda.demo import register_demo_part
        from agenda.people import register_people_source

        from . import checklist, collation
        from .contributions import register_dashboard_panel
        from .dashboard import queries as dashboard
        from .demo import load_people_and_papers
        from .programme.queries import ProgrammePeople

        collation.connect()
        register_people_source(ProgrammePeople())
        checklist.register()
        register_demo_part(load_people_and_papers, order=20)
        register_dashboard_panel(dashboard.invitations_panel, order=10)
        register_dashboard_panel(dashboard.balance_panel, order=20)
        register_dashboard_panel(dashboard.papers_panel, order=30)
        register_dashboard_panel(dashboard.deadlines_panel, order=50)
