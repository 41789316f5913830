"""The ``regiongraph`` command line: typer wiring only, one module per command group.

``main`` holds the app and the core commands (build, extract, evaluate, validate, query,
viz); ``networks`` and ``linked_data`` add their groups to it.
"""

from regiongraph.cli.main import app

__all__ = ["app"]
