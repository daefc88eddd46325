from django.apps import AppConfig


class LogisticsConfig(AppConfig):
    name = "logistics"

    def ready(self) -> None:
        from agenda.demo import register_demo_part
        from participants.contributions import (
            register_checklist_steps,
            register_dashboard_panel,
            register_personal_events,
            register_status_hook,
        )
        from participants.privacy.download import register_personal_data_section
        from participants.privacy.erasure import register_erasure
        from participants.privacy.files import register_encrypted_files
        from participants.privacy.retention import register_personal_data_purge

        from . import rules  # noqa: F401 (registers the predicates)
        from .contributions import send_note_on_acceptance, travel_events
        from .dashboard import logistics_panel
        from .demo import load_logistics_part
        from .portal import checklist_steps
        from .privacy import (
            erase_participant,
            hotel_section,
            letter_files,
            letters_section,
            purge_visa_letters,
            travel_section,
        )

        register_checklist_steps(checklist_steps)
        register_personal_events(travel_events)
        register_status_hook(send_note_on_acceptance)
        register_dashboard_panel(logistics_panel, order=40)
        register_personal_data_purge(purge_visa_letters)
        register_encrypted_files(letter_files)
        register_erasure(erase_participant)
        register_personal_data_section("Letters", letters_section)
        register_personal_data_section("Travel", travel_section)
        register_personal_data_section("Hotel", hotel_section)
        # After the people and papers (20): letters and stays are theirs.
        register_demo_part(load_logistics_part, order=30)
