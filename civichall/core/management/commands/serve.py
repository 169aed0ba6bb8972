"""``civichall serve``: the production web server (gunicorn) with the
project's configuration (``civichall/gunicorn_conf.py``), including the
start-up refusal of several workers on a per-process cache."""

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with gunicorn (production)."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help="Address:port (default CIVICHALL_BIND or 127.0.0.1:8000).")
        parser.add_argument("--workers", type=int, default=None,
                            help="Worker processes (default WEB_CONCURRENCY, else 2 with REDIS_URL and 1 without).")

    def handle(self, *args, bind=None, workers=None, **options):
        from gunicorn.app.base import BaseApplication

        from civichall import gunicorn_conf

        class Server(BaseApplication):
            def load_config(self):
                for name in ("wsgi_app", "bind", "workers", "worker_class", "threads", "forwarded_allow_ips",
                             "accesslog", "on_starting"):
                    self.cfg.set(name, getattr(gunicorn_conf, name))
                if bind:
                    self.cfg.set("bind", bind)
                if workers:
                    self.cfg.set("workers", workers)

            def load(self):
                from civichall.wsgi import application

                return application

        Server().run()
