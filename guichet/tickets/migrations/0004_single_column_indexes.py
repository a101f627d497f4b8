"""No single-column index on the ticket relations that lead a composite index (see the
comment on Ticket.requester), nor on TicketEvent.ticket (led by event_ticket_idx).

Only the indexes go: to change db_index on SQLite Django would rebuild the whole ticket
table, so the database side drops the indexes by name instead.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

FIELDS = [
    ("ticket", "assignee"),
    ("ticket", "category"),
    ("ticket", "organisation"),
    ("ticket", "requester"),
    ("ticket", "team"),
    ("ticketevent", "ticket"),
]


def _single_column_indexes(schema_editor, model, column):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, model._meta.db_table)
    named = {index.name for index in model._meta.indexes}
    return [
        name
        for name, info in constraints.items()
        if info["index"]
        and info["columns"] == [column]
        and not info["unique"]
        and not info["primary_key"]
        and name not in named
    ]


def drop_indexes(apps, schema_editor):
    for model_name, field_name in FIELDS:
        model = apps.get_model("tickets", model_name)
        column = model._meta.get_field(field_name).column
        for name in _single_column_indexes(schema_editor, model, column):
            schema_editor.execute(schema_editor._delete_index_sql(model, name))


def create_indexes(apps, schema_editor):
    for model_name, field_name in FIELDS:
        model = apps.get_model("tickets", model_name)
        field = model._meta.get_field(field_name)
        if not _single_column_indexes(schema_editor, model, field.column):
            schema_editor.execute(schema_editor._create_index_sql(model, fields=[field]))


def _fk(**kwargs):
    return models.ForeignKey(db_index=False, **kwargs)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("tickets", "0003_search"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="ticket",
                    name="assignee",
                    field=_fk(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="assigned_tickets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="assignee",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="category",
                    field=_fk(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        to="tickets.category",
                        verbose_name="category",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="organisation",
                    field=_fk(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="tickets",
                        to="accounts.organisation",
                        verbose_name="organisation",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="requester",
                    field=_fk(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="requested_tickets",
                        to=settings.AUTH_USER_MODEL,
                        verbose_name="requester",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticket",
                    name="team",
                    field=_fk(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="tickets",
                        to="accounts.team",
                        verbose_name="team",
                    ),
                ),
                migrations.AlterField(
                    model_name="ticketevent",
                    name="ticket",
                    field=_fk(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="events",
                        to="tickets.ticket",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, create_indexes)],
        ),
    ]
