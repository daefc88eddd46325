"""Every email goes through the outbox: nothing else in the project sends mail itself."""

import ast
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail

from tests.mail import DirectMailError

PROJECT = Path(__file__).resolve().parents[2]
APPS = ["config", "agenda", "participants", "logistics", "notifications"]
OUTBOX = "notifications/outbox.py"
SENDING_CALLS = {
    "send_mail",
    "send_mass_mail",
    "mail_admins",
    "mail_managers",
    "EmailMessage",
    "EmailMultiAlternatives",
    "get_connection",
}


def _mail_uses(tree: ast.AST) -> list[str]:
    """Imports of django.core.mail and calls that build or send an email directly."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("django.core.mail")]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module.startswith("django.core.mail"):
                found.append(node.module)
            elif node.module == "django.core" and any(a.name == "mail" for a in node.names):
                found.append("django.core.mail")
        elif isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            if name in SENDING_CALLS:
                found.append(f"{name}() on line {node.lineno}")
    return found


def test_no_module_but_the_outbox_sends_mail_itself():
    offenders = {}
    for app in APPS:
        for path in sorted((PROJECT / app).rglob("*.py")):
            relative = path.relative_to(PROJECT).as_posix()
            if relative == OUTBOX or "/migrations/" in relative:
                continue
            uses = _mail_uses(ast.parse(path.read_text(), filename=relative))
            if uses:
                offenders[relative] = uses

    assert offenders == {}


def test_the_outbox_is_what_sends_mail():
    uses = _mail_uses(ast.parse((PROJECT / OUTBOX).read_text()))

    assert "django.core.mail" in uses


def test_no_error_mail_to_admins_bypasses_the_outbox():
    # Django mails ADMINS on server errors straight through the backend, not the outbox.
    assert settings.ADMINS == []
    assert settings.MANAGERS == []


def test_mail_sent_outside_the_outbox_fails_the_test_that_sends_it():
    with pytest.raises(DirectMailError, match="queue it with notifications.outbox"):
        mail.send_mail("Hello", "Sent directly", None, ["kofi.mensah@example.org"])

    assert mail.outbox == []
