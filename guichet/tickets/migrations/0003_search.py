"""Full-text index on ticket title and description, kept by triggers in the database.

SQLite: an FTS5 table; PostgreSQL: a tsvector column with a GIN index (see tickets.search).
Existing tickets are indexed here; reversing removes the index, its triggers and functions.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    from guichet.tickets.search import install

    install(schema_editor.connection)


def backwards(apps, schema_editor):
    from guichet.tickets.search import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0002_seed")]
    operations = [migrations.RunPython(forwards, backwards)]
