"""The knowledge base of the benchmark data set: 50,000 articles at a million tickets.

Written straight into the SQLite file after the tickets (bench/dataset.py), from the demo's
French and English scenarios: each article takes a scenario's title, description and
solution, in both languages for most of them and in one only for the rest; a fifth are known
errors (symptom, workaround, solution), most are published, some are public FAQ. The
full-text triggers index each row as it is inserted, as they would in production.
"""

import random
import sqlite3
import time
import uuid
from pathlib import Path

from guichet.demo.scenarios import render
from guichet.demo.scenarios_more import SCENARIOS

CHUNK = 5_000
# Words that make articles of one scenario differ from each other, as real ones do.
MODELS = ["HP LaserJet M404", "Brother MFC-L2750", "Dell Latitude 5440", "Lenovo T14",
          "Fortinet 60F", "Synology DS920+", "Ubiquiti U6", "Cisco Meraki MX", "Sage 100",
          "EBP Compta", "Office 365", "Windows 11 23H2", "Teams", "OneDrive", "Veeam"]  # fmt: skip
STATUSES = ["published"] * 16 + ["draft", "draft", "review", "archived"]


def article_count(size: int) -> int:
    return 50_000 if size >= 1_000_000 else max(100, size // 20)


def ensure(db: Path, count: int, *, say) -> dict:
    cx = sqlite3.connect(db)
    try:
        have = cx.execute("SELECT count(*) FROM knowledge_article").fetchone()[0]
        if have >= count:
            return {"articles": have, "seconds": 0.0}
        started = time.monotonic()
        say(f"Writing {count - have:,} knowledge articles…")
        rng = random.Random(5)
        author = cx.execute(
            "SELECT id FROM accounts_user WHERE role != 'requester' ORDER BY id LIMIT 1"
        ).fetchone()[0]
        categories = dict(cx.execute("SELECT code, id FROM tickets_category"))
        rows, links = [], []
        next_id = (cx.execute("SELECT max(id) FROM knowledge_article").fetchone()[0] or 0) + 1
        for n in range(count - have):
            rows.append(_article(next_id + n, rng, author))
            links.append(
                (next_id + n, categories[SCENARIOS[(next_id + n) % len(SCENARIOS)].category])
            )
            if len(rows) >= CHUNK:
                _write(cx, rows, links)
                rows, links = [], []
        _write(cx, rows, links)
        cx.execute("INSERT INTO knowledge_article_fts(knowledge_article_fts) VALUES ('optimize')")
        cx.commit()
        return {"articles": count, "seconds": time.monotonic() - started}
    finally:
        cx.close()


COLUMNS = ("id", "uid", "kind", "status", "audience", "title_fr", "title_en", "body_fr",
           "body_en", "symptom_fr", "symptom_en", "cause_fr", "cause_en", "workaround_fr",
           "workaround_en", "solution_fr", "solution_en", "keywords", "software", "revision",
           "helpful_count", "unhelpful_count", "solved_count", "created_by_id", "created_at",
           "updated_at", "published_at")  # fmt: skip


def _article(pk: int, rng: random.Random, author: int) -> tuple:
    scenario = SCENARIOS[pk % len(SCENARIOS)]
    model = rng.choice(MODELS)
    languages = rng.choices([("fr", "en"), ("fr",), ("en",)], [70, 20, 10])[0]
    known = rng.random() < 0.2
    text: dict[str, str] = {}
    for lang in ("fr", "en"):
        if lang not in languages:
            for name in ("title", "body", "symptom", "cause", "workaround", "solution"):
                text[f"{name}_{lang}"] = ""
            continue
        title = render(scenario.title(lang), lang, rng)[:200] + f" ({model})"
        description = render(scenario.description(lang), lang, rng)
        solution = render(scenario.solution(lang), lang, rng)
        text[f"title_{lang}"] = title
        text[f"body_{lang}"] = "" if known else f"{description}\n\n## Solution\n\n{solution}"
        text[f"symptom_{lang}"] = description if known else ""
        text[f"cause_{lang}"] = ""
        text[f"workaround_{lang}"] = solution if known else ""
        text[f"solution_{lang}"] = solution if known else ""
    status = rng.choice(STATUSES)
    moment = f"20{rng.randint(23, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d} 10:00:00"
    return (
        pk, uuid.uuid4().hex, "known_error" if known else "article", status,
        "public" if rng.random() < 0.3 else "internal",
        text["title_fr"], text["title_en"], text["body_fr"], text["body_en"],
        text["symptom_fr"], text["symptom_en"], text["cause_fr"], text["cause_en"],
        text["workaround_fr"], text["workaround_en"], text["solution_fr"], text["solution_en"],
        model, model if rng.random() < 0.5 else "", 1, rng.randint(0, 30), rng.randint(0, 5),
        rng.randint(0, 40), author, moment, moment, moment if status == "published" else None,
    )  # fmt: skip


def _write(cx: sqlite3.Connection, rows: list, links: list) -> None:
    if not rows:
        return
    marks = ", ".join("?" * len(COLUMNS))
    cx.executemany(
        f"INSERT INTO knowledge_article ({', '.join(COLUMNS)}) VALUES ({marks})",  # noqa: S608
        rows,
    )
    cx.executemany(
        "INSERT INTO knowledge_article_categories (article_id, category_id) VALUES (?, ?)", links
    )
    cx.commit()
