"""Point the project's Celery app at another broker for one test, and back.

Celery caches its connection pools, producer pools and routes; ``reset_connections`` forgets
them so the app reconnects with its new configuration. ``unreachable_broker`` moves the app
onto a Redis address where nothing listens, as when the broker is down.
"""

import contextlib
import os

from kombu import pools

from config.celery import app
from tests.smtp import free_port


def reset_connections() -> None:
    """Forget every pool and cached route so the app reconnects with its new configuration."""
    if app._pool is not None:
        app._pool.force_close_all()
    app._pool = None
    app.__dict__.pop("amqp", None)  # producer pool, queues and exchange are cached on it
    app._backend_cache = None
    app._local.__dict__.pop("backend", None)
    # kombu keeps producer pools in a registry of its own, keyed by connection.
    pools.reset()


@contextlib.contextmanager
def unreachable_broker():
    """The app's broker is a Redis port that refuses connections."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    moved = {"broker_url": url}
    saved = {name: getattr(app.conf, name) for name in moved}
    saved_env = os.environ.get("CELERY_BROKER_URL")
    os.environ["CELERY_BROKER_URL"] = url
    app.conf.update(moved)
    reset_connections()
    try:
        yield url
    finally:
        if saved_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = saved_env
        app.conf.update(saved)
        reset_connections()
