# One image for web (gunicorn), worker and beat. Production mode: DEBUG=false, so the
# container refuses to start without SECRET_KEY, ALLOWED_HOSTS, FIELD_ENCRYPTION_KEYS,
# SITE_URL and EMAIL_URL.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DEBUG=false \
    VAR_DIR=/var/lib/egm-desk \
    STATIC_ROOT=/app/staticfiles

RUN groupadd --system egm \
    && useradd --system --gid egm --home-dir /app --no-create-home --shell /usr/sbin/nologin egm

WORKDIR /app

# Dependencies first, exactly as pinned, so that a code change does not reinstall them.
# Only the runtime dependencies: the test tools stay out of the image.
COPY pyproject.toml ./
COPY requirements/constraints.txt requirements/constraints.txt
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -c requirements/constraints.txt -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# Static files are collected into the image (served by WhiteNoise). Settings need production
# values to load; these exist only for this build step and are not kept in the image.
RUN DEBUG=false \
    SECRET_KEY=collectstatic-only-build-key-not-used-at-run-time-0123456789 \
    ALLOWED_HOSTS=build \
    SITE_URL=http://build \
    EMAIL_URL=smtp://build \
    FIELD_ENCRYPTION_KEYS=Y29sbGVjdHN0YXRpYy1vbmx5LWJ1aWxkLWtleS0zMmI= \
    VAR_DIR=/tmp/egm-build \
    python manage.py collectstatic --no-input -v0 \
    && rm -rf /tmp/egm-build \
    && mkdir -p "$VAR_DIR" \
    && chown egm:egm "$VAR_DIR"

USER egm
VOLUME ["/var/lib/egm-desk"]
EXPOSE 8000

# Health checks are per service in docker-compose.yml (web, worker and beat share this image).
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--forwarded-allow-ips", "*"]
