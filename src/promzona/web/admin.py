"""The portal's branding in the admin: one row; the logo is uploaded and stored re-encoded."""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from promzona.core.errors import InputError
from promzona.core.images import MAX_LOGO_BYTES, logo_png
from promzona.web.feedback import message_of

from . import services
from .links import logo_url
from .models import Branding


class BrandingForm(forms.ModelForm):
    logo_upload = forms.FileField(
        label=_("logo"), required=False,
        help_text=_("JPEG, PNG or WebP, at most 2 MB; stored as PNG, at most 512 × 128 pixels."))
    remove_logo = forms.BooleanField(label=_("remove the logo"), required=False)

    class Meta:
        model = Branding
        fields = ["name_ru", "name_kk", "name_en", "colour"]

    def clean_logo_upload(self) -> bytes | None:
        """The upload's bytes, refused here (with the reason) when they are no usable logo."""
        upload = self.cleaned_data.get("logo_upload")
        if not upload:
            return None
        data = upload.read(MAX_LOGO_BYTES + 1)
        try:
            logo_png(data)
        except InputError as exc:
            raise forms.ValidationError(message_of(exc)) from exc
        return data


@admin.register(Branding)
class BrandingAdmin(admin.ModelAdmin):
    form = BrandingForm
    list_display = ("name_ru", "colour", "updated_at")
    readonly_fields = ("current_logo",)

    @admin.display(description=_("current logo"))
    def current_logo(self, obj):
        url = logo_url(obj)
        return format_html('<img src="{}" alt="" height="48">', url) if url else "—"

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Branding.objects.exists()

    def save_model(self, request, obj, form, change):
        services.branding_save(actor=request.user, branding=obj,
                               logo=form.cleaned_data.get("logo_upload"),
                               remove_logo=form.cleaned_data.get("remove_logo", False))

    def delete_model(self, request, obj):
        services.branding_delete(actor=request.user, branding=obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)
