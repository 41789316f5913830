"""Validation: SHACL shapes and reports in words (``shapes``), rudof's fast screen
(``screen``) and validation of a whole store, per release and across releases (``store``)."""
