"""A real Celery worker of the project, in a process group of its own, that a test can kill.

``python -m tests.integration.worker QUEUE VISIBILITY`` runs the project's worker (prefork,
two processes, settings from the environment) on QUEUE, with Redis giving back the tasks of
a dead worker after VISIBILITY seconds instead of the production hour, and looking for them
every second instead of every hundred: the same mechanism, on a test's time scale.
"""

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class KillableWorker:
    """``with KillableWorker(queue, env=...) as worker: ... worker.kill()``."""

    def __init__(self, queue: str, *, env: dict, visibility: int, log: Path):
        self.queue, self.env, self.visibility, self.log = queue, env, visibility, log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "KillableWorker":
        with self.log.open("ab") as log:
            command = [sys.executable, "-m", "tests.integration.worker", self.queue]
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [*command, str(self.visibility)],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group: the main process and its pool
            )
        return self

    def kill(self) -> None:
        """SIGKILL to the whole group: no warm shutdown, no acknowledgement, no clean-up."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)

    def __exit__(self, *exc_info) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def main(queue: str, visibility: int) -> None:
    from config.celery import app

    options = dict(app.conf.broker_transport_options or {})
    options.update(
        visibility_timeout=visibility, unacked_restore_interval=1, unacked_restore_throttle=1
    )
    app.conf.broker_transport_options = options
    app.worker_main(
        [
            "worker",
            "--pool=prefork",
            "--concurrency=2",
            f"--queues={queue}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=WARNING",
        ]
    )


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
