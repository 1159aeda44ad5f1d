"""pytest configuration for the suite. Shared helpers live in ``support.py``: several
directories have a ``conftest.py``, so none of them can be imported by that name."""
