"""The base of every ``promzona`` command: a business refusal ends it as a command error.

A :class:`~promzona.core.errors.PromzonaError` raised anywhere in a command becomes a
``CommandError`` with the error's message, so the console prints one line and exits with 1
instead of a traceback; ``call_command`` callers catch one exception type. A command adds its
own context (the input file, the row) only where that helps.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from promzona.core.errors import PromzonaError


class PromzonaCommand(BaseCommand):
    def execute(self, *args, **options):
        try:
            return super().execute(*args, **options)
        except PromzonaError as exc:
            raise CommandError(exc.message) from exc
