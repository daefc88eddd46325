# The two commands a newcomer needs: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
comma := ,
# HOST=0.0.0.0 serves every interface: the site is then reached by names make cannot know, so
# any host is accepted (development only), and the printed address is this machine's own.
ALLOWED_HOSTS ?= $(if $(filter 0.0.0.0,$(HOST)),*,127.0.0.1$(comma)localhost$(comma)$(HOST))
# The address printed with the organiser login, and used in links inside emails.
SITE_URL ?= http://$(if $(filter 0.0.0.0,$(HOST)),127.0.0.1,$(HOST)):$(PORT)
# The demo runs in the present (paper deadline ten to sixteen days away) so invitations,
# registration and uploads are open; `make run DEMO_ARGS=` keeps the aide-memoire's 2009 dates.
DEMO_ARGS ?= --today

.PHONY: run test bench install lint lock setup ci clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found); set PYTHON=/path/to/python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency pins change.
$(STAMP): $(BIN)/python pyproject.toml requirements/constraints.txt
	$(BIN)/pip install --quiet -c requirements/constraints.txt -e ".[test,bench]"
	touch $(STAMP)

install: $(STAMP)

## make run: install, migrate, load the demo meeting, print the organiser login, start everything.
run: install
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo $(DEMO_ARGS)
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py ensure_organiser
	$(BIN)/python manage.py collectstatic --no-input -v0
	@# -e /dev/null: honcho would read .env, which holds docker compose's production secrets.
	PATH="$(CURDIR)/$(BIN):$$PATH" SITE_URL=$(SITE_URL) HOST=$(HOST) PORT=$(PORT) \
		ALLOWED_HOSTS='$(ALLOWED_HOSTS)' \
		$(BIN)/honcho start -f config/Procfile -d $(CURDIR) -e /dev/null

## make test: install, then run the whole suite (PostgreSQL/Redis/browser parts skip loudly when absent).
test: install
	$(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

## make bench: the benchmarks in bench/, printing figures and ratios.
bench: install
	$(BIN)/python -m bench $(BENCH_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

## make lock: refresh requirements/constraints.txt from a clean environment.
lock:
	rm -rf /tmp/egm-lock && $(PYTHON) -m venv /tmp/egm-lock
	/tmp/egm-lock/bin/pip install --quiet --upgrade pip
	/tmp/egm-lock/bin/pip install --quiet -e ".[test,bench]"
	/tmp/egm-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements/constraints.txt

clean:
	rm -rf $(VENV) var
