# ATMP Danmark portal: one image for the web process (gunicorn), the Celery worker and Celery beat.
# Configuration comes from environment variables at run time (README: "Configuration");
# docker-compose.yml shows a complete set.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=atmp_portal.settings

# The processes run as this unprivileged user. Its home is writable (gunicorn keeps its control
# socket there); the code in /app is owned by root and read-only to it.
RUN groupadd --system --gid 10001 atmp \
    && useradd --system --uid 10001 --gid atmp --create-home --home-dir /home/atmp \
        --shell /usr/sbin/nologin atmp

WORKDIR /app

# Dependencies in their own layer, rebuilt only when pyproject.toml changes. No package folder
# has been copied yet, so this installs the runtime dependencies (no dev extras) and an empty
# project; the next step installs the project itself.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
RUN pip install --no-deps . \
    && rm -rf build ./*.egg-info

# collectstatic imports the settings, which refuse to start with DEBUG off unless SECRET_KEY,
# ALLOWED_HOSTS and SITE_URL are set. These dummy values exist for this one RUN step only and are not kept in
# the image. DEBUG=false selects the compressed, hashed (manifest) static storage.
RUN DEBUG=false \
    SECRET_KEY=collectstatic-build-step-only-not-a-secret \
    ALLOWED_HOSTS=localhost \
    SITE_URL=http://localhost \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media /app/var \
    && chown -R atmp:atmp /app/media /app/var /app/staticfiles

USER atmp

EXPOSE 8000

# Asks the web process itself. The request carries "Host: localhost", so ALLOWED_HOSTS must
# include localhost or the probe fails with 400. With HTTPS=true the /health/ path is exempt
# from the SSL redirect (SECURE_REDIRECT_EXEMPT), so this plain-HTTP probe still gets 200/503.
# A 503 (the database is down) or no answer marks the container unhealthy; Redis down is 200
# "degraded": the portal still works without it (README "Health").
# docker-compose.yml disables this check for the worker and beat, which serve no HTTP.
HEALTHCHECK --interval=30s --timeout=10s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import sys, urllib.request; r = urllib.request.Request('http://127.0.0.1:8000/health/', headers={'Host': 'localhost'}); sys.exit(0 if urllib.request.urlopen(r, timeout=5).status == 200 else 1)"]

# Timeouts, backlog, workers and their reasons: gunicorn.conf.py.
CMD ["gunicorn", "atmp_portal.wsgi:application", "--config", "gunicorn.conf.py"]
