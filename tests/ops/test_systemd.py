"""The systemd units of ``deploy/systemd``: every timer has its service and is enabled by the
deployment guide, no two nightly jobs start at the same minute, and the monthly report's
command, read as systemd reads it, writes last month's files to ``$PROMZONA_VAR_DIR/reports``."""

from __future__ import annotations

import datetime as dt
import re
import shlex
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNITS = ROOT / "deploy" / "systemd"


def _values(unit: Path, key: str) -> list[str]:
    return re.findall(rf"^{key}=(.*)$", unit.read_text(), re.M)


def test_every_timer_has_its_service_and_the_guide_enables_it():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    timers = sorted(UNITS.glob("*.timer"))
    assert "promzona-report.timer" in [t.name for t in timers]
    for timer in timers:
        assert timer.with_suffix(".service").exists(), timer.name
        assert timer.name in guide, timer.name


def test_no_two_daily_jobs_start_at_the_same_time():
    daily = [(t.name, _values(t, "OnCalendar")[0]) for t in UNITS.glob("*.timer")
             if _values(t, "OnCalendar")[0].startswith("*-*-")]
    times = [when for _name, when in daily]
    assert len(times) == len(set(times)), daily


def test_the_report_runs_on_the_first_of_the_month():
    (when,) = _values(UNITS / "promzona-report.timer", "OnCalendar")
    assert when.startswith("*-*-01 ")


def test_the_report_writes_last_months_pdf_and_xlsx_to_the_var_dir(tmp_path):
    """Each command as systemd hands it to the shell (``$$`` → ``$``, ``%%`` → ``%``, the
    environment file's variables set), with ``promzona`` a stand-in printing its arguments."""
    fake = tmp_path / "promzona"
    fake.write_text('#!/bin/sh\nprintf "%s\\n" "$@"\n')
    fake.chmod(0o755)
    var = tmp_path / "var"
    service = (UNITS / "promzona-report.service")
    commands = _values(service, "ExecStartPre") + _values(service, "ExecStart")
    outputs = []
    for line in commands:
        line = line.replace("${PROMZONA_VAR_DIR}", str(var)).replace("$$", "$") \
            .replace("%%", "%").replace("/opt/promzona/.venv/bin/promzona", str(fake))
        out = subprocess.run(shlex.split(line), capture_output=True, text=True, check=True)
        outputs.append(out.stdout.split("\n"))
    last = dt.date.today().replace(day=1) - dt.timedelta(days=1)
    month = f"{last.year}-{last.month:02d}"
    assert (var / "reports").is_dir()
    assert [o[:4] for o in outputs[1:]] == [["report", "monthly", "--month", month]] * 2
    assert [o[5] for o in outputs[1:]] == [f"{var}/reports/{month}.pdf",
                                           f"{var}/reports/{month}.xlsx"]
