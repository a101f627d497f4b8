"""Database maintenance that the product does for itself."""

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> bool:
    """Give SQLite's query planner fresh statistics; returns whether anything ran.

    Without statistics SQLite cannot tell that "tickets a technician may see" matches a
    third of the table, and answers the queue by sorting every visible ticket instead of
    walking the newest ones (seconds instead of a millisecond at a million tickets). The
    analysis reads every index in full: a sampled one (`analysis_limit`) caps the counts and
    makes every organisation look rare, which brings the slow plan back. It takes about 3 s
    at a million tickets, run by the worker every six hours. PostgreSQL keeps its own
    statistics (autovacuum), so nothing is needed there.
    """
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA analysis_limit=0")
        cursor.execute("ANALYZE")
    return True
