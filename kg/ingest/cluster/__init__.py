"""Ingestion with its reading and extraction on a cluster (``kg ingest --cluster ray://HOST:PORT``).

The driver (the machine ``kg ingest`` runs on) discovers, hashes and triages files and keeps the manifest,
as a local run does. It cuts the same groups of documents a local run cuts and sends them, in order, to
workers on a Ray cluster: each worker process holds one model, loaded once (on a GPU when the cluster has
them), reads its group's files, prepares them and extracts their chunks. The driver takes the results back
in order and resolves, checks and writes them against its graph, exactly as a local run does: the graph
is the same, and re-ingest, replace-on-change and resume after a killed run behave the same.

- :mod:`~kg.ingest.pipeline.group_worker`: what a worker does with a group (no graph, no manifest).
- :mod:`~kg.ingest.cluster.cluster_reader`: the driver's reading stage that sends groups out.
- :mod:`~kg.ingest.cluster.ray_pool`: the Ray actors, the bounded window of groups in flight, retries.
- :mod:`~kg.ingest.cluster.model_files`: the driver's model, shipped to every node.

See docs/SCALE.md for running it on a real cluster.
"""

from kg.ingest.cluster.cluster_reader import ClusterReader, GroupPool

__all__ = ["ClusterReader", "GroupPool"]
