"""Executors: where the stages of a scan (`dedup.stages`) run.

``local`` runs them in this process and a pool of worker processes (the default);
``spark`` runs them on an Apache Spark cluster (``pip install "dedup[spark]"``).
Both give the same report.
"""

from __future__ import annotations

import importlib.util
import os
import shutil


def spark_missing() -> str | None:
    """Why the Spark engine cannot run here (pyspark, pyarrow, pandas or Java missing), or
    None; it imports none of them."""
    for module in ("pyspark", "pyarrow", "pandas"):
        if importlib.util.find_spec(module) is None:
            return f'{module} is not installed (pip install "dedup[spark]")'
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java (17 or 21) is not installed"
    return None
