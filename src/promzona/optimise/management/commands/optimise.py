"""``promzona optimise allocation|utilities``: solve an instance file, or write a zone's own;
``utilities --zone SLUG --create-works`` turns the zone's plan into planned works.

A bad instance (or input file) is refused with its culprit named, exit code 2 and no output
file; the solution is written only once it is complete (a temporary file renamed into place).
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError
from django.utils import timezone

from promzona.commands import PromzonaCommand
from promzona.core.errors import PromzonaError
from promzona.core.optimise.allocation import parse_allocation
from promzona.core.optimise.assign import solve_allocation
from promzona.core.optimise.checks import MAX_INPUT_BYTES, load_json
from promzona.core.optimise.plan import MAX_PERIODS, parse_plan
from promzona.core.optimise.schedule import budget_marginals, plan_json, solve_plan
from promzona.core.utilities import UTILITY_KINDS
from promzona.works.models import Work
from promzona.zones.models import Zone

from ...answers import solve_plan_context
from ...selectors import DEFAULT_PERIODS, DEFAULT_RATE, allocation_instance, plan_instance
from ...services import plan_works_create

BAD_INPUT = 2


def _refuse(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def _read(path: str) -> Any:
    p = Path(path)
    try:
        with p.open("rb") as f:
            data = f.read(MAX_INPUT_BYTES + 1)
    except FileNotFoundError:
        raise _refuse(f"--input: no such file: {path}") from None
    except OSError as exc:
        raise _refuse(f"--input: cannot read {path}: {exc.strerror or exc}") from None
    try:
        return load_json(data)
    except PromzonaError as exc:
        raise _refuse(f"--input {path}: {exc.message}") from None


def _write(path: str, payload: dict) -> None:
    """Write ``payload`` as JSON to ``path`` whole or not at all."""
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent if str(target.parent) else ".",
                                   prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(payload, f, ensure_ascii=False, indent=1)
            f.write("\n")
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CommandError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _budget(text: str | None, periods: int) -> list[float] | None:
    if text is None:
        return None
    try:
        values = [float(v) for v in text.split(",")]
    except ValueError:
        raise _refuse(f"--budget: expected numbers separated by commas, got {text[:40]!r}") \
            from None
    if len(values) == 1:
        values *= periods
    if len(values) != periods or any(not 0 <= v <= 1e12 for v in values):
        raise _refuse(f"--budget: give one number, or {periods} numbers from 0 to 1e12")
    return values


def _kinds(text: str | None) -> list[str] | None:
    if text is None:
        return None
    kinds = [k.strip() for k in text.split(",") if k.strip()]
    unknown = [k for k in kinds if k not in UTILITY_KINDS]
    if unknown:
        raise _refuse(f"--kinds: unknown kind {unknown[0][:20]!r}; "
                      f"expected some of {', '.join(UTILITY_KINDS)}")
    return kinds


class Command(PromzonaCommand):
    help = ("Optimisers: allocate competing applications to plots; plan which utility works to "
            "build when.")

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="problem", required=True)
        for name, text in (("allocation", "who gets which plot"),
                           ("utilities", "which works to build first")):
            p = sub.add_parser(name, help=text)
            p.add_argument("--input", help="the instance (JSON)")
            p.add_argument("--output", help="where to write the solution (JSON)")
            p.add_argument("--zone", help="a zone's slug: with --export-instance")
            p.add_argument("--export-instance", help="write the zone's own instance here (JSON)")
            p.add_argument("--time-limit", type=float, default=60.0,
                           help="seconds for the solver (60); then the best answer and its gap")
            if name == "utilities":
                p.add_argument("--marginal", type=float, metavar="STEP",
                               help="also re-solve with STEP more budget in each period")
                p.add_argument("--periods", type=int, default=DEFAULT_PERIODS,
                               help=f"export: quarters to plan ({DEFAULT_PERIODS})")
                p.add_argument("--budget", help="export: million KZT per period, one number or "
                                                "one per period (default: the works' total "
                                                "cost spread evenly)")
                p.add_argument("--discount-rate", type=float, default=DEFAULT_RATE,
                               help=f"export: per period ({DEFAULT_RATE})")
                p.add_argument("--no-carry-over", action="store_true",
                               help="export: unspent budget does not carry over")
                p.add_argument("--kinds", help="export: utility kinds every plot needs "
                                               "(default: what its permitted sectors need)")
                p.add_argument("--create-works", action="store_true",
                               help="with --zone: solve the zone's plan and create a planned "
                                    "work for each scheduled work that has none yet")
                p.add_argument("--funding", choices=Work.Funding.values,
                               help="--create-works: the works' funding source")
                p.add_argument("--contractor", default="To be selected",
                               help="--create-works: the works' contractor (To be selected)")
                p.add_argument("--user", help="--create-works: the zone office staff member "
                                              "recorded as creating them")

    def handle(self, *args, problem: str, **opts):
        if opts.get("create_works"):
            return self._create_works(**opts)
        solving = bool(opts["input"] or opts["output"])
        exporting = bool(opts["zone"] or opts["export_instance"])
        if solving == exporting or (solving and not (opts["input"] and opts["output"])) or \
                (exporting and not (opts["zone"] and opts["export_instance"])):
            raise _refuse("give --input and --output, or --zone and --export-instance")
        if not 0 < opts["time_limit"] <= 86400:
            raise _refuse("--time-limit: seconds from 0 to 86400")
        if exporting:
            return self._export(problem, **opts)
        data = _read(opts["input"])
        try:
            if problem == "allocation":
                inst = parse_allocation(data)
            else:
                inst = parse_plan(data)
        except PromzonaError as exc:
            raise _refuse(f"--input {opts['input']}: {exc.message}") from None
        if problem == "allocation":
            result = solve_allocation(inst, time_limit=opts["time_limit"])
            answer = result.to_json(inst)
        else:
            result = solve_plan(inst, time_limit=opts["time_limit"])
            if opts["marginal"] is not None:
                if not 0 < opts["marginal"] <= 1e12:
                    raise _refuse("--marginal: a budget step above 0")
                result = dataclasses.replace(result, marginals=budget_marginals(
                    inst, result, step=opts["marginal"], time_limit=opts["time_limit"]))
            answer = plan_json(inst, result)
        _write(opts["output"], answer)
        self._summary(answer, opts["output"])

    def _summary(self, answer: dict, path: str) -> None:
        gap = answer["gap"]
        line = f"{answer['status']}: objective {answer['objective']:g}"
        if gap:
            line += f" (gap {gap:.4%})"
        for b in answer["baselines"]:
            pct = "" if b["gain_pct"] is None else f", {b['gain_pct']:+.1f} %"
            line += f"; {b['label']} {b['objective']:g} (gain {b['gain']:g}{pct})"
        self.stdout.write(f"{line}\nwrote {path}")

    def _plan_choices(self, opts: dict) -> dict:
        periods = opts["periods"]
        if not 1 <= periods <= MAX_PERIODS:
            raise _refuse(f"--periods: from 1 to {MAX_PERIODS}")
        if not 0 <= opts["discount_rate"] <= 10:
            raise _refuse("--discount-rate: from 0 to 10")
        return {"periods": periods, "budget": _budget(opts["budget"], periods),
                "discount_rate": opts["discount_rate"], "carry_over": not opts["no_carry_over"],
                "kinds": _kinds(opts["kinds"])}

    def _create_works(self, *, zone: str | None, funding: str | None, user: str | None,
                      contractor: str, **opts) -> None:
        if not zone or opts["input"] or opts["output"] or opts["export_instance"]:
            raise _refuse("--create-works: give --zone (and no --input, --output or "
                          "--export-instance)")
        if not funding or not user:
            raise _refuse("--create-works: give --funding and --user")
        if not 0 < opts["time_limit"] <= 86400:
            raise _refuse("--time-limit: seconds from 0 to 86400")
        z = Zone.objects.filter(slug=zone).first()
        if z is None:
            raise _refuse(f"--zone: no zone {zone[:60]!r}")
        actor = get_user_model().objects.filter(username=user).first()
        if actor is None:
            raise _refuse(f"--user: no user {user[:60]!r}")
        ctx = plan_instance(z, today=timezone.localdate(), **self._plan_choices(opts))
        answer = solve_plan_context(ctx, time_limit=opts["time_limit"])[2]
        ids = [r["work"] for r in answer["schedule"] if r["work"] in ctx.works]
        if not ids:
            self.stdout.write("the plan schedules no work: nothing to create")
            return
        try:
            created, existing = plan_works_create(actor=actor, zone=z, ctx=ctx, answer=answer,
                                                  work_ids=ids, funding_source=funding,
                                                  contractor=contractor)
        except PromzonaError as exc:
            raise _refuse(f"--create-works: {exc.message}") from None
        for w in created:
            self.stdout.write(f"created work #{w.pk}: {w.name}, {w.planned_start} to "
                              f"{w.planned_finish}")
        for pw in existing:
            self.stdout.write(f"{pw.key}: already built by work #{pw.existing.pk}, not created")
        self.stdout.write(f"{len(created)} works created, {len(existing)} already existed")

    def _export(self, problem: str, *, zone: str, export_instance: str, **opts) -> None:
        z = Zone.objects.filter(slug=zone).first()
        if z is None:
            raise _refuse(f"--zone: no zone {zone[:60]!r}")
        if problem == "allocation":
            data = allocation_instance(z, today=timezone.localdate()).instance
        else:
            ctx = plan_instance(z, today=timezone.localdate(), **self._plan_choices(opts))
            for code, kinds in ctx.left_out:
                self.stderr.write(f"left out plot {code}: no line can serve it for {', '.join(kinds)}")
            data = ctx.instance
        _write(export_instance, data)
        self.stdout.write(f"wrote {export_instance}")
