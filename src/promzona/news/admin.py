"""News in the admin: rubrics and tags editable (saved and audited by the zones' service);
articles and comments read-only here, since their writes sanitise, moderate and audit through
the newsroom's own pages."""

from django.contrib import admin

from promzona.audit.admin import ReadOnlyAdmin
from promzona.zones.admin import ServiceAdmin

from .models import Article, BannedAddress, Comment, Rubric, Tag


@admin.register(Rubric)
class RubricAdmin(ServiceAdmin):
    list_display = ("slug", "name_ru", "name_kk", "name_en", "position")


@admin.register(Tag)
class TagAdmin(ServiceAdmin):
    list_display = ("slug", "name_ru", "name_kk", "name_en")
    search_fields = ("slug", "name_ru")


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    list_display = ("title_ru", "rubric", "status", "publish_at", "byline", "event_code")
    list_filter = ("status", "rubric")
    search_fields = ("title_ru", "title_kk", "title_en", "slug")
    exclude = ("search_text",)


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ("name", "article", "status", "created_at", "address")
    list_filter = ("status",)
    search_fields = ("name", "text", "address")


@admin.register(BannedAddress)
class BannedAddressAdmin(ReadOnlyAdmin):
    list_display = ("address", "created_at", "created_by")
