import contextlib
import http.client
import os
import secrets
import signal
import subprocess
import sys
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connections

from portier.lib.i18n import compile_messages
from portier.sandbox import google as sandbox_google
from portier.sandbox.guidance import first_run_text
from portier.sandbox.microsoft import running_sandbox_microsoft


def default_bind() -> str:
    base = urlsplit(settings.PORTIER_BASE_URL)
    port = base.port or (443 if base.scheme == "https" else 80)
    return f"{base.hostname}:{port}"


def web_answers(bind: str) -> bool:
    """Whether a gunicorn worker answers on the bind address (a login page, any status)."""
    if bind.startswith(("unix:", "fd://")):
        return True
    host, _, port = bind.rpartition(":")
    host = host.strip("[]")
    host = "127.0.0.1" if host in ("", "0.0.0.0") else "::1" if host == "::" else host
    connection = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", "/accounts/login/")
        connection.getresponse().read()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        connection.close()


class Command(BaseCommand):
    help = "Migrate, then run the web server (gunicorn) and the worker (Huey) until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=None, help="HOST:PORT (default: from base URL)")
        parser.add_argument("--web-workers", type=int, default=2)
        parser.add_argument(
            "--web-threads",
            type=int,
            default=None,
            help="threads per web process (default: PORTIER_WEB_THREADS, 4)",
        )
        parser.add_argument("--no-worker", action="store_true", help="run the web server only")

    def handle(self, *args, **opts):
        if opts["web_threads"] is not None and opts["web_threads"] < 1:
            raise CommandError("--web-threads must be at least 1")
        if settings.PORTIER_SANDBOX:
            sandbox_google.ensure_only_this_computer(
                settings.PORTIER_BASE_URL, opts["bind"] or default_bind()
            )
        compile_messages()
        call_command("migrate", interactive=False, verbosity=0)
        with contextlib.ExitStack() as stack:
            sandbox = microsoft = None
            if settings.PORTIER_SANDBOX:
                # The simulated Google and Microsoft live here, in the parent, shared by all
                # children; one control token signs both consent pages' hints.
                token = secrets.token_urlsafe(32)
                sandbox = stack.enter_context(sandbox_google.running_sandbox_google(token))
                microsoft = stack.enter_context(running_sandbox_microsoft(token))
            self.serve(opts, sandbox, microsoft)

    def serve(self, opts, sandbox, microsoft=None):
        bind = opts["bind"] or default_bind()
        threads = opts["web_threads"] or settings.PORTIER_WEB_THREADS
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "portier.settings"}
        for running in (sandbox, microsoft):
            if running is not None:
                env = sandbox_google.apply_child_env(env, running)
        web = [
            sys.executable, "-m", "gunicorn", "portier.wsgi:application",
            "--bind", bind,
            "--workers", str(opts["web_workers"]),
            # More than one: gunicorn's gthread worker (a thread waiting for the database
            # lets another request run).
            "--threads", str(threads),
            "--access-logfile", "-",
            # Redacts secrets in request lines and Referers (portier/lib/logs.py).
            "--logger-class", "portier.lib.logs.GunicornLogger",
            "--graceful-timeout", "10",
            # gunicorn would trust X-Forwarded-Proto from loopback on its own: the same
            # proxies as Portier's (PORTIER_TRUSTED_PROXIES), by default none.
            "--forwarded-allow-ips", ",".join(map(str, settings.PORTIER_TRUSTED_PROXIES)),
        ]  # fmt: skip
        worker = [sys.executable, "-m", "portier.cli", "run_huey"]
        children = [subprocess.Popen(web, env=env)]
        if not opts["no_worker"]:
            children.append(subprocess.Popen(worker, env=env))
        self.stdout.write(f"Portier is serving on http://{bind}/ (Ctrl-C stops it)")
        self.stdout.flush()

        stopping = False

        def stop(signum, frame):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        announce_by = time.monotonic() + 60
        try:
            while not stopping:
                if any(child.poll() is not None for child in children):
                    break
                if announce_by and (web_answers(bind) or time.monotonic() > announce_by):
                    # After gunicorn's own start-up lines, so that it is the last thing shown.
                    self.stdout.write(first_run_text(sandbox, microsoft))
                    self.stdout.flush()
                    connections.close_all()
                    announce_by = None
                time.sleep(0.2)
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
                    child.wait()
        failed = [c for c in children if c.returncode not in (0, -signal.SIGTERM, None)]
        if not stopping and failed:
            raise CommandError("a child process stopped unexpectedly; see the log above")
