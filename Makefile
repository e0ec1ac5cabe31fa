# Two commands do everything on a fresh machine with only python3:
#   make demo   the main job
#   make test   lint (ruff, mypy, actionlint), then the test suite with coverage
# and two more:
#   make mutate mutation testing of the model code and of the checker's engine (see README)
#   make bench  the training benchmark (not part of make test; BENCH_ARGS=--quick for a short run)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The CPU build of torch, installed before anything else so that resolving the
# project's range never pulls a multi-GB CUDA build. On a machine without the
# local wheel, add its index: make TORCH_INDEX=--index-url=https://download.pytorch.org/whl/cpu
TORCH_SPEC ?= torch==2.13.0
TORCH_INDEX ?=
BENCH_ARGS ?=

# Line coverage of scratch_net, torch_ref, impl_check and parity_run that make test requires.
COVERAGE_MIN ?= 95
# Share of mutants that make mutate requires the tests to kill, in percent.
MUTATION_MIN ?= 90

.PHONY: install lint test demo bench mutate clean

install: $(STAMP)

$(STAMP): pyproject.toml Makefile
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet $(TORCH_INDEX) "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet -e ".[dev,mnist]"
	touch $(STAMP)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/actionlint .github/workflows/ci.yml docs/examples/github-classroom.yml docs/examples/grade-class.yml

test: lint
	$(BIN)/python -m pytest -q -n auto --dist loadfile --cov=scratch_net --cov=torch_ref --cov=impl_check --cov=parity_run --cov-report=term-missing \
		--cov-fail-under=$(COVERAGE_MIN)

demo: $(STAMP)
	$(BIN)/python compare.py

$(BIN)/mutmut: $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[mutation]"

# What is mutated and which tests run: [tool.mutmut] in pyproject.toml. A fresh run each time
# (mutmut's cache would keep old results), two children (MUTATE_CHILDREN); survivors are listed, then the
# score of the model code and of the checker, each against MUTATION_MIN (timeouts count as killed).
MUTATE_CHILDREN ?= 2
mutate: $(BIN)/mutmut
	rm -rf mutants
	$(BIN)/mutmut run --max-children $(MUTATE_CHILDREN)
	$(BIN)/mutmut results
	$(BIN)/mutmut results --all true > mutants/mutmut-results.txt
	$(BIN)/python tools/mutation_score.py $(MUTATION_MIN)

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_train.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) runs mutants .pytest_cache .hypothesis .mypy_cache .ruff_cache .coverage
