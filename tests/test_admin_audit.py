"""Every change made in the admin leaves an audit entry: each registered model, its
many-to-many fields and its inlines, through the change form as a superuser sends it."""

import datetime as dt

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db.models import ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.test import RequestFactory
from django.urls import reverse

from promzona.accounts.models import User
from promzona.audit.models import AuditEntry
from promzona.projects.models import ObligationRule
from promzona.zones.models import MapFeature, PriorityDirection, Zone

pytestmark = pytest.mark.django_db
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def root_client(client, demo, django_user_model):
    user = django_user_model.objects.create_superuser("root-auditor", "root@example.org",
                                                      "a-long-admin-password-2026")
    client.force_login(user)
    ObligationRule.objects.create(zone=demo, milestone="construction_start", months=12)
    auditors = Group.objects.create(name="Auditors")  # the zone office's group is read-only
    auditors.user_set.add(user)
    auditors.permissions.add(Permission.objects.order_by("pk").first())
    client.user = user
    return client


def _value(field: forms.Field, value):
    if isinstance(field, forms.ModelMultipleChoiceField):
        return [str(v.pk if hasattr(v, "pk") else v) for v in (value or [])]
    if isinstance(field, forms.BooleanField):
        return "on" if value else ""
    if isinstance(field, forms.MultiValueField):
        return value
    if value is None:
        return ""
    if isinstance(field, forms.DateTimeField) and isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


def _form_data(page) -> dict:
    """What the change form would post back unchanged: the main form and every inline."""
    data = {}
    form = page.context["adminform"].form
    for name, field in form.fields.items():
        value = _value(field, form[name].value())
        if isinstance(field.widget, forms.MultiWidget):
            for i, part in enumerate(field.widget.decompress(value)):
                data[f"{name}_{i}"] = "" if part is None else part
        elif value != "" or not isinstance(field, forms.BooleanField):
            data[name] = value
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = value
        for sub in formset.forms:
            for name, field in sub.fields.items():
                value = _value(field, sub[name].value())
                if value != "" or not isinstance(field, forms.BooleanField):
                    data[sub.add_prefix(name)] = value
    return {k: v for k, v in data.items() if v is not None}


def _text_field(form) -> str | None:
    """A field whose value may change without breaking the row: a free text (a name, a title,
    a note) takes a suffix; failing that, a whole number moves by one (see :func:`_changed`)."""
    editable = [(name, field) for name, field in form.fields.items() if not field.disabled]
    for name, field in editable:
        if (type(field) is forms.CharField and not getattr(field, "choices", None)
                and isinstance(field.widget, forms.TextInput | forms.Textarea)
                and name not in ("username", "slug", "code", "number", "bin",
                                 "cadastral_number")):
            return name
    return next((name for name, field in editable if type(field) is forms.IntegerField), None)


def _changed(field: forms.Field, value):
    """``value`` changed: a text with a suffix (cut to the field's length), a number by one
    (down at its upper bound)."""
    if isinstance(field, forms.IntegerField):
        n = int(value)
        return str(n - 1 if field.max_value is not None and n >= field.max_value else n + 1)
    return (str(value or "") + " (changed)")[-field.max_length or None:]


def _entries(obj) -> int:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower,
                                     object_id=str(obj.pk)).count()


def _first(client, model):
    """The first row the admin lets ``client`` change, else the first row (None if none)."""
    request = RequestFactory().get("/")
    request.user = client.user
    rows = list(model.objects.order_by("pk")[:50])
    may = admin.site._registry[model].has_change_permission
    return next((o for o in rows if may(request, o)), rows[0] if rows else None)


def _change_page(client, model, obj):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    return url, client.get(url)


