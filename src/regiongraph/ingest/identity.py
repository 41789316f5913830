"""Release ids: unique within a build, stable from build to build, readable.

A release id names the release's IRI (``{base}/id/release/{id}``) and its graph, so it
must never be shared by two releases (one would silently replace the other) and must
not change while the file does not (partners link to it).

* A file's id is the slug of its name without the suffix (``dev-002.txt`` -> ``dev-002``)
  when no other file of the build has that slug. Files whose slugs are equal
  (``2023/release.txt`` and ``2024/release.txt``; ``Å-rapport.txt`` and ``a_rapport.txt``)
  and names with nothing left to slug (``北京.txt``) get the slug plus a short hash of the
  path relative to the folder given to the build: ``release-3f2a9c1e``. Every one of
  them gets a hash, so which file came first does not matter.
* A record of a JSON file is ``{file id}.{record id}``: the record id is the slug of its
  ``id`` field, else of its ``url``, else its number in the file, with the same rule
  within the file. A file id never holds a dot, so no record shares an id with a file.
* What is still shared after that (the same path below two folders of the same name
  given to one build: ``a/in/x.txt``, ``b/in/x.txt``) is an error for every file after
  the first, naming the first.

    >>> unique_ids([("dev-002", "dev-002.txt"), ("a-rapport", "a_rapport.txt"),
    ...             ("a-rapport", "Å-rapport.txt")])
    ['dev-002', 'a-rapport-6adf54f4', 'a-rapport-ed00bf24']
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence

from regiongraph.vocab import slugify

HASH_LENGTH = 8  # hex digits of the path's hash: 4 billion values against a few per slug
RECORD_SEPARATOR = "."
EMPTY_SLUG = "unnamed"  # what slugify gives when nothing of the text is left


def name_slug(text: str) -> str:
    """The slug of a name, or ``""`` when nothing of it is left (only CJK, only signs)."""
    return "" if slugify(f"{text}x") == "x" else slugify(text)


def short_hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:HASH_LENGTH]


def unique_ids(items: Sequence[tuple[str, str]]) -> list[str]:
    """An id for each ``(slug, key)``: the slug where no other item has it, else (and for an
    empty slug) the slug and a short hash of the key. Keys should be distinct; items whose
    ids still agree are for the caller to report."""
    counts = Counter(slug for slug, _ in items)
    ids = []
    for slug, key in items:
        if slug and counts[slug] == 1:
            ids.append(slug)
        else:
            ids.append(f"{slug or EMPTY_SLUG}-{short_hash(key)}")
    return ids


def stem(name: str) -> str:
    """A file name without its last suffix."""
    return name.rsplit(".", 1)[0] if "." in name.lstrip(".") else name


def record_id(file_id: str, record: str) -> str:
    return f"{file_id}{RECORD_SEPARATOR}{record}"
