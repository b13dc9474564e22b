"""Every change made in the admin leaves an audit entry: each registered model, its
many-to-many fields and its inlines, through the change form as a superuser sends it."""

import datetime as dt

import pytest
from django import forms
from django.contrib import admin
from django.urls import reverse

from promzona.audit.models import AuditEntry

pytestmark = pytest.mark.django_db
REGISTRY = sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label)


@pytest.fixture
def root_client(client, demo, django_user_model):
    user = django_user_model.objects.create_superuser("root-auditor", "root@example.org",
                                                      "a-long-admin-password-2026")
    client.force_login(user)
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
    """A free-text field whose value may take a suffix: a name, a title, a note."""
    for name, field in form.fields.items():
        if (type(field) is forms.CharField and not getattr(field, "choices", None)
                and isinstance(field.widget, forms.TextInput | forms.Textarea)
                and not field.disabled and name not in ("username", "slug", "code", "number",
                                                        "bin", "cadastral_number")):
            return name
    return None


def _entries(obj) -> int:
    return AuditEntry.objects.filter(object_type=obj._meta.label_lower,
                                     object_id=str(obj.pk)).count()


def _change_page(client, model, obj):
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])
    return url, client.get(url)


@pytest.mark.parametrize("model,model_admin", REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_admin_change_of_any_registered_model_is_audited_or_refused(root_client, model,
                                                                    model_admin):
    obj = model.objects.order_by("pk").first()
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
    data[field] = (str(data.get(field) or "") + " (changed)")[-form.fields[field].max_length or None:]
    n = _entries(obj)
    r = root_client.post(url, data)
    assert r.status_code == 302, r.context and (r.context["adminform"].form.errors,
                                                 [f.errors for f in r.context["inline_admin_formsets"]])
    assert _entries(obj) == n + 1


M2M = [(m, f.name) for m, ma in REGISTRY for f in m._meta.many_to_many
       if not ma.get_readonly_fields(None) or f.name not in ma.get_readonly_fields(None)]


@pytest.mark.parametrize("model,name", M2M, ids=[f"{m._meta.label}.{n}" for m, n in M2M])
def test_admin_change_of_a_many_to_many_field_is_audited(root_client, model, name):
    obj = model.objects.order_by("pk").first()
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
                data[sub.add_prefix(field)] = f"{data.get(sub.add_prefix(field)) or ''} (changed)"
                n = _entries(sub.instance)
                assert root_client.post(url, data).status_code == 302
                assert _entries(sub.instance) == n + 1
                changed += 1
                break
    if not changed:
        pytest.skip(f"no inline of {model._meta.label} has a row editable here")


@pytest.mark.parametrize("model,model_admin", REGISTRY, ids=[m._meta.label for m, _ in REGISTRY])
def test_admin_delete_of_any_registered_model_is_audited_or_refused(root_client, model,
                                                                    model_admin):
    obj = model.objects.order_by("pk").first()
    if obj is None:
        pytest.skip(f"the demo has no {model._meta.label}")
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_delete", args=[obj.pk])
    root_client.post(url, {"post": "yes"})
    if model.objects.filter(pk=obj.pk).exists():
        return  # refused: nothing was deleted
    assert AuditEntry.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk),
                                     action__endswith="deleted").exists()


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
