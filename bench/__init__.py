"""`make bench`: a large data set in a separate SQLite file, the production server against it,
and timed requests at fixed concurrency; then the worker's escalation scans, in-process, on a
data set of open tickets. Results go to docs/benchmarks.md.

- base.py: the people, organisations and teams (through the ORM: a few thousand rows);
- dataset.py: the tickets, events, follow-ups, service clocks and escalation firings (plain
  bulk SQL: millions of rows; the clocks computed by the product's engine);
- server.py: gunicorn on a free local port, started and stopped;
- load.py and scenarios.py: the load generator and what it asks for;
- escalation.py: the escalation scans (`run_escalations` timed in-process, on copies);
- report.py: the tables and the document.
"""
