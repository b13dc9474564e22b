"""The demo's accounts, one per role. Their passwords are public: they are shown on the login
page while the demo is loaded, and only then."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from promzona.zones.models import Zone

DEMO_ZONE_SLUG = "balkhash"
DEMO_PASSWORD = "balkhash-demo-2026"  # noqa: S105 (public by design)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    role_label: str
    organisation_bin: str | None = None
    password: str = DEMO_PASSWORD
    #: False for the account behind the demo's own applications: loading their history
    #: (submitted, reserved, approved) would otherwise print a pile of emails.
    has_email: bool = True


DEMO_ACCOUNTS = [
    DemoAccount("demo-staff", "staff", _("Zone office staff")),
    DemoAccount("demo-manager", "manager", _("Manager")),
    DemoAccount("demo-editor", "editor", _("Editor (newsroom)")),
    DemoAccount("demo-investor", "investor", _("Investor"), "180140005227"),
    DemoAccount("demo-investor2", "investor", _("Investor (another company)"), "050840001233"),
    DemoAccount("demo-executor", "executor", _("Executor (city department)")),
    DemoAccount("demo-investor3", "investor", _("Investor (holds the reserved and allocated plots)"),
                "990340001111", has_email=False),
]


def demo_loaded() -> bool:
    return Zone.objects.filter(slug=DEMO_ZONE_SLUG, is_illustrative=True).exists()
