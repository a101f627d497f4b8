"""What is measured: the pages and API calls of a technician's day, and the service reports a
supervisor reads, each with its target. (The escalation scans, a worker's job rather than a
request, are in escalation.py.)"""

import html
import json
import re
from dataclasses import dataclass
from urllib.parse import urlencode

from bench.load import Client, Request

NEXT_LINK = re.compile(rb'rel="next" href="([^"]+)"')
# Searches a technician types, French and English, from common to rare words.
QUERIES = [
    "imprimante", "mot de passe", "VPN", "écran bleu", "Outlook", "printer", "sauvegarde",
    "wifi réunion", "Sage 100", "battery", "compte verrouillé", "serveur de fichiers",
    "licence", "douchette", "scan to email", "Windows Update",
]  # fmt: skip
# What callers describe, typed into phone intake or the portal's form (title, description).
REQUESTS = [
    ("Imprimante bloquée", "L'imprimante du 2e affiche un bourrage papier depuis ce matin"),
    ("Outlook ne s'ouvre plus", "Outlook reste figé sur le chargement du profil"),
    ("VPN coupé", "Le VPN se déconnecte toutes les dix minutes en télétravail"),
    ("Printer offline", "The printer shows offline on every laptop since the update"),
    ("Mot de passe oublié", "Je ne peux plus me connecter, mon compte est verrouillé"),
    ("Wi-Fi très lent", "Le wifi de la salle de réunion est très lent et coupe"),
    ("Écran bleu", "Mon PC fait un écran bleu au démarrage depuis la mise à jour Windows"),
    ("Cannot send email", "Emails stay in the outbox and are never sent"),
]
# A report takes seconds: a few supervisors at once, and fewer requests.
REPORT_LOAD = {"requests": 20, "warmup": 2, "solo": 5, "concurrency": 2}
FILTER_COMBOS = [
    (status, priority, team)
    for status in ("assigned", "pending", "closed")
    for priority in (2, 3, 4)
    for team in ("n1a", "n2a")
]


@dataclass
class Scenario:
    name: str
    label: str
    # "session", "technician token", "requester token", "supervisor session" or
    # "supervisor token"
    credentials: str
    request: object  # Callable[[int], Request]
    expect: int = 200
    target: str = ""
    target_ms: float | None = None  # p95 ceiling
    target_rate: float | None = None  # requests/s floor
    unit: str = "requests/s"
    # Slow requests (seconds each) get fewer of them, and fewer at once, than the options say.
    requests: int | None = None
    warmup: int | None = None
    solo: int | None = None
    concurrency: int | None = None


@dataclass
class Context:
    teams: dict[str, int]
    ticket_ids: list[int]  # tickets the measured technician may see
    deep_path: str = ""
    deep_pages: int = 0


def _get(path: str) -> Request:
    return ("GET", path, None)


def find_deep_page(client: Client, pages: int) -> tuple[str, int]:
    """Follow the queue's "next page" links `pages` times from the first page of everything."""
    path = "/tickets/?scope=all"
    walked = 0
    for _ in range(pages):
        status, _header, body = client.send("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: HTTP {status}")
        found = NEXT_LINK.search(body)
        if not found:
            break
        path = html.unescape(found.group(1).decode())
        walked += 1
    return path, walked


