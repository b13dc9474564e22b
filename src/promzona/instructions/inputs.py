"""Reading an instruction's fields from a form or the API: each value checked, a clear
:class:`InputError` naming its field otherwise."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from promzona.accounts.models import User
from promzona.core.errors import InputError

from .models import Body, Instruction
from .selectors import may_use, oversees

MAX_CO_EXECUTORS = 20


def read_text(value: Any, field: str, limit: int, *, required: bool) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str) or len(value) > limit:
        raise InputError(_("%(field)s: text of at most %(n)s characters.") % {
            "field": field, "n": limit}, field=field)
    value = value.strip()
    if required and not value:
        raise InputError(_("%(field)s is required.") % {"field": field}, field=field)
    return value


def read_date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise InputError(_("%(field)s must be a date.") % {"field": field}, field=field)
    return value


def read_body(value: Any, field: str) -> Body:
    if isinstance(value, Body):
        return value
    body = Body.objects.filter(pk=value).first() if is_whole(value) else None
    if body is None:
        raise InputError(_("%(field)s: no such body.") % {"field": field}, field=field)
    return body


def is_whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**63


def read_person(value: Any, field: str, *, overseer: bool) -> User:
    """An active user by object or user name: staff or managers (``overseer``), else also an
    outside executor."""
    user = value if isinstance(value, User) else (
        User.objects.filter(username=value).first() if isinstance(value, str) and len(value) <= 150
        else None)
    if user is None or not user.is_active:
        raise InputError(_("%(field)s: no such active user.") % {"field": field}, field=field)
    if not (oversees(user) if overseer else may_use(user)):
        raise InputError(_("%(field)s: %(user)s may not take this part.") % {
            "field": field, "user": user.get_username()}, field=field)
    return user


def read_parent(value: Any) -> Instruction | None:
    if value is None or isinstance(value, Instruction):
        return value
    parent = Instruction.objects.filter(pk=value).first() if is_whole(value) else None
    if parent is None:
        raise InputError(_("No such parent instruction."), field="parent")
    return parent


def read_co_executors(values: Any, executor: Body) -> list[Body]:
    if isinstance(values, QuerySet):
        values = list(values)
    if not isinstance(values, (list, tuple, set)) or len(values) > MAX_CO_EXECUTORS:
        raise InputError(_("Give at most %(n)s co-executors.") % {"n": MAX_CO_EXECUTORS},
                         field="co_executors")
    bodies = [read_body(v, "co_executors") for v in values]
    if executor in bodies:
        raise InputError(_("The executor cannot also be a co-executor."), field="co_executors")
    if len({b.pk for b in bodies}) != len(bodies):
        raise InputError(_("A co-executor is listed twice."), field="co_executors")
    return bodies
