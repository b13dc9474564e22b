"""What every layer import shares: the row-by-row report, the refusal, and reading a row's
mapped values into a model."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from promzona.core.errors import InputError
from promzona.core.geodata import files
from promzona.core.geodata.mapping import coerce

BATCH = 2000


class ImportRefused(InputError):
    """The real run found refused rows: nothing was written. ``report`` says which and why."""

    code = "import_refused"

    def __init__(self, report: ImportReport):
        super().__init__(
            f"{report.counts['refuse']} of {len(report.rows)} rows are refused; nothing imported.",
            details=report.as_dict(),
        )
        self.report = report


@dataclass
class RowResult:
    row: int
    key: str
    action: str  # create | update | refuse
    reason: str = ""
    warnings: list[str] = field(default_factory=list)
    shape: Any = field(default=None, repr=False, compare=False)  # WGS 84, for the preview map


@dataclass
class ImportReport:
    layer: str
    crs: str
    mapping: dict[str, str]
    rows: list[RowResult] = field(default_factory=list)
    dry_run: bool = True
    written: bool = False

    @property
    def counts(self) -> dict[str, int]:
        c = {"create": 0, "update": 0, "refuse": 0}
        for r in self.rows:
            c[r.action] += 1
        return c

    def as_dict(self) -> dict[str, Any]:
        return {
            "layer": self.layer, "crs": self.crs, "mapping": self.mapping,
            "dry_run": self.dry_run, "written": self.written, "counts": self.counts,
            "rows": [{k: v for k, v in r.__dict__.items() if k != "shape"} for r in self.rows],
        }


Progress = Callable[[int], None] | None


def mapped_values(table: files.Table, i: int, mapping: dict[str, str], spec) -> dict[str, Any]:
    """Our field -> coerced value for row ``i``; raises ValueError naming the field."""
    out: dict[str, Any] = {}
    for ours, theirs in mapping.items():
        try:
            out[ours] = coerce(files._plain(table.columns[theirs][i]), spec[ours][0])
        except ValueError as exc:
            raise ValueError(f"{ours}: {exc}") from exc
    return out


def assign(obj, name: str, value: Any) -> None:
    """Set a field; an empty cell clears a text field and leaves other non-null fields alone."""
    f = obj._meta.get_field(name)
    if value is None and not f.null:
        if f.get_internal_type() in ("CharField", "TextField", "SlugField"):
            setattr(obj, name, "")
        return
    setattr(obj, name, value)