def build(context: Context) -> list[Scenario]:
    ids = context.ticket_ids

    def filtered(n: int) -> Request:
        status, priority, team = FILTER_COMBOS[n % len(FILTER_COMBOS)]
        query = {
            "scope": "all",
            "status": status,
            "priority": priority,
            "team": context.teams[team],
        }
        return _get(f"/tickets/?{urlencode(query)}")

    def search(n: int) -> Request:
        return _get(f"/tickets/?{urlencode({'scope': 'all', 'q': QUERIES[n % len(QUERIES)]})}")

    def everything(n: int) -> Request:
        return _get(f"/search/?{urlencode({'q': QUERIES[n % len(QUERIES)]})}")

    def suggestions(n: int) -> Request:
        title, description = REQUESTS[n % len(REQUESTS)]
        return _get(
            f"/search/suggestions?{urlencode({'title': title, 'description': description})}"
        )

    def portal_suggestions(n: int) -> Request:
        title, description = REQUESTS[n % len(REQUESTS)]
        query = urlencode({"title": title, "description": description})
        return _get(f"/api/v1/search/suggestions?{query}")

    def create(n: int) -> Request:
        body = {
            "title": f"Imprimante du 2e étage hors service ({n})",
            "description": "L'imprimante affiche une erreur de bourrage depuis ce matin.",
        }
        return ("POST", "/api/v1/tickets", json.dumps(body).encode())

    return [
        Scenario(
            "queue", "Technician queue, first page (`/tickets/`: my open tickets)", "session",
            lambda n: _get("/tickets/"), target="p95 ≤ 100 ms", target_ms=100,
        ),
        Scenario(
            "queue_all", "Everything visible, first page (`/tickets/?scope=all`)", "session",
            lambda n: _get("/tickets/?scope=all"), target="p95 ≤ 100 ms", target_ms=100,
        ),
        Scenario(
            "queue_deep",
            f"Everything visible, page {context.deep_pages + 1} (followed `next` links)",
            "session", lambda n: _get(context.deep_path), target="p95 ≤ 100 ms", target_ms=100,
        ),
        Scenario(
            "queue_due", "Technician queue, due next (`/tickets/?sort=due`: my open tickets)",
            "session", lambda n: _get("/tickets/?sort=due"), target="p95 ≤ 100 ms",
            target_ms=100,
        ),
        Scenario(
            "queue_all_due", "Everything visible, due next (`/tickets/?scope=all&sort=due`)",
            "session", lambda n: _get("/tickets/?scope=all&sort=due"), target="p95 ≤ 100 ms",
            target_ms=100,
        ),
        Scenario(
            "queue_filtered", "Filtered queue: status + priority + team (18 combinations)",
            "session", filtered, target="p95 ≤ 100 ms", target_ms=100,
        ),
        Scenario(
            "text_filter", f"Text filter `q=` ({len(QUERIES)} searches, rotating)", "session",
            search,
            target="p95 ≤ 150 ms", target_ms=150,
        ),
        Scenario(
            "search", f"One search `/search/?q=` ({len(QUERIES)} searches, rotating: tickets, "
            "articles, known errors, problems, people, with facets)", "session", everything,
            target="p95 ≤ 100 ms", target_ms=100,
        ),
        Scenario(
            "suggestions", f"Suggestions while typing, phone intake ({len(REQUESTS)} requests)",
            "session", suggestions, target="p95 ≤ 150 ms", target_ms=150,
        ),
        Scenario(
            "suggestions_portal", "Suggestions for a requester (API, requester token)",
            "requester token", portal_suggestions, target="p95 ≤ 150 ms", target_ms=150,
        ),
        Scenario(
            "ticket_page", "Ticket page `/tickets/<id>/` (random visible tickets)", "session",
            lambda n: _get(f"/tickets/{ids[(n * 7919) % len(ids)]}/"),
            target="p95 ≤ 60 ms", target_ms=60,
        ),
        Scenario(
            "api_list", "API list `GET /api/v1/tickets` (bearer token)", "technician token",
            lambda n: _get("/api/v1/tickets"), target="p95 ≤ 100 ms", target_ms=100,
        ),
        Scenario(
            "api_create", "API create `POST /api/v1/tickets` (bearer token)", "requester token",
            create, expect=201, target="≥ 300 tickets/s", target_rate=300, unit="tickets/s",
        ),
        Scenario(
            "report_api",
            "Service report, last 12 months, API `GET /api/v1/reports/service` (supervisor)",
            "supervisor token", lambda n: _get("/api/v1/reports/service"),
            target="p95 ≤ 2 s", target_ms=2000, **REPORT_LOAD,
        ),
        Scenario(
            "report_page", "Service report, last 12 months, page `/sla/reports/` (supervisor)",
            "supervisor session", lambda n: _get("/sla/reports/"),
            target="p95 ≤ 2 s", target_ms=2000, **REPORT_LOAD,
        ),
    ]  # fmt: skip
