"""Serve the demo: the web server and, beside it, the worker, the outbox sweep and the local fakes
of the outside services (`make demo` runs this last). Ctrl-C stops them all."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.demo.runner import command_line, demo_processes


class _Stop(Exception):
    pass


def _raise_stop(signum: int, frame: Any) -> None:
    raise _Stop(signum)


class Command(BaseCommand):
    help = "Run the demo's web server with its worker, outbox sweep and fake outside services."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument(
            "--dry-run", action="store_true", help="print the command lines and stop"
        )

    def handle(self, *args: Any, addrport: str, dry_run: bool, **options: Any) -> None:
        if not settings.DEBUG:
            raise CommandError("run_demo is for the demo (DEBUG on); see README for production.")
        host, _, port = addrport.rpartition(":")
        if not port.isdigit():
            raise CommandError(f"expected HOST:PORT, got {addrport!r}")
        manage_py = Path(settings.PROJECT_DIR) / "manage.py"
        processes = demo_processes(host=host or "127.0.0.1", port=int(port))
        if dry_run:
            for process in processes:
                self.stdout.write(f"{process.name}: {' '.join(command_line(process, manage_py))}")
            return
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        # Stop everything on Ctrl-C, on a closed terminal and on a plain kill: each raises here,
        # so the finally below stops the children (even when started with SIGINT ignored).
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _raise_stop)
        children: list[tuple[str, subprocess.Popen[bytes]]] = []
        try:
            for process in processes:
                self.stdout.write(f"starting {process.what}")
                child = subprocess.Popen(command_line(process, manage_py), env=env)  # noqa: S603
                children.append((process.name, child))
            while True:
                for name, child in children:
                    if child.poll() is not None:
                        raise CommandError(f"{name} stopped (exit {child.returncode})")
                time.sleep(0.5)
        except (KeyboardInterrupt, _Stop):
            self.stdout.write("stopping the demo")
        finally:
            for _, child in children:
                if child.poll() is None:
                    child.terminate()
            for _, child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