@pytest.mark.parametrize("model,model_admin", REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_admin_change_of_any_registered_model_is_audited_or_refused(root_client, model,
                                                                    model_admin):
    obj = _first(root_client, model)
    if obj is None:
        pytest.skip(f"the demo has no {model._meta.label}")
    url, page = _change_page(root_client, model, obj)
    assert page.status_code == 200
    form = page.context["adminform"].form
    field = _text_field(form)
    if not page.context["has_change_permission"] or field is None:
        # Read-only here: a post changes nothing and writes nothing.
        n, before = AuditEntry.objects.count(), model.objects.filter(pk=obj.pk).values().get()
        root_client.post(url, {field or "name": "changed in the admin"})
        assert model.objects.filter(pk=obj.pk).values().get() == before
        assert AuditEntry.objects.count() == n
        return
    data = _form_data(page)
    data[field] = _changed(form.fields[field], data.get(field))
    n = _entries(obj)
    r = root_client.post(url, data)
    assert r.status_code == 302, r.context and (r.context["adminform"].form.errors,
                                                 [f.errors for f in r.context["inline_admin_formsets"]])
    assert _entries(obj) == n + 1


M2M = [(m, f.name) for m, ma in REGISTRY for f in m._meta.many_to_many
       if not ma.get_readonly_fields(None) or f.name not in ma.get_readonly_fields(None)]


@pytest.mark.parametrize("model,name", M2M, ids=[f"{m._meta.label}.{n}" for m, n in M2M])
def test_admin_change_of_a_many_to_many_field_is_audited(root_client, model, name):
    obj = _first(root_client, model)
    url, page = _change_page(root_client, model, obj)
    form = page.context["adminform"].form
    if name not in form.fields or not page.context["has_change_permission"]:
        pytest.skip(f"{name} is not edited in the admin")
    # A value another row holds is one the service accepts (a body's members are staff, ...).
    used = model.objects.exclude(pk=obj.pk).exclude(**{name: None}).values_list(name, flat=True)
    choice = str(next(iter(used), None) or form.fields[name].queryset.values_list("pk", flat=True)[0])
    data = _form_data(page)
    new = sorted(set(data.get(name, [])) ^ {choice})  # add or remove one
    data[name] = new
    n = _entries(obj)
    assert root_client.post(url, data).status_code == 302
    assert sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True)) == new
    entries = AuditEntry.objects.filter(object_type=obj._meta.label_lower,
                                        object_id=str(obj.pk)).order_by("pk")[n:]
    assert [sorted(map(str, e.after[name])) for e in entries if name in (e.after or {})] == [new]


EDITABLE = [(m, ma) for m, ma in REGISTRY if ma.inlines]


@pytest.mark.parametrize("model,model_admin", EDITABLE, ids=[m._meta.label for m, _ in EDITABLE])
def test_admin_change_through_an_inline_is_audited_on_the_inline_row(root_client, model,
                                                                    model_admin):
    changed = 0
    for obj in model.objects.order_by("pk")[:20]:
        url, page = _change_page(root_client, model, obj)
        for inline in page.context["inline_admin_formsets"]:
            for sub in inline.formset.forms:
                field = _text_field(sub)
                if sub.instance.pk is None or field is None or not inline.has_change_permission:
                    continue
                data = _form_data(page)
                data[sub.add_prefix(field)] = _changed(sub.fields[field],
                                                       data.get(sub.add_prefix(field)))
                n = _entries(sub.instance)
                assert root_client.post(url, data).status_code == 302
                assert _entries(sub.instance) == n + 1
                changed += 1
                break
    if not changed:
        pytest.skip(f"no inline of {model._meta.label} has a row editable here")


def test_admin_change_of_a_users_role_activity_and_staff_flag_is_audited(root_client):
    user = User.objects.get(username="demo-manager")
    url, page = _change_page(root_client, User, user)
    data = _form_data(page)
    data.update(role="staff", is_staff="on")
    data.pop("is_active", None)  # unticked: the account is blocked
    assert root_client.post(url, data).status_code == 302
    entry = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk)).latest("pk")
    assert (entry.action, entry.actor_id) == ("user.updated", root_client.user.pk)
    assert entry.before == {"role": "manager", "is_staff": False, "is_active": True}, entry.after
    assert entry.after == {"role": "staff", "is_staff": True, "is_active": False}


