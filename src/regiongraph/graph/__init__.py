"""The graph: a release's extraction as RDF (``assemble``), reference data as RDF
(``reference``), one label and type per actor across releases (``canonical``) and the
embedded store that holds them (``store``)."""
