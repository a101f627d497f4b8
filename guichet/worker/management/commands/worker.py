import threading

from django.core.management import call_command
from django.core.management.base import BaseCommand

from guichet.worker.schedule import run_forever


class Command(BaseCommand):
    help = "Run the background worker: the task queue plus the periodic job scheduler."

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=1.0, help="Queue poll interval (s).")
        parser.add_argument("--batch", action="store_true", help="Exit when the queue is empty.")
        parser.add_argument(
            "--no-schedule",
            action="store_true",
            help="Do not enqueue periodic jobs from this process.",
        )

    def handle(self, *args, **options):
        stop = threading.Event()
        if not options["no_schedule"]:
            threading.Thread(
                target=run_forever, args=(stop,), daemon=True, name="guichet-scheduler"
            ).start()
        try:
            args = ["--interval", str(options["interval"])]
            if options["batch"]:
                args.append("--batch")
            call_command("db_worker", *args)
        finally:
            stop.set()
