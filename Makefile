# The two commands of the README, and the checks CI runs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test check lint install clean

demo: $(VENV)/.installed
	$(BIN)/dateline demo

test: $(VENV)/.installed node_modules/.installed check
	$(BIN)/pytest $(PYTEST_ARGS)

check: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DJANGO_SETTINGS_MODULE=dateline.site.settings.test $(BIN)/dateline check --fail-level WARNING
	DJANGO_SETTINGS_MODULE=dateline.site.settings.test $(BIN)/dateline makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=dateline.site.settings.production SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
		$(BIN)/dateline check --deploy --fail-level WARNING

install: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 'Dateline needs Python 3.11 or newer; set PYTHON=python3.x')"
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The Nu HTML checker and axe-core, which the tests run over the public pages
# (package.json). vnu-jar's install script would download a Java runtime; the
# machine's Java (Debian's default-jre-headless) runs it instead.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --ignore-scripts
	touch $@

clean:
	rm -rf $(VENV) var node_modules
