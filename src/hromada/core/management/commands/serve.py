from __future__ import annotations

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connections

from hromada.core.scheduler import start_in_process_scheduler


class Command(BaseCommand):
    help = "Apply pending migrations and serve Hromada (gunicorn; --dev for autoreload)."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--dev", action="store_true", help="Django's autoreloading server")
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        serve(
            host=options["host"],
            port=options["port"],
            dev=options["dev"],
            workers=options["workers"],
            stdout=self.stdout,
        )


def serve(*, host: str, port: int, dev: bool = False, workers: int = 2, stdout=None) -> None:
    if dev:
        call_command("runserver", f"{host}:{port}")
        return
    if settings.PRODUCTION:
        call_command("collectstatic", interactive=False, verbosity=0)
    from gunicorn.app.base import BaseApplication

    from hromada.wsgi import application

    class HromadaServer(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("threads", 4)
            self.cfg.set("accesslog", "-")

        def load(self):
            return application

    # Workers are forked: none may inherit the connection migrate opened.
    connections.close_all()
    # The master process keeps the schedule; forked workers do not inherit the thread.
    start_in_process_scheduler()
    if stdout is not None:
        stdout.write(f"Hromada is serving on http://{host}:{port}/ (Ctrl+C stops it)")
    HromadaServer().run()
