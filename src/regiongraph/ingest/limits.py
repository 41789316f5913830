"""Reading a release file within limits: regular files only, and no more than a size.

A release is a few pages of text; a file far larger is a mistake (a log, a dump) and its
extraction would take minutes. ``read_limited`` refuses a file above ``max_bytes`` before
reading it, and anything that is not a regular file (a named pipe would block the build).
The limit is ``--max-file-size`` (``build``, ``extract``) or ``BuildConfig.max_file_size``.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from regiongraph.ingest.registry import IngestError

DEFAULT_MAX_FILE_BYTES = 10_000_000  # 10 MB: extraction takes about a minute at this size
_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_FACTORS = {"": 1, "b": 1, "k": 10**3, "m": 10**6, "g": 10**9}


def parse_size(text: str) -> int:
    """Bytes in a size: '10MB', '500k', '2.5M', '1GiB', '12000'.

    >>> parse_size("10MB"), parse_size("500k"), parse_size("1KiB")
    (10000000, 500000, 1024)
    """
    m = _SIZE.match(text)
    if m is None:
        raise ValueError(f"not a size: {text!r} (e.g. 10MB, 500k, 12000)")
    unit = (m.group(2) or "").lower()
    factor = 1024 ** "kmg".index(unit[0]) * 1024 if "i" in unit else _FACTORS[unit[:1]]
    return int(float(m.group(1)) * factor)


def format_size(size: int) -> str:
    """'10 MB', '512 kB', '900 bytes' (decimal units, as ``parse_size`` reads them)."""
    if size >= 10**6:
        return f"{size / 10**6:.3g} MB"
    if size >= 10**3:
        return f"{size / 10**3:.3g} kB"
    return f"{size} bytes"


def read_limited(path: Path, max_bytes: int | None) -> bytes:
    """The bytes of a regular file no larger than ``max_bytes``; IngestError otherwise."""
    try:
        # O_NONBLOCK: opening a named pipe must not wait for a writer
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except IsADirectoryError:
        raise IngestError(path, "is a folder, not a file") from None
    except OSError as exc:
        raise IngestError(path, f"cannot be read ({exc.strerror or exc})") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise IngestError(path, "is a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise IngestError(path, "is not a regular file (a named pipe or a device)")
        if max_bytes is not None and info.st_size > max_bytes:
            raise IngestError(path, _too_large(info.st_size, max_bytes))
        try:
            data = handle.read() if max_bytes is None else handle.read(max_bytes + 1)
        except OSError as exc:
            raise IngestError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if max_bytes is not None and len(data) > max_bytes:  # it grew since fstat
        raise IngestError(path, _too_large(len(data), max_bytes))
    return data


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"is {format_size(size)}, more than the limit of {format_size(max_bytes)} per file"
        " (--max-file-size)"
    )
