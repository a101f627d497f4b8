"""SQLite: the tickets' full-text index stems words (`porter` before `unicode61`), so that
"écran" finds "écrans" and "printer" finds "printers", like the other indexes (search.indexes).
The index is rebuilt; PostgreSQL already stems (French and English configurations)."""

from django.db import migrations

from guichet.tickets.search import FTS_TABLE


def restem(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    from guichet.tickets.search import install, uninstall

    uninstall(connection)
    install(connection)
    schema_editor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('automerge', 16)")


class Migration(migrations.Migration):
    dependencies = [("tickets", "0009_alter_ticketevent_kind")]
    operations = [migrations.RunPython(restem, migrations.RunPython.noop)]
