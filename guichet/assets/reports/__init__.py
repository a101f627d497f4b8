"""Fleet reports: figures of the machines, their software and licences, for the screen, the
CSV downloads and an organisation's anomalies summary.

- `fleet.py`: the filters (`parse_filters`) and each figure, added up in SQL, as a table.
- `tables.py`: tables of typed values, written for people or for spreadsheets.
- `charts.py`: horizontal bar charts as inline SVG.
- `sections.py`: the report page's sections, and every table by its CSV slug (`BUILDERS`).
- `systems.py`: the operating systems no longer supported.
- `anomalies.py`: an organisation's anomalies summary, as HTML and PDF, in its language.

Licence compliance itself is `assets.compliance`.
"""
