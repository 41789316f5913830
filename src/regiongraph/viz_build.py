"""Store -> the network pages under build/viz (the views the project ships)."""

from __future__ import annotations

from pathlib import Path

from regiongraph.network import actor_network, compute_layout
from regiongraph.pages import write_network_page
from regiongraph.store import GraphStore


def write_pages(store: GraphStore, out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    g = actor_network(store.store)
    page = write_network_page(
        g, out_dir / "actors.html", "Actor network", positions=compute_layout(g)
    )
    return [page]
