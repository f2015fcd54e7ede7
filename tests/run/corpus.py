"""Helpers for run tests: many distinct, realistic articles written on the fly, some inputs corrupt.

Imported by name (``from corpus import ...``), not a conftest: pytest imports
every folder's conftest as the module ``conftest``, so a name import of one
may get another's.
"""

from __future__ import annotations

import gzip
import random
from pathlib import Path

from newsgraph import Database
from newsgraph.store import TABLES

# Columns that say when or in which run a row was written, not what was read.
RUN_COLUMNS = {"run_id", "ingested_at", "failed_at", "started_at", "finished_at", "seen_at", "checked_at",
               "fetched_at", "seconds"}

PEOPLE = ["Maria Keller", "Tomas Lindqvist", "Aisha Okafor", "Daniel Reyes", "Priya Natarajan", "Jonas Weber",
          "Elena Petrova", "Samuel Adeyemi", "Grace Liu", "Omar Haddad", "Hannah Novak", "Luis Ortega"]
ROLES = ["mayor of", "spokeswoman for", "chief executive of", "a lawmaker from", "the police chief of",
         "a professor at the university in"]
PLACES = ["Lisbon", "Nairobi", "Toronto", "Melbourne", "Krakow", "Valencia", "Manila", "Bergen", "Accra", "Porto"]
ORGS = ["the city council", "the transport union", "the health ministry", "the port authority",
        "the teachers' federation", "the regional government"]
TOPICS = ["a new tram line", "hospital waiting lists", "a strike at the docks", "flood defences",
          "school funding", "the price of bread", "a stadium project", "night-time noise rules"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]


def article_html(i: int) -> str:
    """Return a distinct news page (title, quotes, an event, a date, a place) for number ``i``."""
    rng = random.Random(i)
    a, b = rng.sample(PEOPLE, 2)
    place, org, topic, day = rng.choice(PLACES), rng.choice(ORGS), rng.choice(TOPICS), rng.choice(DAYS)
    role = rng.choice(ROLES)
    amount, share, weeks = rng.randint(2, 90), rng.randint(5, 60), rng.randint(2, 9)
    pool = [
        f'"We have waited {rng.randint(2, 19)} months and nothing has changed," {a.split()[-1]} said.',
        f"{org.capitalize()} rejected the criticism and said it would publish a plan within {weeks} weeks.",
        f"{b}, who leads a residents' group, said the dispute had gone on too long.",
        f"Protesters gathered outside the town hall in {place} on {day} evening, police said.",
        f"According to {b.split()[-1]}, about {rng.randint(100, 900)} people signed a petition about {topic}.",
        f"The plan would cost roughly {amount} million euros, {share} percent of it from national funds.",
        f"Officials in {rng.choice(PLACES)} are watching the case closely, {rng.choice(PEOPLE)} told reporters.",
        f"A survey last year found that {share} percent of residents were unhappy with {topic}.",
        f'"This is not the end of it," {b.split()[-1]} added, promising to return with more supporters.',
        f"Critics accused {org} of ignoring the warnings for {rng.randint(2, 12)} years.",
        f"{rng.choice(PEOPLE)} urged both sides to meet again before the end of the month.",
        f"The council meets again on {rng.choice(DAYS)}, when a vote on {rng.choice(TOPICS)} is expected.",
    ]
    rng.shuffle(pool)
    paragraphs = [f"{a}, {role} {place}, on {day} criticised {org} over {topic}, story number {i}."]
    paragraphs += [" ".join(pool[k:k + 2]) for k in range(0, 8, 2)]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return (f"<html><head><title>{place}: row over {topic} ({i})</title>"
            f'<meta property="article:published_time" content="2024-03-{1 + i % 27:02d}"></head>'
            f"<body><article><h1>{place}: row over {topic} ({i})</h1>{body}</article></body></html>")


CORRUPT = {
    "empty.html": b"",
    "photo.html": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40,
    "latin.html": "<html><body><p>caf\u00e9 \u00e0 Paris</p></body></html>".encode("utf-8")[:-10] + b"\xff\xfe\xfa" * 5,
    "truncated.html.gz": gzip.compress(b"<html><body>" + b"<p>text</p>" * 500)[:60],
    "broken.jsonl": b'{"title": "ok", "text": "fine"\n',
}


def make_corpus(folder: Path, articles: int, corrupt: int = 0) -> Path:
    """Write ``articles`` distinct pages and ``corrupt`` broken inputs (cycling kinds) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(articles):
        (folder / f"story-{i:04d}.html").write_text(article_html(i), encoding="utf-8")
    kinds = list(CORRUPT.items())
    for j in range(corrupt):
        name, data = kinds[j % len(kinds)]
        (folder / f"bad-{j:03d}-{name}").write_bytes(data)
    return folder


def store_rows(db: Database) -> dict[str, list[str]]:
    """Return every table's rows (sorted, without run ids and times): what two stores must share."""
    rows = {}
    for table in TABLES:
        columns = [r[0] for r in db.query(f"DESCRIBE {table}") if r[0] not in RUN_COLUMNS]
        rows[table] = sorted(map(repr, db.query(f"SELECT {', '.join(columns)} FROM {table}")))
    return rows
