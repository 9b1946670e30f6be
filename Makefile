# make run  - set up and start the center on embedded PostgreSQL + Redis (data in .local/)
# make test - set up and run every test against the machine's PostgreSQL and Redis
# make bench - the deadline sweep, the search and the matter list over 1,000,000 matters, then the leaders'
#              dashboards over HTTP at 1,000,000 demo matters (.bench/results.json; BENCH_ARGS="--parts lists"
#              measures only the search and the list; `make bench-dashboard` only the dashboards)
# make evaluate - triage trained on the demo county, measured on the independent evaluation set (.bench/results.json)
# make loadtest - the production shape on this machine under 5 minutes of mixed traffic (.bench/loadtest.json;
#              LOADTEST_SECONDS=60 for a short run)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/governance
TEST_REDIS_URL ?= redis://127.0.0.1:6379/15
# The bench's own database (created, loaded once, reused) and Redis db (settings want one).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/governance_bench
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/14
# Triage's evaluation: its own database (created and seeded with EVAL_CASES demo matters once).
EVAL_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/governance_triage_eval
EVAL_REDIS_URL ?= redis://127.0.0.1:6379/13
EVAL_CASES ?= 20000
# The load test's own database (created and seeded once, reused) and Redis db (emptied at each run).
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/gov_load
LOAD_REDIS_URL ?= redis://127.0.0.1:6379/12
LOADTEST_SECONDS ?= 300

.PHONY: run test messages bench bench-dashboard evaluate loadtest clean-local backup restore

$(VENV)/.runtime: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.txt
	touch $@

$(VENV)/.dev: $(VENV)/.runtime requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	touch $@

run: $(VENV)/.runtime
	$(PY) manage.py run_center $(if $(PORT),--port $(PORT))

test: $(VENV)/.dev
	scripts/ensure_system_packages.sh
	scripts/ensure_services.sh
	DJANGO_SETTINGS_MODULE=governance.settings.test DATABASE_URL=$(TEST_DATABASE_URL) \
	REDIS_URL=$(TEST_REDIS_URL) $(PY) -m pytest $(PYTEST_ARGS)

# Not part of `make test`: the first run loads a million matters (minutes), later runs reuse them.
bench: $(VENV)/.runtime
	BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) REDIS_URL=$(BENCH_REDIS_URL) $(PY) scripts/bench.py $(BENCH_ARGS)
	$(MAKE) bench-dashboard

# Triage (intake/triage): choose the model on a validation split of the demo county's own
# matters, train it with the Celery task, report once on the independent evaluation set.
# The dev requirements bring jieba, which only the comparison of candidates uses.
evaluate: $(VENV)/.dev
	EVAL_DATABASE_URL=$(EVAL_DATABASE_URL) EVAL_CASES=$(EVAL_CASES) REDIS_URL=$(EVAL_REDIS_URL) \
	$(PY) scripts/evaluate_triage.py

# The leaders' dashboards at 1,000,000 demo matters over HTTP (seeded once into a database of
# its own, timed: seed_1m_s), merged into .bench/results.json. Not part of `make test`.
DASHBOARD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/governance_bench_dashboard
bench-dashboard: $(VENV)/.runtime
	DASHBOARD_DATABASE_URL=$(DASHBOARD_DATABASE_URL) $(PY) scripts/bench_dashboard.py

# Not part of `make test`: nginx, gunicorn (4 workers), two Celery workers and beat on loopback,
# Locust headless for LOADTEST_SECONDS (scripts/loadtest/run.py; LOADTEST_ARGS="--fresh" seeds again).
loadtest: $(VENV)/.dev
	scripts/ensure_system_packages.sh
	scripts/ensure_services.sh
	LOAD_DATABASE_URL=$(LOAD_DATABASE_URL) LOAD_REDIS_URL=$(LOAD_REDIS_URL) LOADTEST_SECONDS=$(LOADTEST_SECONDS) \
	$(PY) scripts/loadtest/run.py $(LOADTEST_ARGS)

# For developers: refresh the Chinese catalogues after changing strings, then commit .po and .mo.
# The project's catalogue (locale/) holds the core's and intake's strings; an app with a
# locale/ folder of its own (mediation, grid, petitions) keeps its strings there.
APP_CATALOGUES := $(patsubst %/locale,%,$(wildcard mediation/locale grid/locale petitions/locale))
messages: $(VENV)/.dev
	DJANGO_SETTINGS_MODULE=governance.settings.test $(PY) manage.py makemessages -l zh_Hans --no-obsolete \
		--ignore .venv --ignore .local $(foreach app,$(APP_CATALOGUES),--ignore $(app))
	for app in $(APP_CATALOGUES); do (cd $$app && DJANGO_SETTINGS_MODULE=governance.settings.test \
		../$(PY) ../manage.py makemessages -l zh_Hans --no-obsolete) || exit 1; done
	DJANGO_SETTINGS_MODULE=governance.settings.test $(PY) manage.py compilemessages --ignore .venv

# Backup and restore (governance/backup.py): the database with pg_dump/pg_restore and the
# uploaded files. `make backup [BACKUP_DIR=/srv/backups]` writes a new timestamped folder;
# `make restore BACKUP=/srv/backups/20270101-020000` loads it into an EMPTY database (the
# configured one, or RESTORE_DATABASE_URL) and puts the files back under MEDIA_ROOT.
backup: $(VENV)/.runtime
	$(PY) manage.py backup $(if $(BACKUP_DIR),--to $(BACKUP_DIR)/$$(date +%Y%m%d-%H%M%S))

restore: $(VENV)/.runtime
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=<folder written by make backup>" >&2; exit 2; }
	$(PY) manage.py restore $(BACKUP) $(if $(RESTORE_DATABASE_URL),--database-url $(RESTORE_DATABASE_URL))

clean-local:
	rm -rf .local
