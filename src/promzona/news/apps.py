from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NewsConfig(AppConfig):
    name = "promzona.news"
    verbose_name = _("News")

    def ready(self) -> None:
        from promzona.zones.signals import connect

        connect("news")  # every newsroom write gives the news pages' cache a new version
