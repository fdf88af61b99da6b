"""Executors: where the stages of a scan (`dedup.stages`) run.

``local`` runs them in this process and a pool of worker processes (the default);
``spark`` runs them on an Apache Spark cluster (``pip install "dedup[spark]"``).
Both give the same report.
"""
