"""run_demo: the web server with the worker, the outbox sweep and the fake outside services."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from motcua.demo.runner import demo_processes


def test_every_demo_process_is_a_management_command_of_motcua() -> None:
    processes = demo_processes(host="127.0.0.1", port=8000)

    assert [p.name for p in processes] == ["worker", "outbox", "gateway", "sms", "zalo", "web"]
    commands = get_commands()
    for process in processes:
        assert process.args[0] in commands, process.name
    assert processes[-1].args == ("runserver", "--noreload", "127.0.0.1:8000")


def test_dry_run_prints_the_command_lines(settings: Any) -> None:
    settings.DEBUG = True
    out = StringIO()

    call_command("run_demo", "127.0.0.1:8123", "--dry-run", stdout=out)

    lines = out.getvalue().splitlines()
    assert len(lines) == 6
    assert lines[0].startswith("worker: ")
    assert lines[0].endswith("manage.py db_worker --no-reload --interval 1")
    assert lines[2].endswith("manage.py payment_gateway_simulator --host 127.0.0.1 --port 8010")
    assert lines[-1].endswith("manage.py runserver --noreload 127.0.0.1:8123")


def test_it_refuses_to_run_without_debug_and_a_bad_address(settings: Any) -> None:
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        call_command("run_demo", "--dry-run")
    settings.DEBUG = True
    with pytest.raises(CommandError, match="HOST:PORT"):
        call_command("run_demo", "localhost", "--dry-run")
