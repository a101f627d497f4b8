"""`make bench`: a large data set in a separate SQLite file, the production server against it,
and timed requests at fixed concurrency. Results go to docs/benchmarks.md.

- base.py: the people, organisations and teams (through the ORM: a few thousand rows);
- dataset.py: the tickets, events and follow-ups (plain bulk SQL: millions of rows);
- server.py: gunicorn on a free local port, started and stopped;
- load.py and scenarios.py: the load generator and what it asks for;
- report.py: the table and the document.
"""
