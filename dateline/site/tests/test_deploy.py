"""The production examples in deploy/ name commands that exist."""

import configparser
import io
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands

DEPLOY = Path(__file__).resolve().parents[3] / "deploy" / "systemd"
DATELINE_VERBS = {"serve", "demo", "version"}


def units():
    return sorted(DEPLOY.glob("*.service"))


@pytest.mark.parametrize("unit", units(), ids=lambda path: path.name)
def test_each_unit_runs_a_real_dateline_command(unit):
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str
    parser.read_file(io.StringIO(unit.read_text()))
    command = shlex.split(parser["Service"]["ExecStart"])
    assert command[0].endswith("/.venv/bin/dateline")
    assert command[1] in DATELINE_VERBS or command[1] in get_commands()
    timer = unit.with_suffix(".timer")
    if parser["Service"].get("Type") == "oneshot":
        assert timer.exists(), f"{unit.name} runs once: it needs {timer.name}"


def test_there_are_units_for_the_site_and_its_worker():
    # The worker queues the periodic jobs itself: no timers are needed.
    names = {unit.name for unit in units()}
    assert {"dateline.service", "dateline-worker.service"} <= names
