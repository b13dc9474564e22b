import datetime as dt
import os
import re
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.utils import timezone, translation

from promzona.commands import PromzonaCommand
from promzona.dashboard import reports
from promzona.zones.models import Zone

KINDS = ("monthly", "plots", "applications")


def _month(text: str) -> tuple[int, int]:
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}", text or ""):
        raise CommandError("--month must be written YYYY-MM.")
    year, month = (int(p) for p in text.split("-"))
    if not 1 <= month <= 12:
        raise CommandError("--month must be written YYYY-MM.")
    return year, month


class Command(PromzonaCommand):
    help = ("Write the monthly report of a zone (or all zones) for the akimat's meeting, or the "
            "register of plots or of applications, as PDF or XLSX (by the output's extension).")

    def add_arguments(self, parser):
        parser.add_argument("kind", choices=KINDS)
        parser.add_argument("--zone", help="The zone's slug (default: all zones).")
        parser.add_argument("--month", help="YYYY-MM (monthly; default: the month before).")
        parser.add_argument("--lang", default=settings.LANGUAGE_CODE,
                            choices=[code for code, _n in settings.LANGUAGES])
        parser.add_argument("--output", required=True, help="FILE.pdf or FILE.xlsx")

    def handle(self, *args, kind, zone, month, lang, output, **options):
        path = Path(output)
        fmt = path.suffix.lower().lstrip(".")
        if fmt not in ("pdf", "xlsx"):
            raise CommandError("--output must end in .pdf or .xlsx.")
        if not path.parent.is_dir():
            raise CommandError(f"No directory {path.parent} to write {path.name} in.")
        scope = None
        if zone is not None:
            scope = Zone.objects.filter(slug=zone[:50]).first()
            if scope is None:
                raise CommandError(f"No zone {zone[:50]!r}.")
        today = timezone.localdate()
        if kind == "monthly":
            last = today.replace(day=1) - dt.timedelta(days=1)
            year, number = _month(month) if month else (last.year, last.month)
            report = reports.monthly(zone=scope, year=year, month=number, lang=lang, today=today)
            body = reports.monthly_pdf(report) if fmt == "pdf" else reports.monthly_xlsx(report)
        else:
            if month:
                raise CommandError("--month is for the monthly report only.")
            with translation.override(lang):
                table = reports.REGISTERS[kind](zone=scope, today=today)
                body = reports.register_pdf(table) if fmt == "pdf" else reports.register_xlsx(table)
        # Written whole or not at all: a half-written report never replaces a good one.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(body)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        self.stdout.write(f"{path} written ({len(body)} bytes).")
