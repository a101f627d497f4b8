"""guichet knowledge export|import: the knowledge base as Markdown files (a folder or a .zip).

`guichet knowledge export DIR` writes every article into DIR (new, empty, or an earlier
export, whose article folders are replaced); `export FILE.zip` writes an archive instead.
`guichet knowledge import DIR|FILE.zip [--dry-run]` creates and updates articles by uid, all or
nothing. Any refused input ends with exit status 1 and one line per problem naming the file.
The format is described in guichet/knowledge/transfer.py.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from guichet.accounts.choices import Role
from guichet.accounts.models import User
from guichet.knowledge.actions.transfer import import_knowledge
from guichet.knowledge.transfer import TransferError
from guichet.knowledge.transfer_db import export_tree, plan_import
from guichet.knowledge.transfer_files import read_source, write_directory, zip_bytes
from guichet.lib.errors import ActionError


class Command(BaseCommand):
    help = "Export the knowledge base as Markdown files, or import such files."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Write every article into a folder or a .zip.")
        export.add_argument("target", help="A folder, or a file name ending in .zip.")
        export.add_argument("--as", dest="username", default="", help="An administrator.")
        load = sub.add_parser("import", help="Create and update articles from a folder or .zip.")
        load.add_argument("source", help="A folder, or a .zip file.")
        load.add_argument("--dry-run", action="store_true", help="Show what would change only.")
        load.add_argument(
            "--as",
            dest="username",
            default="",
            help="The administrator the changes are recorded for (default: the first one).",
        )

    def handle(self, *args, **options):
        actor = self._actor(options["username"])
        try:
            if options["action"] == "export":
                self._export(actor, options["target"])
            else:
                self._import(actor, options["source"], dry_run=options["dry_run"])
        except TransferError as error:
            lines = "\n".join(f"  {problem}" for problem in error.problems)
            raise CommandError(f"refused, nothing was saved:\n{lines}") from None
        except ActionError as error:
            raise CommandError(error.message) from None

    def _actor(self, username: str) -> User:
        admins = User.objects.filter(is_active=True, role=Role.ADMIN)
        actor = (admins.filter(username=username) if username else admins.order_by("pk")).first()
        if actor is None:
            what = f"no active administrator named {username!r}" if username else "no active "
            raise CommandError(what + ("" if username else "administrator: create one first"))
        return actor

    def _export(self, actor: User, target: str) -> None:
        tree = export_tree(actor)
        count = len({name.split("/", 1)[0] for name in tree if "/" in name})
        if target.lower().endswith(".zip"):
            Path(target).write_bytes(zip_bytes(tree))
        else:
            write_directory(tree, Path(target))
        self.stdout.write(f"{count} articles exported to {target}")

    def _import(self, actor: User, source: str, *, dry_run: bool) -> None:
        tree = read_source(source)
        plan = plan_import(tree, actor) if dry_run else import_knowledge(actor=actor, tree=tree)
        if plan.problems:
            raise TransferError(plan.problems)
        for change in plan.created:
            self.stdout.write(f"create {change.data.folder}: {change.title}")
        for change in plan.updated:
            fields = ", ".join(change.fields)
            self.stdout.write(f"update {change.data.folder}: {change.title} ({fields})")
        created, updated, unchanged = len(plan.created), len(plan.updated), len(plan.unchanged)
        if dry_run:
            self.stdout.write(
                f"dry run: {created} to create, {updated} to update, {unchanged} unchanged; "
                "nothing was saved."
            )
        else:
            self.stdout.write(f"{created} created, {updated} updated, {unchanged} unchanged.")
