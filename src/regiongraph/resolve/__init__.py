"""Resolution of mentions to actors: reference data and its gazetteer
(``reference``), name normalisation (``names``), and clustering within a release
(``entities``)."""
