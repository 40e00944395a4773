# OpenCOI: `make demo` to try it, `make test` to check it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SCALE ?= 10000

.PHONY: install install-test demo serve test worker bench messages lock clean

# What runs (make serve, make demo): requirements.lock only.
install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

# What the checks need besides (pytest, Playwright, moto, schemathesis, mypy, ruff...): requirements-test.lock.
install-test: $(VENV)/.installed-test

$(VENV)/.installed-test: $(VENV)/.installed requirements-test.lock
	$(PY) -m pip install --quiet -r requirements.lock -r requirements-test.lock
	touch $@

demo: install
	DEBUG=1 ./scripts/demo.sh

serve: install
	./scripts/serve.sh

worker: install
	$(PY) manage.py db_worker --worker-id "$$(hostname)-worker-1"

test: install-test
	./scripts/test.sh

bench: install
	SCALE=$(SCALE) ./scripts/bench.sh

messages: install
	./scripts/messages.sh

# Re-pin after changing pyproject.toml's dependencies: splits what is installed into the two locks.
lock: install-test
	$(PY) -m pip freeze --exclude-editable | grep -v '^opencoi' | $(PY) scripts/lock.py

clean:
	rm -rf $(VENV) var/static
