"""Benchmarks: heavy, scale runs that are not part of `make test`. Each prints its figures."""
