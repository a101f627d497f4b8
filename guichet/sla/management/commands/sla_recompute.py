"""guichet sla_recompute [--all]: recompute tickets' service clocks from their history.

The worker does it for open tickets whenever a calendar, contract or OLA changes; this is
for an upgrade from a version without clocks, or after restoring a backup.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from guichet.sla.actions.clocks import refresh_clocks, refresh_open_tickets
from guichet.tickets.models import Ticket


class Command(BaseCommand):
    help = "Recompute the service clocks of open tickets (or of every ticket with --all)."

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="Closed tickets too.")

    def handle(self, *args, **options):
        if not options["all"]:
            done = refresh_open_tickets()
        else:
            done, last = 0, 0
            while True:
                batch = list(Ticket.objects.filter(pk__gt=last).order_by("pk")[:500])
                if not batch:
                    break
                with transaction.atomic():
                    for ticket in batch:
                        refresh_clocks(ticket)
                done += len(batch)
                last = batch[-1].pk
        self.stdout.write(f"{done} tickets")
