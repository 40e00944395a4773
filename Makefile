# OpenCOI: `make demo` to try it, `make test` to check it.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
SCALE ?= 10000

.PHONY: install demo serve test worker bench messages lock clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.lock
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade "pip>=24"
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

demo: install
	DEBUG=1 ./scripts/demo.sh

serve: install
	./scripts/serve.sh

worker: install
	$(PY) manage.py db_worker

test: install
	./scripts/test.sh

bench: install
	SCALE=$(SCALE) ./scripts/bench.sh

messages: install
	./scripts/messages.sh

# Re-pin after changing pyproject.toml's dependencies.
lock: install
	$(PY) -m pip freeze --exclude-editable | grep -v '^opencoi' > requirements.lock

clean:
	rm -rf $(VENV) var/static
