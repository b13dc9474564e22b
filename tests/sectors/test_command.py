"""``promzona sectors indicators|growth-points``: the file contract docs/sectors.md describes."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.nodb

TRADE = """location,product,value
a,x,9
a,y,5
a,z,4
b,x,8
b,y,4
c,x,7
c,w,0.5
d,w,3
d,z,1
"""


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("sectors", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def trade(tmp_path):
    p = tmp_path / "trade.csv"
    p.write_text(TRADE)
    return p


def test_indicators_writes_exactly_the_three_contract_files(trade, tmp_path):
    out = tmp_path / "out"
    run("indicators", "--input", str(trade), "--output", str(out))
    assert sorted(p.name for p in out.iterdir()) == ["location_products.csv", "locations.csv", "products.csv"]
    loc = pd.read_csv(out / "locations.csv")
    prod = pd.read_csv(out / "products.csv")
    lp = pd.read_csv(out / "location_products.csv")
    assert loc.columns.tolist() == ["location", "diversity", "eci", "coi"]
    assert prod.columns.tolist() == ["product", "ubiquity", "pci"]
    assert lp.columns.tolist() == ["location", "product", "rca", "mcp", "density", "cog"]
    assert len(loc) == 4 and len(prod) == 4 and len(lp) == 16
    assert not lp.isna().any().any() and not loc.isna().any().any()
    assert set(lp["mcp"]) <= {0, 1}
    assert (lp.loc[lp["mcp"] == 1, "cog"] == 0).all()


def test_indicators_values_match_the_core(trade, tmp_path):
    from promzona.core.complexity import compute_indicators

    run("indicators", "--input", str(trade), "--output", str(tmp_path))
    ind = compute_indicators(pd.read_csv(trade, dtype={"location": str, "product": str}))
    loc = pd.read_csv(tmp_path / "locations.csv")
    assert np.allclose(loc["eci"], ind.eci, atol=1e-12)


def test_indicators_conventions_are_options(trade, tmp_path):
    run("indicators", "--input", str(trade), "--output", str(tmp_path / "a"))
    run("indicators", "--input", str(trade), "--output", str(tmp_path / "b"), "--cog-variant", "growthlab",
        "--proximity-diagonal", "0")
    a = pd.read_csv(tmp_path / "a" / "location_products.csv")
    b = pd.read_csv(tmp_path / "b" / "location_products.csv")
    assert not np.allclose(a["cog"], b["cog"])


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "empty"),
        ("location,product,value\n", "empty"),
        ("location,product\na,x\n", "missing column"),
        ("location,product,value\na,x,-1\nb,y,2\n", "negative"),
        ("location,product,value\na,x,1\na,x,2\nb,y,1\n", "more than once"),
        ("location,product,value\na,x,1\nb,y,\n", "missing"),
        ("location,product,value\na,x,1\nb,y,0\n", "no products"),
    ],
)
def test_indicators_bad_input_is_a_clear_error(tmp_path, content, message):
    p = tmp_path / "bad.csv"
    p.write_text(content)
    with pytest.raises(CommandError, match=message):
        run("indicators", "--input", str(p), "--output", str(tmp_path / "out"))
    assert not (tmp_path / "out" / "locations.csv").exists()


def test_indicators_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        run("indicators", "--input", str(tmp_path / "nope.csv"), "--output", str(tmp_path))


def test_indicators_drop_empty_reports_what_was_dropped(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(TRADE + "e,x,0\n")
    _, err = run("indicators", "--input", str(p), "--output", str(tmp_path / "o"), "--drop-empty")
    assert "'e'" in err
    assert "e" not in set(pd.read_csv(tmp_path / "o" / "locations.csv")["location"])


def test_indicators_min_location_total_leaves_out_small_exporters(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(TRADE + "e,x,0.1\n")
    _, err = run("indicators", "--input", str(p), "--output", str(tmp_path / "o"),
                 "--min-location-total", "1")
    assert "'e'" in err
    assert len(pd.read_csv(tmp_path / "o" / "locations.csv")) == 4


def test_growth_points_demo_prints_a_ranked_table_labelled_illustrative():
    out, err = run("growth-points", "--demo", "balkhash")
    assert "illustrative" in err
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["rank", "sector", "name"]
    assert lines[1].split()[:2] == ["1", "C28"]


def test_growth_points_to_xlsx_and_csv(tmp_path):
    from openpyxl import load_workbook

    run("growth-points", "--demo", "balkhash", "--output", str(tmp_path / "g.xlsx"))
    ws = load_workbook(tmp_path / "g.xlsx").active
    header = [c.value for c in ws[3]]
    assert header[:3] == ["rank", "sector", "name"] and "score" in header
    run("growth-points", "--demo", "balkhash", "--output", str(tmp_path / "g.csv"))
    df = pd.read_csv(tmp_path / "g.csv")
    contrib = df[[c for c in df if c.startswith("contrib_")]].sum(axis=1)
    assert np.allclose(contrib, df["score"])


def test_growth_points_from_own_files(tmp_path):
    (tmp_path / "p.csv").write_text("sector,value_kzt,share_outside\nA,100,1\nB,200,0.25\n")
    (tmp_path / "d.csv").write_text("sector,density\nA,0.2\nB,0.1\n")
    (tmp_path / "h.csv").write_text("sector,hosting\nA,1\nB,0.5\n")
    run("growth-points", "--purchases", str(tmp_path / "p.csv"), "--density", str(tmp_path / "d.csv"),
        "--hosting", str(tmp_path / "h.csv"), "--priority", "A", "--output", str(tmp_path / "o.csv"))
    df = pd.read_csv(tmp_path / "o.csv")
    assert df["sector"].tolist() == ["A", "B"]
    assert df["score"].tolist() == pytest.approx([1.0, 0.425])


def test_growth_points_bad_weights_and_output(tmp_path):
    with pytest.raises(CommandError, match="weights"):
        run("growth-points", "--demo", "balkhash", "--weights", "demand=x")
    with pytest.raises(CommandError, match="non-negative"):
        run("growth-points", "--demo", "balkhash", "--weights", "demand=-1")
    with pytest.raises(CommandError, match=r"\.csv or \.xlsx"):
        run("growth-points", "--demo", "balkhash", "--output", str(tmp_path / "g.txt"))


@pytest.mark.parametrize("header", ["country,sitc,exports", "loc,prod,val"])
def test_indicators_need_the_columns_location_product_value(tmp_path, header):
    p = tmp_path / "t.csv"
    p.write_text(header + "\n" + TRADE.split("\n", 1)[1].replace("a,", "1,").replace("b,", "2,")
                 .replace("c,", "3,").replace("d,", "4,"))
    with pytest.raises(CommandError, match=f"expected location,product,value, .* has {header}$"):
        run("indicators", "--input", str(p), "--output", str(tmp_path / "out"))
    assert not (tmp_path / "out").exists()


def test_indicators_read_na_as_a_location_namibia(tmp_path):
    p = tmp_path / "t.csv"
    p.write_text(TRADE.replace("a,", "NA,"))
    run("indicators", "--input", str(p), "--output", str(tmp_path / "o"))
    loc = pd.read_csv(tmp_path / "o" / "locations.csv", keep_default_na=False)
    assert sorted(loc["location"]) == ["NA", "b", "c", "d"]


def test_indicators_unwritable_output_is_a_clear_error(trade, tmp_path):
    (tmp_path / "file").write_text("")
    with pytest.raises(CommandError, match="--output: cannot write"):
        run("indicators", "--input", str(trade), "--output", str(tmp_path / "file" / "out"))


@pytest.fixture
def own_files(tmp_path):
    (tmp_path / "p.csv").write_text("sector,value_kzt,share_outside\nC28,100,1\n")
    (tmp_path / "d.csv").write_text("sector,density\nC28,0.2\n")
    return ["--purchases", str(tmp_path / "p.csv"), "--density", str(tmp_path / "d.csv")]


@pytest.mark.parametrize("path", ["demo", "own"])
@pytest.mark.parametrize("hosting, message", [
    ("sector,hosting\nC28,5\nC28,0.5\n", "hosting: a sector appears more than once"),
    ("sector,hosting\nC28,5\n", r"hosting: values must lie in \[0, 1\] \(C28\)"),
    ("sector,score\nC28,1\n", "hosting: expected columns sector,hosting"),
])
def test_growth_points_check_hosting_the_same_way_on_both_paths(tmp_path, own_files, path, hosting,
                                                                 message):
    (tmp_path / "h.csv").write_text(hosting)
    source = ["--demo", "balkhash"] if path == "demo" else own_files
    with pytest.raises(CommandError, match=message):
        run("growth-points", *source, "--hosting", str(tmp_path / "h.csv"))


def test_growth_points_demo_overrides_its_own_sectors_and_refuses_others(tmp_path):
    (tmp_path / "h.csv").write_text("sector,hosting\nC28,0\n")
    run("growth-points", "--demo", "balkhash", "--hosting", str(tmp_path / "h.csv"),
        "--output", str(tmp_path / "g.csv"))
    df = pd.read_csv(tmp_path / "g.csv").set_index("sector")
    assert df.loc["C28", "hosting"] == 0 and df.loc["C25", "hosting"] > 0
    (tmp_path / "h.csv").write_text("sector,hosting\nC28,0.5\nZ99,0.3\n")
    with pytest.raises(CommandError, match="sector.s. not in the demo: Z99; the demo's sectors are B07, "):
        run("growth-points", "--demo", "balkhash", "--hosting", str(tmp_path / "h.csv"))


@pytest.mark.parametrize("name", ["x.csv", "x.xlsx"])
def test_growth_points_unwritable_output_is_a_clear_error(tmp_path, name):
    target = tmp_path / "nonexistent" / name
    with pytest.raises(CommandError, match=f"--output: cannot write {target}"):
        run("growth-points", "--demo", "balkhash", "--output", str(target))
