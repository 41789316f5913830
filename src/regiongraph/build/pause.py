"""Named points of a build where a test can hold it, to kill it there.

``REGIONGRAPH_BUILD_PAUSE=<point>[:<n>]`` makes the build stop at the ``n``-th time
(default: the first) it reaches ``point``: it says ``paused at <point>`` on stderr and
sleeps until it is killed. Only the crash tests set it.
"""

from __future__ import annotations

import os
import sys
import time
from collections import Counter

ENV = "REGIONGRAPH_BUILD_PAUSE"
_reached: Counter[str] = Counter()


def point(name: str) -> None:
    """The build reached ``name``; hold here if the environment asks for it."""
    wanted = os.environ.get(ENV)
    if not wanted:
        return
    where, _, nth = wanted.partition(":")
    if where != name:
        return
    _reached[name] += 1
    if _reached[name] == int(nth or 1):
        sys.stderr.write(f"paused at {name}\n")
        sys.stderr.flush()
        while True:
            time.sleep(60)
