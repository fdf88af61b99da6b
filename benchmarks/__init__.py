"""Benchmarks for `dedup`: a labelled synthetic corpus, a scorer and a naive baseline."""
