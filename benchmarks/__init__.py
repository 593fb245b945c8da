"""Benchmarks for diplograph: scripts that print figures (never pass/fail tests).

``python -m benchmarks.run`` runs them all and writes ``benchmarks/RESULTS.md``; each module
also runs on its own (``python -m benchmarks.corpus --help`` and so on).
"""
