"""Settings switch on environment variables, and production refuses what it cannot run with.

Each case runs Django in a fresh interpreter with a controlled environment: settings are
read once per process, so overriding them in this one would test nothing.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parents[2]

PROBE = """
import json
import django
django.setup()
from django.conf import settings
from config.celery import app
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "NAME": str(settings.DATABASES["default"]["NAME"]),
    "HOST": settings.DATABASES["default"].get("HOST", ""),
    "CACHE": settings.CACHES["default"]["BACKEND"],
    "CACHE_LOCATION": str(settings.CACHES["default"]["LOCATION"]),
    "BROKER": app.conf.broker_url,
    "BROKER_OPTIONS": app.conf.broker_transport_options,
    "RESULT_BACKEND": app.conf.result_backend,
    "EMAIL_BACKEND": settings.EMAIL_BACKEND,
    "EMAIL_HOST": getattr(settings, "EMAIL_HOST", ""),
    "EMAIL_PORT": getattr(settings, "EMAIL_PORT", None),
    "STATICFILES": settings.STORAGES["staticfiles"]["BACKEND"],
}))
"""


def _production_env() -> dict[str, str]:
    return {
        "DEBUG": "false",
        "SECRET_KEY": "k3Yq-production-secret-" + "x7Pz9" * 8,
        "ALLOWED_HOSTS": "egm.example.org",
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "DATABASE_URL": "postgres://egm:secret@db:5432/egm_desk",
        "REDIS_URL": "redis://redis:6379/0",
        "EMAIL_URL": "smtp://mailpit:1025",
        "SITE_URL": "https://egm.example.org",
    }


def _run(args: list[str], tmp_path: Path, **variables: str) -> subprocess.CompletedProcess:
    """Run Python in the project with only PATH, VAR_DIR and the given variables set."""
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "VAR_DIR": str(tmp_path / "var"),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONDONTWRITEBYTECODE": "1",
        **variables,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _settings(tmp_path: Path, **variables: str) -> dict:
    result = _run(["-c", PROBE], tmp_path, **variables)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def _start_up_error(tmp_path: Path, **variables: str) -> str:
    result = _run(["manage.py", "check"], tmp_path, **variables)
    assert result.returncode != 0
    return result.stderr.strip().splitlines()[-1]


def test_settings_default_runs_on_sqlite_and_filesystem_broker_under_var(tmp_path):
    found = _settings(tmp_path)

    var = tmp_path / "var"
    assert found["DEBUG"] is True
    assert found["ENGINE"] == "django.db.backends.sqlite3"
    assert found["NAME"] == str(var / "egm-desk.sqlite3")
    assert found["BROKER"] == "filesystem://"
    assert found["BROKER_OPTIONS"]["data_folder_in"] == str(var / "celery" / "queue")
    assert (var / "celery" / "queue").is_dir()
    assert found["BROKER_OPTIONS"]["control_folder"] == str(var / "celery" / "control")
    assert found["RESULT_BACKEND"] is None
    assert found["CACHE"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert found["CACHE_LOCATION"] == str(var / "cache")
    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_settings_database_url_switches_to_postgresql(tmp_path):
    found = _settings(tmp_path, DATABASE_URL="postgres://egm:secret@db.internal:5432/egm_desk")

    assert found["ENGINE"] == "django.db.backends.postgresql"
    assert found["NAME"] == "egm_desk"
    assert found["HOST"] == "db.internal"


def test_settings_redis_url_switches_broker_results_and_cache(tmp_path):
    found = _settings(tmp_path, REDIS_URL="redis://cache.internal:6379/2")

    assert found["BROKER"] == "redis://cache.internal:6379/2"
    assert found["RESULT_BACKEND"] == "redis://cache.internal:6379/2"
    assert found["BROKER_OPTIONS"] == {"visibility_timeout": 3600}
    assert found["CACHE"] == "django.core.cache.backends.redis.RedisCache"
    assert found["CACHE_LOCATION"] == "redis://cache.internal:6379/2"


def test_settings_email_url_switches_to_smtp(tmp_path):
    found = _settings(tmp_path, EMAIL_URL="smtp://mail.internal:2525")

    assert found["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["EMAIL_HOST"] == "mail.internal"
    assert found["EMAIL_PORT"] == 2525


def test_settings_full_production_env_passes_deploy_check_without_warnings(tmp_path):
    result = _run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], tmp_path, **_production_env()
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_settings_production_serves_hashed_static_files(tmp_path):
    found = _settings(tmp_path, **_production_env())

    assert found["DEBUG"] is False
    assert found["STATICFILES"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.mark.parametrize(
    "name", ["SECRET_KEY", "ALLOWED_HOSTS", "FIELD_ENCRYPTION_KEYS", "SITE_URL", "EMAIL_URL"]
)
def test_settings_production_without_a_secret_stops_naming_it(tmp_path, name):
    variables = _production_env()
    del variables[name]

    error = _start_up_error(tmp_path, **variables)

    assert error == (
        f"django.core.exceptions.ImproperlyConfigured: Environment variable {name} "
        "is required when DEBUG is off (production mode)."
    )


def test_settings_production_with_nothing_names_every_missing_variable(tmp_path):
    error = _start_up_error(tmp_path, DEBUG="false")

    assert (
        "SECRET_KEY, ALLOWED_HOSTS, FIELD_ENCRYPTION_KEYS, SITE_URL, EMAIL_URL are required"
        in error
    )


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("DEBUG", "maybe", "Environment variable DEBUG is malformed: 'maybe' is not true"),
        ("DATABASE_URL", "nonsense", "Environment variable DATABASE_URL is malformed"),
        ("DATABASE_URL", "mysqlx://db/egm", "Environment variable DATABASE_URL is malformed"),
        ("DATABASE_URL", "postgres://", "Environment variable DATABASE_URL is malformed"),
        ("FIELD_ENCRYPTION_KEYS", "not-a-key", "FIELD_ENCRYPTION_KEYS is malformed"),
        ("REDIS_URL", "cache.internal:6379", "Environment variable REDIS_URL is malformed"),
        ("EMAIL_URL", "smtp://mail:port", "Environment variable EMAIL_URL is malformed"),
        ("EMAIL_URL", "carrier-pigeon://x", "Environment variable EMAIL_URL is malformed"),
        ("OUTBOX_RETRY_HOURS", "two days", "Environment variable OUTBOX_RETRY_HOURS is malformed"),
        ("OUTBOX_RETRY_MAX_SECONDS", "7200", "variable OUTBOX_RETRY_MAX_SECONDS is malformed"),
        ("SITE_URL", "egm.example.org", "Environment variable SITE_URL is malformed"),
        ("SITE_URL", "https://egm.example.org/desk", "Environment variable SITE_URL is malformed"),
        ("SECURE_SSL_REDIRECT", "ture", "Environment variable SECURE_SSL_REDIRECT is malformed"),
        ("LOG_LEVEL", "LOUD", "Environment variable LOG_LEVEL is malformed"),
    ],
)
def test_settings_malformed_variable_stops_naming_it(tmp_path, name, value, says):
    variables = _production_env()
    variables[name] = value

    error = _start_up_error(tmp_path, **variables)

    assert says in error


def test_settings_production_short_secret_key_stops_naming_it(tmp_path):
    error = _start_up_error(tmp_path, **{**_production_env(), "SECRET_KEY": "short"})

    assert "Environment variable SECRET_KEY must be at least 50 characters" in error


def test_settings_production_blank_hosts_stop_naming_them(tmp_path):
    error = _start_up_error(tmp_path, **{**_production_env(), "ALLOWED_HOSTS": " , "})

    assert "Environment variable ALLOWED_HOSTS" in error


DEVELOPMENT_SECRET_KEY = "django-insecure-egm-desk-development-key-not-for-production"
DEVELOPMENT_FERNET_KEY = "ZWdtLWRlc2stZGV2ZWxvcG1lbnQta2V5LTMyLWJ5dGU="


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SECRET_KEY", DEVELOPMENT_SECRET_KEY),
        ("SECRET_KEY_FALLBACKS", DEVELOPMENT_SECRET_KEY),
        ("FIELD_ENCRYPTION_KEYS", DEVELOPMENT_FERNET_KEY),
        # Hidden behind a real key, as a rotation fallback, it still decrypts everything.
        ("FIELD_ENCRYPTION_KEYS", f"{'A' * 43}=,{DEVELOPMENT_FERNET_KEY}"),
    ],
)
def test_settings_production_refuses_the_development_keys_naming_the_variable(
    tmp_path, name, value
):
    error = _start_up_error(tmp_path, **{**_production_env(), name: value})

    assert error == (
        f"django.core.exceptions.ImproperlyConfigured: Environment variable {name} holds the "
        "development key, which is published with the source code: production needs a key of "
        "its own."
    )


def test_settings_development_runs_on_the_development_keys(tmp_path):
    result = _run(
        ["-c", "import django; django.setup(); from django.conf import settings; "
         "print(settings.SECRET_KEY, settings.FIELD_ENCRYPTION_KEYS[0])"],
        tmp_path,
    )  # fmt: skip

    assert result.stdout.split() == [DEVELOPMENT_SECRET_KEY, DEVELOPMENT_FERNET_KEY]
