# The two commands a newcomer needs: `make lab` and `make test`.
# Both create .venv and install what they need; CI runs `make test` unchanged.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
PORT   ?= 8888

.PHONY: setup bytecode lab test unit browser notebooks lint chromium bench fuzz screenshots clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[lab,test]"
	touch $(STAMP)

setup: $(STAMP)

# --allow-root only when run as root (Jupyter refuses root otherwise).
ROOTFLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

# Bytecode for srmquiz's own modules: a kernel then imports them without compiling them
# first (pip does this for installed packages; an editable install, or a shell with
# PYTHONDONTWRITEBYTECODE set, would otherwise compile them in every new kernel).
bytecode: setup
	@$(BIN)/python -m compileall -q srmquiz

lab: setup bytecode
	$(BIN)/jupyter lab --notebook-dir=notebooks --port=$(PORT) $(ROOTFLAG)

# Debian's chromium for the browser tests (never a downloaded browser build).
# Installed only when running as root; otherwise the browser tests skip and say why.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "chromium not installed and not root: browser tests will be skipped"; fi

# Style, format, the layer contracts (pyproject.toml [tool.importlinter]), no private
# reach-ins (ruff SLF001 and .ci/private_names.py) and types (mypy --strict).
lint: setup
	$(BIN)/ruff check srmquiz tests .ci
	$(BIN)/ruff format --check srmquiz tests .ci
	$(BIN)/lint-imports
	$(BIN)/python .ci/private_names.py srmquiz tests
	$(BIN)/mypy

# The unit tests run on both cores (pytest-xdist). The browser tests share one Jupyter
# server and one chromium, so they run in one process, which spends much of its time
# waiting for a page or a kernel: `make test` runs the notebooks beside them (make -j2).
unit: setup
	$(BIN)/python -m pytest tests --ignore=tests/browser -n 2

browser: setup
	$(BIN)/python -m pytest tests/browser

# Notebooks run against a throwaway progress database and results folder, never the
# user's own; the folder is removed afterwards.
notebooks: setup
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	SRMQUIZ_DB="$$tmp/progress.sqlite3" SRMQUIZ_LEARNER=nbval \
	$(BIN)/python -m pytest -p no:cacheprovider --nbval-lax --nbval-current-env \
		--nbval-sanitize-with tests/nbval-sanitize.cfg notebooks/

test: setup chromium lint bytecode unit
	$(MAKE) --no-print-directory -j2 --output-sync=target browser notebooks

# Benchmarks (not pass/fail): prints a table against the README's targets and writes
# bench-output/bench.json. BENCH_ARGS=--quick for a shorter run.
BENCH_STAMP := $(VENV)/.bench-stamp
$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[lab,test,bench]"
	touch $(BENCH_STAMP)

bench: setup chromium bytecode $(BENCH_STAMP)
	$(BIN)/python -m tests.benchmarks.run $(BENCH_ARGS)

# Hostile-input fuzzing, the long profile: the review's cases plus at least 1,000 content
# folders, 200 result files and the database cases drawn by hypothesis, each in a worker
# with a time limit and a memory cap. Prints the review's table; fails on any traceback,
# hang, memory blow-up, multi-line message or invalid input accepted. `make test` runs the
# fast profile (tests/test_fuzz.py). FUZZ_ARGS="--seed N" draws other cases.
fuzz: setup
	$(BIN)/python -m tests.fuzz $(FUZZ_ARGS)

# Copy the screenshots the browser tests wrote (test-output/) to notebooks/screenshots/,
# which the README shows.
screenshots:
	cp test-output/quiz-light.png test-output/quiz-dark.png test-output/presenter-step.png \
		test-output/dashboard.png notebooks/screenshots/

clean:
	rm -rf $(VENV) .pytest_cache test-output bench-output
