"""The build as phases, one module each: target (the store), plan (which files changed),
workers (extraction in worker processes), load (bulk or per release, prune), swap (a
rebuilt store into place), actors (canonical actors), finish (summary counts, build
index); ``pipeline.build`` runs them in order."""
