"""``promzona optimise allocation|utilities``: the solver contract on instance files, and the
zone's own instances."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from promzona.core.optimise.allocation import parse_allocation
from promzona.core.optimise.plan import parse_plan
from promzona.core.utilities import UTILITY_KINDS
from promzona.matching.selectors import sources_serving_plot
from promzona.zones.models import Plot

ALLOCATION = {
    "applications": [
        {"id": "A1", "value": 120.5, "area_ha": {"min": 1, "max": 5},
         "needs": {"power_kw": 500, "water_m3_day": 20}, "eligible": ["P1", "P2"]},
        {"id": "A2", "value": 80, "needs": {"power_kw": 2800}}],
    "plots": [{"id": "P1", "area_ha": 2.0, "sources": {"power": "PS-1", "water": "VZ-1"}},
              {"id": "P2", "area_ha": 3.0, "sources": {"power": "PS-1", "water": "VZ-1"}}],
    "sources": [{"id": "PS-1", "kind": "power", "free": 3000},
                {"id": "VZ-1", "kind": "water", "free": 100}]}
UTILITIES = {"periods": 6, "discount_rate": 0.08, "budget": [100] * 6, "carry_over": True,
             "works": [{"id": "W0", "cost": 50, "duration": 1},
                       {"id": "W1", "cost": 80, "duration": 2, "requires": ["W0"]},
                       {"id": "W3", "cost": 30, "duration": 1}],
             "plots": [{"id": "P1", "value": 50, "requires": ["W1", "W3"]}]}


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("optimise", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, data, name="in.json"):
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return path


@pytest.mark.nodb
def test_allocation_instance_gives_the_contract_solution(tmp_path):
    out_path = tmp_path / "out.json"
    text, _ = run("allocation", "--input", write(tmp_path, ALLOCATION), "--output", out_path)
    answer = json.loads(out_path.read_text())
    assert answer["status"] == "optimal" and answer["objective"] == 120.5
    assert answer["assignments"] == [{"application": "A1", "plot": "P1", "value": 120.5}]
    assert answer["unassigned"] == [{"application": "A2", "code": "competition", "reason": (
        "capacity of PS-1 exhausted by applications A1 (120.50): 2,500 kW left, 2,800 kW "
        "needed")}]
    assert {b["name"] for b in answer["baselines"]} == {"fcfs", "greedy_value"}
    assert "optimal: objective 120.5" in text and f"wrote {out_path}" in text


@pytest.mark.nodb
def test_utilities_instance_gives_the_contract_plan(tmp_path):
    out_path = tmp_path / "plan.json"
    run("utilities", "--input", write(tmp_path, UTILITIES), "--output", out_path,
        "--marginal", "10")
    answer = json.loads(out_path.read_text())
    assert answer["status"] == "optimal"
    assert [(r["work"], r["start"], r["complete"]) for r in answer["schedule"]] == [
        ("W0", 1, 1), ("W3", 1, 1), ("W1", 2, 3)]
    assert answer["plots"] == [{"plot": "P1", "unlocked": 3, "value": 42.866941}]
    assert answer["objective"] == 42.866941
    assert len(answer["marginal_budget"]) == 6


BAD = [
    ("allocation", "{", "not JSON: Expecting property name"),
    ("allocation", '{"applications": [], "plots": [], "sources": [], "x": NaN}', "NaN"),
    ("allocation", json.dumps(dict(ALLOCATION, sources=[])), "unknown source 'PS-1'"),
    ("allocation", json.dumps(dict(ALLOCATION, applications=[{"id": "A1", "value": -3}])),
     "applications[0] (A1).value: must be a number from 0"),
    ("utilities", json.dumps(dict(UTILITIES, budget=[1, 2])), "has 2 entries but periods is 6"),
    ("utilities", json.dumps(dict(UTILITIES, works=[
        {"id": "W0", "cost": 1, "duration": 1, "requires": ["W1"]},
        {"id": "W1", "cost": 1, "duration": 1, "requires": ["W0"]}], plots=[])),
     "W0 → W1 → W0 require each other in a cycle"),
    ("utilities", json.dumps(dict(UTILITIES, plots=[{"id": "P", "value": 1, "requires": ["X"]}])),
     "plots[0] (P).requires: unknown work \"X\""),
    ("utilities", json.dumps(ALLOCATION), "unknown key"),
]


@pytest.mark.nodb
@pytest.mark.parametrize(("problem", "content", "message"), BAD)
def test_bad_instance_exits_2_naming_the_culprit_and_writes_nothing(tmp_path, problem, content,
                                                                     message):
    out_path = tmp_path / "out.json"
    with pytest.raises(CommandError) as caught:
        run(problem, "--input", write(tmp_path, content), "--output", out_path)
    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert not out_path.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "in.json"]  # no temporary file left either


@pytest.mark.nodb
def test_bad_instance_leaves_an_existing_output_untouched(tmp_path):
    out_path = tmp_path / "out.json"
    out_path.write_text("earlier")
    with pytest.raises(CommandError):
        run("utilities", "--input", write(tmp_path, "[]"), "--output", out_path)
    assert out_path.read_text() == "earlier"


@pytest.mark.nodb
@pytest.mark.parametrize(("args", "message"), [
    (["--input", "{tmp}/nope.json", "--output", "{tmp}/o.json"], "no such file"),
    (["--input", "{tmp}", "--output", "{tmp}/o.json"], "cannot read"),
    (["--input", "{tmp}/in.json"], "give --input and --output"),
    (["--zone", "balkhash"], "give --input and --output, or --zone and --export-instance"),
    (["--input", "{tmp}/in.json", "--output", "{tmp}/o.json", "--zone", "x"], "give --input"),
    (["--input", "{tmp}/in.json", "--output", "{tmp}/o.json", "--time-limit", "0"],
     "--time-limit"),
])
def test_bad_arguments_exit_2(tmp_path, args, message):
    write(tmp_path, ALLOCATION)
    with pytest.raises(CommandError, match=message) as caught:
        run("allocation", *[a.format(tmp=tmp_path) for a in args])
    assert caught.value.returncode == 2


@pytest.mark.nodb
def test_oversized_input_is_refused(tmp_path, monkeypatch):
    import promzona.core.optimise.checks as checks
    import promzona.optimise.management.commands.optimise as command

    monkeypatch.setattr(checks, "MAX_INPUT_BYTES", 100)
    monkeypatch.setattr(command, "MAX_INPUT_BYTES", 100)
    with pytest.raises(CommandError, match="larger than") as caught:
        run("allocation", "--input", write(tmp_path, ALLOCATION), "--output", tmp_path / "o")
    assert caught.value.returncode == 2


@pytest.mark.nodb
def test_the_console_script_exits_2_with_the_message_on_stderr(tmp_path):
    bad = write(tmp_path, json.dumps(dict(UTILITIES, periods=5)))
    env = {**os.environ, "PROMZONA_VAR_DIR": str(tmp_path / "var")}
    proc = subprocess.run([sys.executable, "-m", "promzona", "optimise", "utilities", "--input",
                           str(bad), "--output", str(tmp_path / "plan.json")],
                          capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 2
    assert "budget: has 6 entries but periods is 5" in proc.stderr
    assert proc.stdout == ""
    assert not (tmp_path / "plan.json").exists()


def test_zone_allocation_instance_uses_the_reservations_rule(competition, tmp_path):
    path = tmp_path / "zone.json"
    text, _ = run("allocation", "--zone", "balkhash", "--export-instance", path)
    data = json.loads(path.read_text())
    inst = parse_allocation(data)
    assert len(inst.applications) == 6
    for p in data["plots"]:
        plot = Plot.objects.get(zone__slug="balkhash", code=p["id"])
        assert plot.status == "published"
        serving = sources_serving_plot(plot, dict.fromkeys(UTILITY_KINDS, 0.0),
                                       today=timezone.localdate())
        assert p["sources"] == {k: s.code for k, s in serving.items()}
    solved = tmp_path / "solved.json"
    text, _ = run("allocation", "--input", path, "--output", solved)
    assert "first come, first served 128.75" in text and "greedy by value 133.75" in text
    assert json.loads(solved.read_text())["objective"] == 163.75


def test_zone_utilities_instance_with_choices(demo, tmp_path):
    path = tmp_path / "zone.json"
    run("utilities", "--zone", "balkhash", "--export-instance", path, "--periods", "6",
        "--budget", "20", "--discount-rate", "0.03", "--no-carry-over", "--kinds", "power")
    data = json.loads(path.read_text())
    parse_plan(data)
    assert data["periods"] == 6 and data["budget"] == [20.0] * 6
    assert data["discount_rate"] == 0.03 and data["carry_over"] is False
    works = {w["id"] for w in data["works"]}
    assert all(set(p["requires"]) <= works for p in data["plots"])
    assert not any(r.startswith("WA-") for p in data["plots"] for r in p["requires"])


@pytest.mark.parametrize(("args", "message"), [
    (["--zone", "atlantis"], "no zone 'atlantis'"),
    (["--zone", "balkhash", "--periods", "0"], "--periods"),
    (["--zone", "balkhash", "--budget", "1,2"], "--budget: give one number, or 8 numbers"),
    (["--zone", "balkhash", "--budget", "lots"], "--budget: expected numbers"),
    (["--zone", "balkhash", "--kinds", "steam"], "unknown kind 'steam'"),
    (["--zone", "balkhash", "--discount-rate", "-1"], "--discount-rate"),
])
def test_bad_export_arguments_exit_2_and_write_nothing(demo, tmp_path, args, message):
    path = tmp_path / "zone.json"
    with pytest.raises(CommandError, match=message) as caught:
        run("utilities", *args, "--export-instance", path)
    assert caught.value.returncode == 2
    assert not path.exists()


# --- works from the zone's plan ------------------------------------------------------------

CREATE = ("utilities", "--zone", "balkhash", "--create-works", "--budget", "500",
          "--funding", "local", "--user", "demo-staff")


def test_create_works_turns_the_zones_plan_into_planned_works_once(demo):
    from promzona.works.models import Work

    out, _ = run(*CREATE)
    created = list(Work.objects.order_by("pk"))
    assert created and all(w.status == "planned" and w.funding_source == "local"
                           and w.contractor == "To be selected" for w in created)
    assert f"{len(created)} works created, 0 already existed" in out
    out, _ = run(*CREATE)
    assert f"0 works created, {len(created)} already existed" in out
    assert Work.objects.count() == len(created)


@pytest.mark.parametrize(("args", "error"), [
    (("--user", "demo-manager"), "Only zone office staff"),
    (("--user", "nobody"), "no user 'nobody'"),
    (("--zone", "nowhere"), "no zone 'nowhere'"),
    (("--periods", "0"), "--periods"),
    (("--budget", "x"), "--budget"),
    (("--export-instance", "x.json"), r"give --zone \(and no"),
])
def test_create_works_refuses_bad_input_and_creates_nothing(demo, args, error):
    from promzona.works.models import Work

    with pytest.raises(CommandError, match=error) as exc:
        run(*CREATE, *args)
    assert exc.value.returncode == 2
    assert not Work.objects.exists()


def test_create_works_needs_funding_and_user(demo):
    with pytest.raises(CommandError, match="give --funding and --user"):
        run("utilities", "--zone", "balkhash", "--create-works")
