"""Real services for the integration tests: the Celery app moved onto Redis, an SMTP sink."""

import os
import uuid

import pytest
import redis
from django.conf import settings
from django.utils.log import configure_logging

from config.celery import app
from tests.celery_broker import reset_connections


@pytest.fixture
def celery_on_redis(monkeypatch):
    """The project's Celery app on Redis (REDIS_URL) with a queue of its own; restored after.

    Unit tests run on the in-memory broker. Celery reads CELERY_BROKER_URL and
    CELERY_RESULT_BACKEND from the environment before its configuration, so both move too.
    A queue named for this test keeps its messages apart from anything else in that Redis.
    """
    redis_url = os.environ["REDIS_URL"]
    queue = f"egm-integration-{uuid.uuid4().hex[:12]}"
    moved = {"broker_url": redis_url, "result_backend": redis_url, "task_default_queue": queue}
    # Read through attribute access: the settings' CELERY_ names map onto these keys.
    saved = {name: getattr(app.conf, name) for name in moved}
    for name in ("CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        monkeypatch.setenv(name, redis_url)
    app.conf.update(moved)
    reset_connections()
    assert app.connection_for_write().transport.driver_type == "redis"
    try:
        yield queue
    finally:
        # A worker sets up logging for itself (Django's set-up again, then its own root
        # handler and level), which later tests (log redaction, caplog) would inherit: put
        # the project's logging back.
        configure_logging(settings.LOGGING_CONFIG, settings.LOGGING)
        monkeypatch.undo()
        app.conf.update(saved)
        reset_connections()
        client = redis.Redis.from_url(redis_url)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()
