"""Validators of the zone app's fields shared by every input path (admin, import, demo)."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from promzona.core.codes import CODE_RE

validate_code = RegexValidator(
    CODE_RE,
    _("Use 1-32 Latin or Cyrillic letters, digits, '-', '_' or '.', starting and ending with a "
      "letter or a digit."),
    code="invalid_code",
)
