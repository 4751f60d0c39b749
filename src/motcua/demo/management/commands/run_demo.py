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
        children: list[subprocess.Popen[bytes]] = []
        try:
            for process in processes[:-1]:
                self.stdout.write(f"starting {process.what}")
                children.append(subprocess.Popen(command_line(process, manage_py), env=env))  # noqa: S603
            time.sleep(0.5)
            for process, child in zip(processes, children, strict=False):
                if child.poll() is not None:
                    raise CommandError(f"{process.name} stopped at once (exit {child.returncode})")
            web = processes[-1]
            self.stdout.write(f"serving {web.what}")
            subprocess.run(command_line(web, manage_py), env=env, check=False)  # noqa: S603
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
