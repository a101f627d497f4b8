from django.core.management.base import BaseCommand, CommandError

from guichet.accounts.actions import create_token
from guichet.accounts.models import User


class Command(BaseCommand):
    help = "Manage API tokens: `token create USERNAME` prints a new token alone on its line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create")
        create.add_argument("username")
        create.add_argument("--name", default="")

    def handle(self, *args, **o):
        try:
            user = User.objects.get(username=o["username"])
        except User.DoesNotExist:
            raise CommandError(f"No user named {o['username']!r}") from None
        _token, key = create_token(user=user, name=o["name"] or "command line")
        self.stdout.write(key)
