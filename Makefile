# Two entry points for a fresh machine: `make demo` and `make test`. Each creates its own virtual environment.
PYTHON ?= python3
DEMO_VENV ?= .venv-demo
TEST_VENV ?= .venv-test
# torch is pinned to the CPU wheel these machines hold; an unpinned torch pulls gigabytes of CUDA packages.
TORCH ?= torch==2.13.0

.PHONY: demo test clean

$(DEMO_VENV)/.ok: pyproject.toml
	$(PYTHON) -m venv $(DEMO_VENV)
	$(DEMO_VENV)/bin/python -m pip install -q --upgrade pip
	$(DEMO_VENV)/bin/python -m pip install -q $(TORCH)
	$(DEMO_VENV)/bin/python -m pip install -q -e ".[model]"
	touch $@

$(TEST_VENV)/.ok: pyproject.toml
	$(PYTHON) -m venv $(TEST_VENV)
	$(TEST_VENV)/bin/python -m pip install -q --upgrade pip
	$(TEST_VENV)/bin/python -m pip install -q $(TORCH)
	$(TEST_VENV)/bin/python -m pip install -q -e ".[dev,model,scale,report,focus,wechsel]"
	touch $@

demo: $(DEMO_VENV)/.ok  ## import the sample data into the default store and run the whole pipeline, through adaptation
	PATH="$(CURDIR)/$(DEMO_VENV)/bin:$$PATH" bash examples/demo.sh

test: $(TEST_VENV)/.ok  ## run the test suite (tests on ../shared/data skip with a reason when it is absent)
	$(TEST_VENV)/bin/python -m pytest -q -p no:cacheprovider

clean:
	rm -rf $(DEMO_VENV) $(TEST_VENV) demo-out build dist *.egg-info
