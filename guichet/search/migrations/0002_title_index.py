"""PostgreSQL: the articles' titles get their own GIN index (see search.indexes)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from guichet.search import indexes

    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for index in indexes.ALL:
            for sql in indexes.postgres_title_index(index):
                cursor.execute(sql)


def backwards(apps, schema_editor):
    from guichet.search import indexes

    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for index in indexes.ALL:
            cursor.execute(f"DROP INDEX IF EXISTS {index.table}_search_title_idx")  # noqa: S608


class Migration(migrations.Migration):
    dependencies = [("search", "0001_indexes")]
    operations = [migrations.RunPython(forwards, backwards)]
