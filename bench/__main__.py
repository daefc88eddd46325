"""Run the benchmarks against a scratch SQLite database (or DATABASE_URL if set).

Usage: python -m bench [name ...]   e.g. python -m bench tracker feeds
Each bench/bench_<name>.py exposes run() -> None and prints its own figures and ratios.
"""

import importlib
import os
import pkgutil
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str]) -> int:
    scratch = Path(tempfile.mkdtemp(prefix="egm-bench-"))
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{scratch / 'bench.sqlite3'}")
    os.environ.setdefault("VAR_DIR", str(scratch))
    os.environ.setdefault("CELERY_BROKER_URL", "memory://")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()
    call_command("migrate", verbosity=0)
    package = Path(__file__).parent
    names = sorted(
        module.name.removeprefix("bench_")
        for module in pkgutil.iter_modules([str(package)])
        if module.name.startswith("bench_")
    )
    wanted = argv or names
    for name in wanted:
        module = importlib.import_module(f"bench.bench_{name}")
        print(f"\n== {name} ==", flush=True)
        started = time.perf_counter()
        module.run()
        print(f"({name}: {time.perf_counter() - started:.1f} s in all)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
