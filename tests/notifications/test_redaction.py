"""Secret parts of links are hidden wherever the outbox is shown; the rest stays readable."""

import pytest

from notifications.redaction import redact

TOKEN = "Xq3v0yJH7c1bZ2kP9tLw4mNaRs8dEfGu5hIoKjB6e-_"


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (
            f"Accept: https://egm.example.org/m/egm-2009/invitation/{TOKEN}/accept/",
            "Accept: https://egm.example.org/m/egm-2009/invitation/[redacted]/accept/",
        ),
        (
            f'<a href="http://127.0.0.1:8000/m/egm-2009/invitation/{TOKEN}/decline/">No</a>',
            '<a href="http://127.0.0.1:8000/m/egm-2009/invitation/[redacted]/decline/">No</a>',
        ),
        (
            f"(see https://egm.example.org/m/egm-2009/invitation/{TOKEN}/).",
            "(see https://egm.example.org/m/egm-2009/invitation/[redacted]/).",
        ),
        (
            f"Subscribe: webcal://egm.example.org/m/egm-2009/me/calendar/{TOKEN}.ics",
            "Subscribe: webcal://egm.example.org/m/egm-2009/me/calendar/[redacted].ics",
        ),
        (
            "Reset: https://egm.example.org/accounts/password/reset/key/4-c4k-9f3e1b2a/",
            "Reset: https://egm.example.org/accounts/password/reset/key/4-[redacted]/",
        ),
    ],
)
def test_secret_link_parts_are_redacted(text, shown):
    assert redact(text) == shown


@pytest.mark.parametrize(
    "text",
    [
        "The agenda: https://egm.example.org/m/egm-social-integration-2009/agenda/",
        "Elsewhere: https://example.com/some/unknown/path/Xq3v0yJH7c1bZ2kP9tLw4mNaRs8dEf/",
        "No link at all, only Tom & Jerry.",
        "",
    ],
)
def test_text_without_secret_links_is_unchanged(text):
    assert redact(text) == text
