"""Passport numbers and dates of birth never reach a log or an error report."""

import io
import logging
import sys

import pytest
from django.core import mail
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from participants.privacy.redaction import RedactPersonalData, redact_text


@pytest.fixture
def console():
    """A buffer behind the filters of the configured console handler (settings.LOGGING),
    on the loggers that use that handler."""
    root, django_logger = logging.getLogger(), logging.getLogger("django")
    [configured] = [
        handler
        for handler in root.handlers
        if any(isinstance(item, RedactPersonalData) for item in handler.filters)
    ]
    assert configured in django_logger.handlers
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.filters = list(configured.filters)
    for logger in (root, django_logger):
        logger.addHandler(handler)
    yield buffer
    for logger in (root, django_logger):
        logger.removeHandler(handler)


def test_log_arguments_naming_personal_data_are_redacted(console):
    logger = logging.getLogger("participants.test")

    logger.warning("Saving %s", {"passport_number": "G1234567", "date_of_birth": "1970-04-02"})
    logger.warning("passport_number=%s date_of_birth=%s", "P7654321", "1981-12-31")
    logger.warning("Registration details: %r", {"emergency_contact_phone": "+233 20 000 0000"})

    written = console.getvalue()
    for secret in ("G1234567", "1970-04-02", "P7654321", "1981-12-31", "+233 20 000 0000"):
        assert secret not in written
    assert "'passport_number': [redacted]" in written
    assert "passport_number=[redacted] date_of_birth=[redacted]" in written


def test_django_loggers_are_redacted_too(console):
    logging.getLogger("django.request").warning(
        "Bad Request: /m/x/me/registration/ passport_number=G1234567"
    )

    assert "G1234567" not in console.getvalue()
    assert "passport_number=[redacted]" in console.getvalue()


def test_a_repr_of_a_date_of_birth_is_redacted():
    text = "{'date_of_birth': datetime.date(1970, 4, 2), 'dietary_needs': 'Vegetarian'}"

    assert redact_text(text) == "{'date_of_birth': [redacted], 'dietary_needs': 'Vegetarian'}"


def _report(request) -> str:
    def register(details):
        passport_number = details["passport_number"]  # noqa: F841 (a local, as in a real frame)
        date_of_birth = details["date_of_birth"]  # noqa: F841
        raise ValueError("the database is down")

    try:
        register(dict(request.POST.items()))
    except ValueError:
        reporter = ExceptionReporter(request, *sys.exc_info())
        return reporter.get_traceback_text() + reporter.get_traceback_html()
    raise AssertionError("no error")


def test_error_reports_hide_passport_and_birth_date_in_post_data_and_locals(settings):
    settings.DEBUG = False
    request = RequestFactory().post(
        "/m/accra-2009/me/registration/",
        {
            "passport_number": "G1234567",
            "date_of_birth": "1970-04-02",
            "dietary_needs": "Vegetarian",
        },
    )

    report = _report(request)

    assert "G1234567" not in report
    assert "1970-04-02" not in report
    assert "Vegetarian" in report  # the rest of the report is still useful


def test_error_reports_hide_them_on_the_debug_page_too(settings):
    settings.DEBUG = True
    request = RequestFactory().post(
        "/m/accra-2009/me/registration/",
        {"passport_number": "G1234567", "date_of_birth": "1970-04-02"},
    )

    report = _report(request)

    assert "G1234567" not in report and "1970-04-02" not in report


def test_error_email_to_administrators_hides_them(settings, client, monkeypatch):
    settings.DEBUG = False
    settings.ADMINS = [("Admin", "admin@example.org")]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    request = RequestFactory().post(
        "/m/accra-2009/me/registration/", {"passport_number": "G1234567"}
    )
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("django.request").error(
            "Internal Server Error: %s",
            request.path,
            exc_info=sys.exc_info(),
            extra={"status_code": 500, "request": request},
        )

    [email] = mail.outbox
    body = email.body + "".join(str(part[0]) for part in email.alternatives)
    assert "G1234567" not in body
    assert "Internal Server Error" in email.subject


def test_redacting_twice_reads_the_same():
    once = redact_text("passport_number=G1234567 {'date_of_birth': '1970-04-02'}")

    assert redact_text(once) == once == "passport_number=[redacted] {'date_of_birth': [redacted]}"
