"""Full-text indexes of articles, problems and people (see search.indexes)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from guichet.search import indexes

    for index in indexes.ALL:
        indexes.install(schema_editor.connection, index)


def backwards(apps, schema_editor):
    from guichet.search import indexes

    for index in indexes.ALL:
        indexes.uninstall(schema_editor.connection, index)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_user_email_idx"),
        ("knowledge", "0001_initial"),
        ("problems", "0001_initial"),
        ("tickets", "0010_search_stemming"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
