"""Plain-Python generators for the documentation site.

The MkDocs hooks in ``docs/hooks/`` are thin wrappers around these functions, so the
generation logic stays portable to other static-site generators and is testable on its own.
Nothing here imports MkDocs; matplotlib is imported lazily, only when a plot is rendered.
"""
