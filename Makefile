# The two commands a new user types (README): `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

# The local, embedded set-up: SQLite, eager tasks, email on the console (demo data's: var/outbox/).
LOCAL_ENV := DEBUG=true EMAIL_BACKEND=console

.PHONY: run test test-fast install lint typecheck messages dkfds worker beat clean backup restore

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed; set PYTHON=python3.12 or similar.")'
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(LOCAL_ENV) $(PY) manage.py migrate --noinput
	@# Demo emails go to var/outbox/ and task logs stay quiet: the screen shows what was loaded and the logins.
	$(LOCAL_ENV) EMAIL_BACKEND=file LOG_LEVEL=WARNING $(PY) manage.py load_demo_data
	@# No beat here: what beat would send now (meeting reminders, the weekly digest, terms ending,
	@# overdue actions) is sent once at start-up, each once per period: to var/outbox/ like the
	@# demo's emails (the .ics attachments would flood the screen), listed here by recipient and subject.
	$(LOCAL_ENV) EMAIL_BACKEND=file LOG_LEVEL=WARNING $(PY) manage.py send_due_reminders
	@echo ""
	@echo "ATMP Danmark runs on http://127.0.0.1:8000  (admin: http://127.0.0.1:8000/admin/)  Stop with Ctrl+C."
	$(LOCAL_ENV) $(PY) manage.py runserver 127.0.0.1:8000

test: $(STAMP)
	$(PY) -m pytest $(PYTEST_ARGS)

# The inner loop: everything but the browser journeys, on SQLite, whatever DATABASE_URL says,
# spread over the machine's cores (pytest-xdist; each worker has its own in-memory database).
test-fast: $(STAMP)
	env -u DATABASE_URL -u REDIS_URL $(PY) -m pytest -m "not browser" -n auto $(PYTEST_ARGS)

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# mypy with the django-stubs plugin (settings in pyproject.toml). The plugin imports the settings,
# which need DEBUG=true (or SECRET_KEY, ALLOWED_HOSTS, SITE_URL) to load.
typecheck: $(STAMP)
	DEBUG=true $(PY) -m mypy

# Re-extract and compile the Danish and English translations after changing strings.
messages: $(STAMP)
	cd $(CURDIR) && $(LOCAL_ENV) $(PY) manage.py makemessages -l da -l en --ignore=.venv --ignore=static --ignore=staticfiles
	$(LOCAL_ENV) $(PY) manage.py compilemessages --ignore=.venv

dkfds:
	scripts/refresh_dkfds.sh

# Local worker and beat: set REDIS_URL (and DATABASE_URL) first; DEBUG defaults to true here.
# One local worker takes both queues: email sends ("celery") and the periodic jobs ("periodic":
# the outbox sweeper, the meeting-notice scan). docker-compose gives "periodic" its own worker.
worker: $(STAMP)
	DEBUG=$${DEBUG:-true} $(PY) -m celery -A atmp_portal worker --queues celery,periodic --loglevel=INFO

beat: $(STAMP)
	@mkdir -p var
	DEBUG=$${DEBUG:-true} $(PY) -m celery -A atmp_portal beat --loglevel=INFO --schedule var/celerybeat-schedule

# Backup and restore (PostgreSQL + the media folder): README "Backup and restore".
backup:
	scripts/backup.sh $(DEST)

restore:
	scripts/restore.sh $(SRC)

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache
