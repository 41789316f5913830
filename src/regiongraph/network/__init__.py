"""Actor networks: links and projections read from the store, measures, layout, the
offline pages and the views of ``viz/``."""