@pytest.mark.parametrize("usable", [True, False], ids=["set", "unset"])
def test_admin_password_page_change_is_audited(root_client, usable):
    """The user admin's own password page (set, or password login switched off) writes
    ``user.password_set`` by the staff member, in the same transaction as the change."""
    user = User.objects.get(username="demo-investor")
    stored = user.password
    url = reverse("admin:auth_user_password_change", args=[user.pk])
    assert root_client.get(url).status_code == 200
    body = {"password1": "A-new-admin-set-pw-2026", "password2": "A-new-admin-set-pw-2026",
            "usable_password": "true", "set-password": "1"} if usable else {
            "usable_password": "false", "unset-password": "1"}
    assert root_client.post(url, body).status_code == 302
    user.refresh_from_db()
    assert user.password != stored and user.has_usable_password() is usable
    entry = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(user.pk)).latest("pk")
    assert (entry.action, entry.actor_id) == ("user.password_set", root_client.user.pk)
    assert entry.after == {"address": None, "usable": usable}


def test_admin_add_of_a_user_is_audited(root_client):
    body = {"username": "added-in-admin", "password1": "A-new-admin-set-pw-2026",
            "password2": "A-new-admin-set-pw-2026", "usable_password": "true"}
    assert root_client.post(reverse("admin:accounts_user_add"), body).status_code == 302
    user = User.objects.get(username="added-in-admin")
    entry = AuditEntry.objects.get(object_type="accounts.user", object_id=str(user.pk))
    assert (entry.action, entry.actor_id) == ("user.created", root_client.user.pk)


def _deletable(model, model_admin, user):
    """The first row the admin lets ``user`` delete and nothing protects, and what deleting it
    removes."""
    request = RequestFactory().get("/")
    request.user = user
    for obj in model.objects.order_by("pk")[:50]:
        if not model_admin.has_delete_permission(request, obj):
            continue
        collector = Collector(using="default")
        try:
            collector.collect([obj])
        except (ProtectedError, RestrictedError):
            continue
        removed = [o for objs in collector.data.values() for o in objs]
        removed += [o for qs in collector.fast_deletes for o in qs]
        return obj, removed
    return None, []


def _expected_entries(removed) -> set[tuple[str, str, str]]:
    """(object type, id, action) of the entries a deletion owes: each row removed (cascades
    included) ``<model>.deleted``; an object that stays but loses many-to-many links to a
    removed row ``<model>.updated`` (on the side that declares the field)."""
    gone = {(o._meta.label_lower, str(o.pk)) for o in removed}
    owed = {(o._meta.label_lower, str(o.pk), f"{o._meta.model_name}.deleted")
            for o in removed if not o._meta.auto_created}
    for link in (o for o in removed if o._meta.auto_created):
        owner = link._meta.auto_created  # the model declaring the field
        fk = next(f for f in link._meta.concrete_fields
                  if f.is_relation and f.related_model is owner)
        key = (owner._meta.label_lower, str(getattr(link, fk.attname)))
        if key not in gone:
            owed.add((*key, f"{owner._meta.model_name}.updated"))
    return owed


def _has_delete(model_admin, user) -> bool:
    request = RequestFactory().get("/")
    request.user = user
    return model_admin.has_delete_permission(request)


