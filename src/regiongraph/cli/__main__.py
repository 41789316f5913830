"""``python -m regiongraph.cli``: the same app as the ``regiongraph`` script."""

from regiongraph.cli.main import app

app()
