"""Synthetic press releases for the benchmark: Swedish text in the style of data/releases.

Deterministic from a seed. Actors come from the reference data (regions, municipalities,
agencies, universities, EU funds …, via ``load_reference``) and from invented pools of
companies, associations, people, projects and foundations; who appears in a release is
drawn with a Zipf-like skew (a few actors in many releases, most in a few), as in real
news. The sentences are written the ways real releases write them: "Projektägare X
beviljas N kr", "projektet X", "Projektet X finansieras av F med N kronor" (the grant
stated with its funder and project, so that the amount is F's), "Region R medfinansierar
projektet med M kronor", "säger NAMN, projektledare vid ORG", contact lines with phone
and e-mail.

    python -m benchmarks.generate --n 1000 --out build/bench/releases-1000 --seed 7

Each release is a ``.txt`` file; ``SOURCES.csv`` beside them gives source URL, date,
publisher and language. ``planted(...)`` returns what a release was written to say, for
tests.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import itertools
import random
from dataclasses import dataclass
from pathlib import Path

from regiongraph.paths import project_root
from regiongraph.resolve.reference import load_reference
from regiongraph.vocab import slugify

_SURNAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindström",
    "Lindqvist",
    "Lindgren",
    "Berglund",
    "Axelsson",
    "Lundberg",
    "Lundgren",
    "Mattsson",
    "Berg",
    "Holm",
    "Nyström",
    "Sandberg",
    "Lundqvist",
    "Ek",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
    "Danielsson",
    "Håkansson",
    "Lund",
    "Fredriksson",
    "Sundberg",
    "Öberg",
    "Björk",
    "Hedlund",
    "Strand",
    "Nordin",
    "Sundström",
    "Holmberg",
    "Isaksson",
    "Nyberg",
    "Åberg",
    "Söderberg",
]
_ORG_STEMS = [
    "Norr",
    "Nord",
    "Polar",
    "Fjäll",
    "Älv",
    "Skog",
    "Kust",
    "Botnia",
    "Arktis",
    "Vinter",
    "Midnatt",
    "Tundra",
    "Ren",
    "Lav",
    "Myr",
    "Bergs",
    "Sjö",
    "Vind",
    "Sol",
    "Grön",
    "Ljus",
    "Gruv",
    "Malm",
    "Stål",
    "Trä",
    "Fisk",
    "Bär",
    "Hav",
    "Is",
    "Snö",
    "Älg",
    "Lodjur",
    "Björk",
]
_ORG_TAILS = (
    "Energi AB",
    "Tech AB",
    "Industri AB",
    "Solutions AB",
    "Konsult AB",
    "Bygg AB",
    "Innovation AB",
    "Logistik AB",
)
_PROJECT_WORDS = [
    "Grön",
    "omställning",
    "Kompetens",
    "Digital",
    "Cirkulär",
    "Hållbar",
    "Smart",
    "Framtida",
    "Innovativ",
    "Arktisk",
    "Regional",
    "Lokal",
    "Nordisk",
    "Gemensam",
    "Öppen",
    "Klimatsmart",
    "Attraktiv",
    "Inkluderande",
]
_PROJECT_NOUNS = [
    "industri",
    "energi",
    "kompetensförsörjning",
    "besöksnäring",
    "landsbygd",
    "logistik",
    "vätgas",
    "batterier",
    "skogsnäring",
    "livsmedel",
    "turism",
    "matchning",
    "kollektivtrafik",
    "bredband",
    "vård",
    "innovation",
]
_POSTS = ("projektledare", "verksamhetsledare", "vd", "utvecklingsstrateg", "regionråd")
_QUOTES = (
    "Det här är en viktig satsning för hela regionen",
    "Vi ser fram emot att komma igång med arbetet",
    "Projektet stärker företagens konkurrenskraft",
    "Samverkan är nyckeln till en hållbar utveckling",
)
_FILLER = (
    "Satsningen ska bidra till fler arbetstillfällen och en hållbar tillväxt i länet.",
    "Arbetet bedrivs i nära samverkan med näringsliv, akademi och offentlig sektor.",
    "Målet är att stärka kompetensförsörjningen och attraktionskraften på lång sikt.",
    "Under projektperioden genomförs workshoppar, studiebesök och pilotinsatser.",
    "Resultaten ska spridas till andra delar av landet när projektet avslutas.",
)


@dataclass(frozen=True)
class Actor:
    label: str
    kind: str  # Organisation | Person | Project | Funder | Municipality | Region


@dataclass(frozen=True)
class Planted:
    """What a generated release was written to say (for tests)."""

    file_name: str
    owner: str  # organisation label
    project: str
    funder: str
    amount: int  # the funder's grant
    person: str
    partners: tuple[str, ...]
    publisher: str = ""  # the region that decides and co-finances
    co_funding: int = 0  # the region's share


class _Zipf:
    """Draws from a list with weight 1 / rank**s (deterministic given the Random)."""

    def __init__(self, items: list, s: float = 1.1) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(1.0 / (r + 1) ** s for r in range(len(items))))

    def draw(self, rng: random.Random):
        return self.items[bisect.bisect_left(self.cum, rng.random() * self.cum[-1])]

    def distinct(self, rng: random.Random, k: int, exclude: set) -> list:
        out: list = []
        for _ in range(20 * k):
            x = self.draw(rng)
            if x not in exclude and x not in out:
                out.append(x)
            if len(out) == k:
                break
        return out


def _first_names(data_dir: Path) -> list[str]:
    lines = (data_dir / "reference" / "first_names.txt").read_text(encoding="utf-8").splitlines()
    return [x.strip() for x in lines if x.strip() and not x.startswith("#")][:200]


class Corpus:
    """Actor pools, sized for ``n`` releases, and the release writer."""

    def __init__(self, n: int, seed: int, data_dir: Path | None = None) -> None:
        data_dir = data_dir or project_root() / "data"
        rng = random.Random(f"pools-{seed}")
        ref = load_reference(data_dir / "reference")
        by_type: dict[str, list[str]] = {}
        for e in ref.entries:
            by_type.setdefault(e.type, []).append(e.label)
        self.regions = sorted(x for x in by_type.get("Region", []) if x.startswith("Region "))
        self.municipalities = sorted(by_type.get("Municipality", []))
        reference_orgs = sorted(
            by_type.get("University", [])
            + by_type.get("GovernmentAgency", [])
            + by_type.get("ResearchInstitute", [])
        )
        programmes = sorted(by_type.get("FundingProgramme", []))
        firsts = _first_names(data_dir)
        n_orgs, n_people, n_projects = max(200, n // 4), max(300, n // 2), max(300, n // 2)
        invented_orgs = sorted(
            {
                f"{rng.choice(_ORG_STEMS)}{rng.choice(_ORG_STEMS).lower()} {rng.choice(_ORG_TAILS)}"
                for _ in range(n_orgs * 2)
            }
        )[:n_orgs]
        rng.shuffle(invented_orgs)
        people = sorted(
            {f"{rng.choice(firsts)} {rng.choice(_SURNAMES)}" for _ in range(n_people * 2)}
        )
        people = people[:n_people]
        rng.shuffle(people)
        projects = sorted(
            {
                f"{rng.choice(_ORG_STEMS)}{rng.choice(_ORG_STEMS).lower()} "
                f"{rng.choice(_PROJECT_NOUNS).capitalize()}"
                for _ in range(n_projects)
            }
        )
        rng.shuffle(projects)
        foundations = [f"Stiftelsen {rng.choice(_ORG_STEMS)}fonden" for _ in range(20)]
        mixed_orgs = reference_orgs + invented_orgs
        rng.shuffle(mixed_orgs)
        funders = programmes + sorted(set(foundations))
        rng.shuffle(funders)
        self.orgs = _Zipf(mixed_orgs)
        self.people = _Zipf(people)
        self.projects = _Zipf(projects, s=0.8)
        self.funders = _Zipf(funders)
        self.places = _Zipf(self.municipalities)
        self.publishers = _Zipf(self.regions)
        self.seed = seed

    def release(self, i: int) -> tuple[str, dict[str, str], Planted]:
        """The text, the SOURCES.csv row and the planted facts of release ``i``."""
        rng = random.Random(f"release-{self.seed}-{i}")
        publisher = self.publishers.draw(rng)
        owner = self.orgs.draw(rng)
        partners = tuple(self.orgs.distinct(rng, rng.randint(1, 3), {owner}))
        project = self.projects.draw(rng)
        funder = self.funders.draw(rng)
        person = self.people.draw(rng)
        place = self.places.draw(rng)
        amount = rng.randrange(200, 9000) * 1000 + rng.randrange(0, 1000)
        post = rng.choice(_POSTS)
        first, last = person.split(" ", 1)
        domain = slugify(owner).replace("-", "")[:20] + ".se"
        phone = f"070-{rng.randrange(100, 999)} {rng.randrange(10, 99)} {rng.randrange(10, 99)}"
        year = 2019 + i % 6
        date = f"{year}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        amount_text = f"{amount:,}".replace(",", " ")
        co_funding = amount // 4000 * 1000  # no draw: the other releases stay as they were
        co_text = f"{co_funding:,}".replace(",", " ")
        lines = [
            "Pressmeddelande -",
            "",
            f"{amount_text} kronor till {project}",
            "",
            f"{publisher} har beslutat att bevilja stöd till projektet {project}.",
            f"Verksamheten bedrivs i {place}.",
            "",
            f"Projektägare {owner} beviljas {amount_text} kr",
            "",
            f"Projektet {project} finansieras av {funder} med {amount_text} kronor.",
            f"{publisher} medfinansierar projektet med {co_text} kronor.",
            f"I projektet deltar {', '.join(partners[:-1]) + ' och ' if len(partners) > 1 else ''}"
            f"{partners[-1]}.",
            rng.choice(_FILLER),
            rng.choice(_FILLER),
            "",
            f"– {rng.choice(_QUOTES)}, säger {person}, {post} vid {owner}.",
            "",
            "För mer information, kontakta:",
            f"{person}, {post}, {owner}",
            f"Telefon: {phone}",
            f"E-post: {first.lower()}.{slugify(last).replace('-', '')}@{domain}",
            "",
        ]
        name = f"bench-{i:06d}.txt"
        row = {
            "file": name,
            "source": f"https://example.org/press/{self.seed}/{i}",
            "date": date,
            "publisher": publisher,
            "language": "sv",
        }
        return (
            "\n".join(lines),
            row,
            Planted(name, owner, project, funder, amount, person, partners, publisher, co_funding),
        )


def generate(n: int, out: Path, seed: int = 7, start: int = 0) -> list[Planted]:
    """Write releases ``start`` … ``start + n - 1`` to ``out`` (and SOURCES.csv)."""
    out.mkdir(parents=True, exist_ok=True)
    corpus = Corpus(max(n + start, 1), seed)
    planted = []
    rows = []
    for i in range(start, start + n):
        text, row, facts = corpus.release(i)
        (out / row["file"]).write_text(text, encoding="utf-8")
        rows.append(row)
        planted.append(facts)
    write_sources(out, rows)
    return planted


def write_sources(out: Path, rows: list[dict[str, str]]) -> None:
    """Add rows to the folder's SOURCES.csv (replacing rows for the same file)."""
    table = out / "SOURCES.csv"
    fields = ["file", "source", "date", "publisher", "language"]
    existing: dict[str, dict[str, str]] = {}
    if table.exists():
        with table.open(encoding="utf-8", newline="") as f:
            existing = {r["file"]: r for r in csv.DictReader(f)}
    for row in rows:
        existing[row["file"]] = row
    with table.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields)
        writer.writeheader()
        for name in sorted(existing):
            writer.writerow(existing[name])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=Path("build/bench/releases"))
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    generate(args.n, args.out, args.seed)
    print(f"{args.n} releases in {args.out}")


if __name__ == "__main__":
    main()