@pytest.mark.parametrize("how", ["delete page", "delete selected action"])
@pytest.mark.parametrize("model,model_admin", REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_admin_deletion_is_audited_for_every_row_it_removes(root_client, model, model_admin, how):
    """Deleting in the admin (its page or the list's "delete selected" action) writes an entry
    for the row, for every row the deletion cascades to, and for every object whose
    many-to-many links to them go; or, refused, removes nothing."""
    if not _has_delete(model_admin, root_client.user):
        pytest.skip(f"{model._meta.label} is not deleted in the admin")
    obj, removed = _deletable(model, model_admin, root_client.user)
    if obj is None:
        pytest.skip(f"no {model._meta.label} may be deleted here")
    owed = _expected_entries(removed)
    since = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
    if how == "delete page":
        r = root_client.post(reverse(f"{info}_delete", args=[obj.pk]), {"post": "yes"})
    else:
        r = root_client.post(reverse(f"{info}_changelist"),
                             {"action": "delete_selected", "_selected_action": [obj.pk],
                              "post": "yes"})
    assert r.status_code == 302
    written = set(AuditEntry.objects.filter(pk__gt=since)
                  .values_list("object_type", "object_id", "action"))
    assert not model.objects.filter(pk=obj.pk).exists()
    assert owed <= written, sorted(owed - written)


#: The admin's own actions (beyond "delete selected", above) and the test that proves each
#: writes its entry.
ACTIONS = {("outbox.OutgoingEmail", "retry"):
           "tests/outbox/test_admin.py::test_the_retry_action_puts_failed_mail_back_and_is_audited"}


def test_every_admin_action_has_an_audit_test(root_client):
    request = RequestFactory().get("/")
    request.user = root_client.user
    found = {(m._meta.label, name) for m, ma in REGISTRY
             for name in ma.get_actions(request) if name != "delete_selected"}
    assert found == set(ACTIONS)


def test_admin_deletion_of_a_zone_audits_the_rows_it_cascades_to(root_client, demo):
    """A zone without plots may be deleted; its priority directions, map features and anchor
    enterprises go with it, each with its entry."""
    zone = Zone.objects.get(pk=demo.pk)
    zone.pk, zone.slug, zone.name_ru = None, "to-delete", "Удаляемая"
    zone.save()
    direction = PriorityDirection.objects.filter(zone=demo).first()
    feature = MapFeature.objects.filter(zone=demo).first()
    for row in (direction, feature):
        sectors = list(row.sectors.all()) if row is direction else []
        row.pk, row.zone = None, zone
        row.save()
        if sectors:
            row.sectors.set(sectors)
    url = reverse("admin:zones_zone_delete", args=[zone.pk])
    assert root_client.post(url, {"post": "yes"}).status_code == 302
    assert not Zone.objects.filter(pk=zone.pk).exists()
    for row in (zone, direction, feature):
        entry = AuditEntry.objects.get(object_type=row._meta.label_lower, object_id=str(row.pk))
        assert (entry.action, entry.actor_id) == (f"{row._meta.model_name}.deleted",
                                                  root_client.user.pk)
        assert entry.before["id"] == row.pk


@pytest.mark.parametrize("model,model_admin", REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_admin_that_may_delete_deletes_through_a_service(rf, django_user_model, model,
                                                         model_admin):
    """A delete the admin does itself writes no entry: an admin that lets a superuser delete
    (a row, a selection or an inline row) hands each delete to an audited service."""
    request = rf.post("/")
    request.user = django_user_model(is_active=True, is_staff=True, is_superuser=True)
    if model_admin.has_delete_permission(request):
        assert type(model_admin).delete_model is not admin.ModelAdmin.delete_model
        assert type(model_admin).delete_queryset is not admin.ModelAdmin.delete_queryset
    for inline in model_admin.get_inline_instances(request):
        if inline.can_delete and inline.has_delete_permission(request):
            assert type(model_admin).save_formset is not admin.ModelAdmin.save_formset


def test_admin_deletion_audits_the_references_it_clears(root_client, demo):
    """Deleting a user clears the references other rows hold to them (``SET_NULL``): each row
    that keeps existing gets an ``<model>.updated`` entry with the value before and after; the
    audit trail's own rows are not audited again."""
    from django.db import transaction

    from promzona.accounts.models import Organisation
    from promzona.audit.services import audit_record

    leaver = User.objects.create_user("leaving-staff", "leaving@example.org", "a-long-pw-2026")
    org = Organisation.objects.filter(bin__isnull=False).order_by("pk").first()
    Organisation.objects.filter(pk=org.pk).update(confirmed_by=leaver)
    with transaction.atomic():
        own = audit_record(actor=leaver, action="organisation.viewed", obj=org)
    url = reverse("admin:accounts_user_delete", args=[leaver.pk])
    assert root_client.post(url, {"post": "yes"}).status_code == 302
    assert not User.objects.filter(pk=leaver.pk).exists()
    assert Organisation.objects.get(pk=org.pk).confirmed_by_id is None
    entry = AuditEntry.objects.get(object_type="accounts.organisation", object_id=str(org.pk),
                                   action="organisation.updated")
    assert (entry.before, entry.after, entry.actor_id) == (
        {"confirmed_by": leaver.pk}, {"confirmed_by": None}, root_client.user.pk)
    assert AuditEntry.objects.get(pk=own.pk).actor_id is None
    assert not AuditEntry.objects.filter(object_type="audit.auditentry").exists()
