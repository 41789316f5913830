"""Scoring extraction: the report format (``report``), scoring against gold (``score``)
and the quality run with its baseline (``quality``)."""
