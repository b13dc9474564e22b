"""``promzona match REQUEST.json [--json]``."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

BODY = {"sector": "C25", "area_ha": {"min": 1, "max": 5}, "needs": {"power_kw": 500},
        "hazard_class": 4, "horizon_years": 10}


def run(path, *args):
    out = io.StringIO()
    call_command("match", str(path), *args, stdout=out)
    return out.getvalue()


def test_table_lists_ranked_plots_and_reasons(demo, tmp_path):
    f = tmp_path / "r.json"
    f.write_text(json.dumps(BODY))
    text = run(f)
    assert "plots can serve the request" in text
    assert "BLK-11" in text and "left out BLK-" in text


def test_json_equals_api_answer(demo, tmp_path, client):
    f = tmp_path / "r.json"
    f.write_text(json.dumps(BODY))
    data = json.loads(run(f, "--json"))
    api = client.post("/api/match", data=json.dumps(BODY), content_type="application/json").json()
    assert [r["plot_id"] for r in data["results"]] == [r["plot_id"] for r in api["results"]]
    assert data["results"][0]["cost_of_location_kzt"] == api["results"][0]["cost_of_location_kzt"]


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "must be a JSON object"),
    ('{"sector": "Z99"}', "Unknown sector Z99"),
    ('{"sector": "C25", "needs": {"power_kw": -1}}', "needs.power_kw"),
    ("\xff\xfe", "not valid JSON"),
])
def test_bad_input_is_a_clear_command_error(demo, tmp_path, content, message):
    f = tmp_path / "r.json"
    f.write_bytes(content.encode("latin-1"))
    with pytest.raises(CommandError, match=message):
        run(f)


def test_missing_and_oversized_files(demo, tmp_path):
    with pytest.raises(CommandError, match="Cannot read"):
        run(tmp_path / "nope.json")
    big = tmp_path / "big.json"
    big.write_text('{"sector": "' + "C" * 1_100_000 + '"}')
    with pytest.raises(CommandError, match="larger than"):
        run(big)


def test_request_from_standard_input(demo, monkeypatch):
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(json.dumps(BODY).encode())))
    data = json.loads(run("-", "--json"))
    assert data["results"][0]["plot_code"] == "BLK-11"


@pytest.mark.nodb
def test_an_endless_file_is_refused_after_reading_the_limit():
    import resource

    # /dev/zero never ends; reading it whole would exhaust memory. Capping the address space
    # turns such a regression into a MemoryError instead of a hang.
    with open("/proc/self/status") as f:
        used_kb = next(int(line.split()[1]) for line in f if line.startswith("VmSize:"))
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    resource.setrlimit(resource.RLIMIT_AS, ((used_kb << 10) + (256 << 20), hard))
    try:
        with pytest.raises(CommandError, match="larger than 1,000,000 bytes"):
            run("/dev/zero")
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


@pytest.mark.nodb
def test_deeply_nested_json_is_a_clear_command_error(tmp_path):
    f = tmp_path / "r.json"
    f.write_text("[" * 100_000)
    with pytest.raises(CommandError, match="nested too deeply"):
        run(f)


@pytest.mark.parametrize("day, refused", [
    ("1900-01-01", False), ("2200-12-31", False),
    ("1899-12-31", True), ("2201-01-01", True), ("9999-12-31", True),
])
def test_today_must_lie_in_the_years_1900_to_2200(demo, tmp_path, day, refused):
    f = tmp_path / "r.json"
    f.write_text(json.dumps(BODY))
    if refused:
        with pytest.raises(CommandError, match=f"--today: {day} is outside the years 1900..2200"):
            run(f, "--today", day)
    else:
        assert "BLK-11" in run(f, "--today", day)
