"""``promzona sectors indicators|growth-points``: the sector analytics from the command line."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pandas as pd
from django.core.management.base import CommandError

from promzona.commands import PromzonaCommand
from promzona.core.complexity import compute_indicators
from promzona.core.growth_points import growth_points
from promzona.core.sector_data import balkhash_analysis
from promzona.core.sinks import frame_csv

CONTRACT = ("locations.csv", "products.csv", "location_products.csv")
TRADE_COLUMNS = ("location", "product", "value")


def _read_csv(path: str, what: str, **kw) -> pd.DataFrame:
    p = Path(path)
    if not p.is_file():
        raise CommandError(f"{what}: no such file: {path}")
    try:
        # only an empty field is missing: "NA" is Namibia, not a missing location
        return pd.read_csv(p, comment="#", keep_default_na=False, na_values=[""], **kw)
    except pd.errors.EmptyDataError as exc:
        raise CommandError(f"{what}: the file is empty: {path}") from exc
    except (pd.errors.ParserError, UnicodeDecodeError, OSError) as exc:
        raise CommandError(f"{what}: cannot read {path} as UTF-8 CSV: {exc}") from exc


@contextmanager
def _writing(path: Path):
    """A path that cannot be written (no such directory, not allowed) is a CommandError."""
    try:
        yield
    except OSError as exc:
        raise CommandError(f"--output: cannot write {path}: {exc.strerror or exc}") from exc


def _weights(text: str | None) -> dict | None:
    if not text:
        return None
    out = {}
    for part in text.split(","):
        key, _, val = part.partition("=")
        try:
            out[key.strip()] = float(val)
        except ValueError as exc:
            raise CommandError(f"--weights: expected name=number,..., got {part!r}") from exc
    return out


def _per_sector(path: str, column: str) -> pd.DataFrame:
    return _read_csv(path, f"--{column}", dtype={"sector": str})


class Command(PromzonaCommand):
    help = "Sector analytics: complexity indicators from a trade table; growth points of a zone."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        ind = sub.add_parser(
            "indicators",
            help="Read location,product,value and write locations.csv, products.csv and "
                 "location_products.csv.",
        )
        ind.add_argument("--input", required=True, help="CSV with columns location,product,value")
        ind.add_argument("--output", required=True, help="directory to write the three CSV files to")
        ind.add_argument("--threshold", type=float, default=1.0, help="M_cp = 1 when RCA >= this (1)")
        ind.add_argument("--proximity-diagonal", type=float, default=1.0, choices=[0.0, 1.0])
        ind.add_argument("--ddof", type=int, default=0, choices=[0, 1])
        ind.add_argument("--pci-normalisation", default="eci", choices=["eci", "own"])
        ind.add_argument("--cog-variant", default="atlas", choices=["atlas", "growthlab"])
        ind.add_argument("--drop-empty", action="store_true",
                         help="drop locations/products whose values are all zero (listed on stderr)")
        ind.add_argument("--sum-duplicates", action="store_true",
                         help="add up repeated (location, product) rows instead of failing")
        ind.add_argument("--min-location-total", type=float, default=0.0,
                         help="leave out locations whose total value is below this (listed on stderr)")

        gp = sub.add_parser("growth-points", help="Rank sectors by localisation potential.")
        src = gp.add_mutually_exclusive_group(required=True)
        src.add_argument("--demo", choices=["balkhash"], help="the illustrative Balkhash demo data")
        src.add_argument("--purchases", help="CSV sector,value_kzt,share_outside (an anchor's purchases)")
        gp.add_argument("--density", help="CSV sector,density in [0, 1] (default: the demo's)")
        gp.add_argument("--hosting", help="CSV sector,hosting in [0, 1] (default: the demo's)")
        gp.add_argument("--priority", default=None, help="comma-separated priority OKED codes")
        gp.add_argument("--weights", help="e.g. demand=0.4,density=0.25,hosting=0.2,priority=0.15")
        gp.add_argument("--output", help="write .csv or .xlsx (default: print to stdout)")

    def handle(self, *args, action, **opts):
        if action == "indicators":
            self._indicators(**opts)
        else:
            self._growth_points(**opts)

    def _indicators(self, *, input, output, threshold, proximity_diagonal, ddof, pci_normalisation,
                    cog_variant, drop_empty, sum_duplicates, min_location_total, **_):
        table = _read_csv(input, "--input", dtype={"location": str, "product": str})
        missing = [c for c in TRADE_COLUMNS if c not in table.columns]
        if missing:
            raise CommandError(
                f"--input: missing column(s) {','.join(missing)}; expected {','.join(TRADE_COLUMNS)}, "
                f"{input} has {','.join(map(str, table.columns))}"
            )
        ind = compute_indicators(
            table, threshold=threshold, proximity_diagonal=proximity_diagonal, ddof=ddof,
            pci_normalisation=pci_normalisation, cog_variant=cog_variant, drop_empty=drop_empty,
            duplicates="sum" if sum_duplicates else "raise", min_location_total=min_location_total,
        )
        out = Path(output)
        frames = (ind.locations_frame(), ind.products_frame(), ind.location_products_frame())
        with _writing(out):
            out.mkdir(parents=True, exist_ok=True)
            for name, df in zip(CONTRACT, frames, strict=True):
                (out / name).write_text(frame_csv(df), encoding="utf-8")
        if ind.dropped_locations or ind.dropped_products:
            self.stderr.write(
                "dropped (all zero or below --min-location-total): "
                f"locations {ind.dropped_locations or '-'}; products {ind.dropped_products or '-'}"
            )
        self.stdout.write(
            f"{len(ind.locations)} locations x {len(ind.products)} products -> "
            + ", ".join(str(out / n) for n in CONTRACT)
        )

    def _growth_points(self, *, demo, purchases, density, hosting, priority, weights, output, **_):
        w = _weights(weights)
        if demo or not (density and hosting):
            p = None if demo else _read_csv(purchases, "--purchases", dtype={"sector": str})
            extra_host = _per_sector(hosting, "hosting") if hosting else None
            result = balkhash_analysis(p, weights=w, hosting=extra_host).growth_points
            if density:
                self.stderr.write("--density needs --hosting too; used the demo's densities")
            self.stderr.write("note: the Balkhash demo data are illustrative, not official statistics")
        else:
            p = _read_csv(purchases, "--purchases", dtype={"sector": str})
            prio = [s.strip() for s in (priority or "").split(",") if s.strip()]
            result = growth_points(p, density=_per_sector(density, "density"),
                                   hosting=_per_sector(hosting, "hosting"), priority=prio, weights=w)
        if output:
            path = Path(output)
            if path.suffix.lower() == ".xlsx":
                from promzona.sectors.exports import xlsx_file

                data = xlsx_file(result, title="promzona growth points")
                with _writing(path):
                    path.write_bytes(data)
            elif path.suffix.lower() == ".csv":
                with _writing(path):
                    path.write_text(frame_csv(result), encoding="utf-8")
            else:
                raise CommandError("--output must end in .csv or .xlsx")
            self.stdout.write(f"{len(result)} sectors -> {path}")
        else:
            cols = [c for c in ("rank", "sector", "name", "localisable_kzt", "contrib_demand",
                                "contrib_density", "contrib_hosting", "contrib_priority", "score")
                    if c in result]
            self.stdout.write(result[cols].to_string(index=False, float_format=lambda v: f"{v:.3f}"))
