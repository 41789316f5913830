"""Querying: the documented query library with bound parameters (``library``) and the
same queries against a remote SPARQL endpoint (``remote``)."""
