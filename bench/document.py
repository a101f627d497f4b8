"""docs/benchmarks.md as first written; later runs replace only the results between markers."""

TEMPLATE = """# Benchmarks

`make bench` measures Guichet the way it is shipped: the production server (`guichet serve`:
gunicorn with 2 sync workers, DEBUG off, static files by WhiteNoise) on SQLite, against a data
set of a million tickets, with 8 clients at once; then the worker's escalation scan, in-process,
over 100,000 open tickets.

```
make bench               # 1,000,000 tickets
make bench SIZE=100000   # the same on 100,000 tickets, for quick iterations
.venv/bin/python -m bench.run --size 1000000 --reuse --only queue,ticket_page
.venv/bin/python -m bench.run --size 100000 --reuse --no-analyze   # without planner statistics
.venv/bin/python -m bench.profile --size 1000000 ticket_page api_create   # where the time goes
.venv/bin/python -m bench.run --size 1000000 --reuse --only escalation_steady,escalation_catchup
cp bench/out/bench-open-100000.sqlite3 /tmp/scan.sqlite3 && .venv/bin/python -m bench.escalation \\
    scan --size 100000 --db /tmp/scan.sqlite3 --name escalation_catchup --profile 30
```

`python -m bench.run --help` lists the options (requests per scenario, concurrency, workers,
deadline per scenario, `--generate-only`, `--no-doc`, `--scan-size`). `--reuse` keeps the
data sets made earlier and migrates them to the current schema first; `--only` takes the
escalation scans' names too. `python -m bench.profile` runs a
scenario's requests inside one process through the same WSGI application, with the data set
of `bench.run`, and prints their time, their SQL query count and a cProfile listing: the
tool for working on a measured path. Files go to `bench/out/` (git-ignored): the database,
the server's logs, and the tokens of the data set.

## How

1. **Data set.** A separate SQLite file under `bench/out/` (never the `make run` database):
   `migrate`, then a base written through the ORM (60 client organisations, 12 of them
   individuals and 12 English-speaking; 40 technicians in 8 teams: three first-level pods
   each serving a third of the clients, two second-level teams each serving half, experts,
   on-site and network teams serving all; about 2,000 contacts), then the tickets by bulk SQL
   (`executemany` in large transactions, journal off during the load, secondary indexes and
   full-text triggers dropped and rebuilt afterwards, the FTS5 index rebuilt with `rebuild`).
   Tickets span three years, spread over the clients Zipf-like; statuses follow their age
   (nearly all old tickets closed, an open backlog of recent ones in every status), with the
   events the verbs record (about 8 a ticket: see "Service levels" below) and 0–3 follow-ups
   each. Titles and descriptions come from the demo's French and English scenarios
   (printers, passwords, VPN, Wi-Fi, business software…), so a text search meets realistic
   words at realistic frequencies. Every ticket also has its service clocks and due date,
   computed by the product's clock engine.
2. **Server.** `guichet serve` on a free port of 127.0.0.1, stopped at the end.
3. **Load.** 8 threads, each with its own HTTP connection (reopened after each response,
   since gunicorn's sync workers do not keep connections alive), share a fixed number of
   requests per scenario (400, after 40 warm-up requests and 20 requests sent one at a time,
   whose median is the "alone" column); each latency covers the request and the whole
   response body. Every response must be 200 (201 for creation); errors are counted and
   listed. A scenario stops issuing requests at its deadline (300 s), and the next one starts
   once the server answers promptly again. The technician measured is a first-level
   technician whose pod serves a third of the clients (about a third of all tickets).
4. **Planner statistics.** Refreshed before measuring (a full `ANALYZE`), as `guichet worker`
   does every six hours; `--no-analyze` measures a database that has none (see finding 1).

Scenarios: the technician's queue (first page of "my open tickets", first page of everything
visible, a page 200 "next" links deep), the same two first pages sorted "due next", a
filtered queue (status + priority + team), the text filter (`q=` with French and English
searches, rotating), the ticket page of random visible tickets, the API list with a bearer
token, API creation (`POST /api/v1/tickets` with `{"title", "description"}`, counted in
tickets per second), the service report of the last 12 months (API and page, as the
supervisor), and the escalation scans.

## Service levels: how the SLA scenarios are built

1. **Histories the engine can read.** Each generated ticket's events are those the verbs
   write: a `status` event for every change of status, as `change_status` records it
   (new → assigned with the assignment, then → pending with the pending reason, → planned,
   or → solved with the solution, and solved → closed with the acceptance), the
   hierarchical escalations of the tickets flagged "escalated", and a `followup` event per
   follow-up (public unless internal note). Follow-ups fall before the solution (see the
   service levels findings: the product cannot record a staff follow-up on a solved ticket
   today).
2. **Clocks by the product's engine.** For every ticket the loader turns those event tuples
   into light objects with the attributes `sla.history.read` reads (kind, field, old and new
   value, public, actor, aware `created_at`), takes the contract `contract_for` gives the
   client on the opening day, runs `sla.clocks.compute` with `sla.contracts.REFERENCE` as of
   the generation's `now`, and writes each clock as `sla.actions.clocks._values` gives it
   (TicketClock rows, by `executemany`, their indexes dropped during the load like the
   others), and `Ticket.due_at` as `ticket_due` gives it (`NO_DUE_DATE` without a running
   clock). The reference data (contracts, calendars, staff) is read once, inside a
   `refcache.scope()` spanning the whole load, before the loader's connection takes its
   exclusive lock. The engine is pure Python at about 0.2–0.3 ms of CPU per ticket, so
   forked worker processes (one per core) compute a chunk's clocks while the main process
   generates and inserts the next one. Checked at 20,000 tickets: the product's
   `refresh_clocks(ticket, now=now)` on 3,000 random tickets changes nothing.
3. **A ladder, in its steady state.** Every client is on the default contract (office hours
   in France, the seeded targets: at priority 3, own in 2 business hours, resolve in 24). The
   base adds an escalation ladder to it, for time to own and time to resolve alike: 50 %
   notify the assignee, 100 % notify the supervisor, 150 % raise the priority. Each step
   reached before `now` has its `EscalationFiring` row, fired at the first whole minute after
   it was reached (a worker scanning every minute; none if the clock had stopped by then),
   so each running clock's `next_step_at` is its next step not yet fired and nothing is due
   at `now`, as with a worker that never stopped. The steps' actions (notifications, the
   supervisor flag, the raised priority) are not replayed into the histories: only the
   firings are.
4. **Due next.** The first page of the technician's queue (`/tickets/?sort=due`) and of
   everything visible (`/tickets/?scope=all&sort=due`), like the other queue scenarios.
5. **Service reports.** `GET /api/v1/reports/service` with the supervisor's token (every
   figure: attainment, first-contact resolution, resolution times, backlog, satisfaction;
   the default period, the last 12 months), and the report page `/sla/reports/` in their
   session. The supervisor belongs to every team, so reads the figures of every client. A
   report takes seconds: 2 clients at once, 20 requests after 2 warm-up ones (5 alone).
6. **Escalation scans.** The worker's job, timed in-process (`bench/escalation.py`) on a data
   set of its own, `bench-open-100000.sqlite3` (a tenth of `--size` below a million, or
   `--scan-size`): 100,000 open tickets and nothing else (closed tickets have no
   `next_step_at` and take no part in a scan), with the same base, histories, clocks and
   firings, aged like the main data set's open backlog (a third older than a month). Its
   `now` is the latest weekday 10:00 (Paris) when the office-hours calendar is open for the
   next hour. Each scan runs in a process of its own on a fresh copy of the file, after 20
   tickets escalated and rolled back (a worker running for a while is warm): *steady*,
   `run_escalations(now=now + 1 min)`, and *catch-up* after an hour without a worker,
   `run_escalations(now=now + 1 h)`. Reported: the scan's wall and CPU time, the clocks due,
   the tickets looked at, the steps fired and firings per second, the SQL queries, and the
   time of `escalate_ticket` per ticket (p50/p95/p99).

## Targets

On a 2-core machine with SQLite: queue (due next included) and API list p95 ≤ 100 ms, ticket
page p95 ≤ 60 ms, text filter p95 ≤ 150 ms, API creation ≥ 300 tickets/s, each service
report over a year ≤ 2 s, one escalation scan over 100,000 open tickets ≤ 5 s.

For scale: the closest Python peer (django-helpdesk 2.6.1), measured the same way on this kind
of machine with only 100,000 tickets, needs 2.9 s (p95) for the rows of its ticket list, 3.1 s
for a text search, 331 ms for a ticket page, 24 s for one API call, and creates 54 tickets/s.

## Results

<!-- bench:results -->
<!-- /bench:results -->
"""
