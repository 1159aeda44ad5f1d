"""pytest configuration for the suite. Shared helpers live in ``support.py``: several
directories have a ``conftest.py``, so none of them can be imported by that name."""

# Scripts run in child processes by tests/test_diagnose.py (they import the peers at the top):
# --doctest-modules would import them as modules, and without the peers that fails.
collect_ignore_glob = ["diagnose_fixtures/*.py"]
