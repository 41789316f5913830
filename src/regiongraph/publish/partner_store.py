"""The store as partners may see it: a copy without contact details.

The SPARQL endpoint answers arbitrary queries, so filtering answers after the fact
would miss values a query computes (``CONCAT``, ``STR``, ``REPLACE`` on an e-mail
address). Instead the server starts by copying every quad through the same policy as
the dumps (``dumps.partner_quads``: schema:email and schema:telephone dropped, phone
numbers and e-mail addresses inside text replaced), and its query workers open that
copy. The copy lives in a temporary folder removed when the server stops.
"""

from __future__ import annotations

import gc
import shutil
import tempfile
from pathlib import Path

import pyoxigraph as ox

from regiongraph.graph.store import open_read_only
from regiongraph.publish.dumps import partner_quads


def build_partner_copy(store_path: Path) -> Path:
    """A new store beside nothing else (a temporary folder) holding the partner view."""
    folder = Path(tempfile.mkdtemp(prefix="regiongraph-partner-"))
    try:
        source = open_read_only(store_path)
        copy = ox.Store(str(folder / "store"))
        copy.bulk_extend(partner_quads(source.quads_for_pattern(None, None, None, None), False))
        copy.flush()
        del copy, source
        gc.collect()  # close both stores before workers open the copy read-only
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return folder / "store"


def remove_partner_copy(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)
