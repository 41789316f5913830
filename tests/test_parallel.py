"""Worker processes change how fast the build is, never what it builds."""

from __future__ import annotations

from conftest import RELEASES, config_for
from regiongraph.build.pipeline import build


def test_two_workers_build_the_same_store_as_one(tmp_path):
    one = build([RELEASES], config_for(tmp_path / "one", prune=True, workers=1))
    two = build([RELEASES], config_for(tmp_path / "two", prune=True, workers=2))
    assert one.summary == two.summary
    assert one.reports == two.reports
    dump = lambda s: {str(q) for q in s.store.quads_for_pattern(None, None, None, None)}  # noqa: E731
    assert dump(one.store) == dump(two.store)
    assert two.summary.releases_read == 53
