"""`guichet inventory url ORGANISATION [--renew]`: the organisation's agent URL, with its
secret key, alone on its line (for scripts that deploy agents)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from guichet.accounts.models import Organisation
from guichet.inventory import actions


def find(name: str) -> Organisation:
    found = Organisation.objects.filter(name__iexact=name.strip()).first()
    if found is None and name.strip().isdigit():
        found = Organisation.objects.filter(pk=int(name)).first()
    if found is None:
        raise CommandError(f"No organisation named {name!r}.")
    return found


class Command(BaseCommand):
    help = "Inventory agents: print an organisation's agent URL."

    def add_arguments(self, parser):
        commands = parser.add_subparsers(dest="command", required=True)
        url = commands.add_parser("url", help="the organisation's agent URL with its key")
        url.add_argument("organisation", help="the organisation's name (or id)")
        url.add_argument("--renew", action="store_true",
                         help="replace the key: agents using the old URL are refused")  # fmt: skip

    def handle(self, *args, command: str, organisation: str, renew: bool = False, **options):
        key = actions.organisation_key(organisation=find(organisation), renew=renew)
        path = reverse("inventory:endpoint-key", args=[key])
        self.stdout.write(settings.SITE_URL.rstrip("/") + path)
