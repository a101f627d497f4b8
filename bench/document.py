"""docs/benchmarks.md as first written; later runs replace only the results between markers."""

TEMPLATE = """# Benchmarks

`make bench` measures Guichet the way it is shipped: the production server (`guichet serve`:
gunicorn with 2 sync workers, DEBUG off, static files by WhiteNoise) on SQLite, against a data
set of a million tickets, with 8 clients at once.

```
make bench               # 1,000,000 tickets
make bench SIZE=100000   # the same on 100,000 tickets, for quick iterations
.venv/bin/python -m bench.run --size 20000 --reuse --only queue,ticket_page
.venv/bin/python -m bench.run --size 100000 --reuse --no-analyze   # without planner statistics
```

`python -m bench.run --help` lists the options (requests per scenario, concurrency, workers,
deadline per scenario, `--generate-only`, `--no-doc`). Files go to `bench/out/`
(git-ignored): the database, the server's logs, and the tokens of the data set.

## How

1. **Data set.** A separate SQLite file under `bench/out/` (never the `make run` database):
   `migrate`, then a base written through the ORM (60 client organisations, 12 of them
   individuals and 12 English-speaking; 40 technicians in 8 teams: three first-level pods
   each serving a third of the clients, two second-level teams each serving half, experts,
   on-site and network teams serving all; about 2,000 contacts), then the tickets by bulk SQL
   (`executemany` in large transactions, journal off during the load, secondary indexes and
   full-text triggers dropped and rebuilt afterwards, the FTS5 index rebuilt with `rebuild`).
   Tickets span three years, spread over the clients Zipf-like; statuses follow their age
   (nearly all old tickets closed, an open backlog of recent ones in every status), with 1–4
   events and 0–3 follow-ups each. Titles and descriptions come from the demo's French and
   English scenarios (printers, passwords, VPN, Wi-Fi, business software…), so a text search
   meets realistic words at realistic frequencies.
2. **Server.** `guichet serve` on a free port of 127.0.0.1, stopped at the end.
3. **Load.** 8 threads, each with its own HTTP connection (reopened after each response,
   since gunicorn's sync workers do not keep connections alive), share a fixed number of
   requests per scenario (400, after 40 warm-up requests and 20 requests sent one at a time,
   whose median is the "alone" column); each latency covers the request and the whole
   response body. Every response must be 200 (201 for creation); errors are counted and
   listed. A scenario stops issuing requests at its deadline (300 s), and the next one starts
   once the server answers promptly again. The technician measured is a first-level
   technician whose pod serves a third of the clients (about a third of all tickets).
4. **Planner statistics.** Refreshed first, the way `guichet worker` does every six hours
   (a full `ANALYZE`); `--no-analyze` measures a database that has
   none (see finding 1).

Scenarios: the technician's queue (first page of "my open tickets", first page of everything
visible, a page 200 "next" links deep), a filtered queue (status + priority + team), the text
filter (`q=` with French and English searches, rotating), the ticket page of random visible
tickets, the API list with a bearer token, and API creation (`POST /api/v1/tickets` with
`{"title", "description"}`, counted in tickets per second).

## Targets

On a 2-core machine with SQLite: queue and API list p95 ≤ 100 ms, ticket page p95 ≤ 60 ms,
text filter p95 ≤ 150 ms, API creation ≥ 300 tickets/s.

For scale: the closest Python peer (django-helpdesk 2.6.1), measured the same way on this kind
of machine with only 100,000 tickets, needs 2.9 s (p95) for the rows of its ticket list, 3.1 s
for a text search, 331 ms for a ticket page, 24 s for one API call, and creates 54 tickets/s.

## Results

<!-- bench:results -->
<!-- /bench:results -->
"""
