"""Real services for the integration tests: the Celery app moved onto Redis, an SMTP sink."""

import os
import uuid

import pytest
import redis
from kombu import pools

from config.celery import app


def _reset_connections() -> None:
    """Forget every pool and cached route so the app reconnects with its new configuration."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.__dict__.pop("amqp", None)  # producer pool, queues and exchange are cached on it
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    # kombu keeps producer pools in a registry of its own, keyed by connection.
    pools.reset()


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
    _reset_connections()
    assert app.connection_for_write().transport.driver_type == "redis"
    try:
        yield queue
    finally:
        monkeypatch.undo()
        app.conf.update(saved)
        _reset_connections()
        client = redis.Redis.from_url(redis_url)
        client.delete(queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")
        client.close()
