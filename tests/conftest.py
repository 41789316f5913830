"""Shared fixtures: one real build of the bundled releases per test session."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from regiongraph.build.pipeline import BuildConfig, BuildResult, build
from regiongraph.paths import project_root

ROOT = project_root()
RELEASES = ROOT / "data" / "releases"
SEEDS = sorted(RELEASES.glob("00[0-4]_*.txt"))
BASE = "https://w3id.org/regiongraph"

# Debian's Chromium, started so that it makes no connection of its own (the machine is
# offline; without these flags it keeps trying to reach Google's services).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def config_for(tmp: Path, **kwargs) -> BuildConfig:
    return BuildConfig(
        data_dir=ROOT / "data", store_path=tmp / "store", build_dir=tmp, base=BASE, **kwargs
    )


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The store built from every release in data/releases (on disk, validated)."""
    tmp = tmp_path_factory.mktemp("build")
    return build([RELEASES], config_for(tmp, prune=True))


@pytest.fixture(scope="session")
def store(built: BuildResult):
    return built.store


def start_server(store_path: Path, **kwargs):
    """A real regiongraph server (as `regiongraph serve` runs it) on 127.0.0.1, any free port."""
    from regiongraph.publish.server import ServerConfig, SparqlServer

    return SparqlServer(ServerConfig(store_path=store_path, port=0, **kwargs)).start()


@pytest.fixture(scope="session")
def endpoint(built: BuildResult):
    """The server over the built store with its defaults (contact details left out)."""
    server = start_server(built.store.path, timeout_s=10.0)
    yield server
    server.shutdown()
    server.server_close()


def http(base_url: str, path: str, *, data=None, headers=None, method=None, timeout=30):
    """(status, headers, body) of one request; HTTP errors are answers, not exceptions."""
    import urllib.error

    req = urllib.request.Request(base_url + path, data=data, method=method)
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory):
    """A writable Oxigraph server over an empty store (Graph Store Protocol at /store)."""
    location = tmp_path_factory.mktemp("oxigraph")
    with oxigraph_running("serve", "--location", str(location)) as url:
        yield url


@contextlib.contextmanager
def oxigraph_running(*args: str):
    """The Oxigraph server (the `oxigraph` package's binary) with ``args`` (e.g. ``serve
    --location DIR``) on 127.0.0.1 and a free port; yields its base URL."""
    binary = shutil.which("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server binary is missing (pip install oxigraph)")
    port = free_port()
    process = subprocess.Popen(
        [binary, *args, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("oxigraph did not start")
        yield url
    finally:
        process.terminate()
        process.wait(10)
