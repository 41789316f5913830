"""The build: which files changed, extraction in worker processes, bulk load, canonical
actors, swap into place (``pipeline``)."""
