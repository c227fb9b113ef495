"""Deterministic synthetic hall data for development, demos and benchmarks (``demo-seed``)."""
