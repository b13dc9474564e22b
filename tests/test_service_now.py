"""Writing services take ``now=`` and stamp their audit entry with it (a replay, a command or a
test gives the time; nothing reads the clock behind its back)."""

from __future__ import annotations

import datetime as dt

import pytest
import shapely
from django.core import signing

from promzona.accounts import services as accounts
from promzona.accounts.models import Role, User
from promzona.applications import services as applications
from promzona.audit.models import AuditEntry
from promzona.geodata import services as geodata
from promzona.geodata.uploads import read_upload
from promzona.matching import services as matching
from promzona.matching.models import Notice
from promzona.zones import services as zones
from promzona.zones.models import MapFeature

NOW = dt.datetime(2021, 3, 4, 5, 6, 7, tzinfo=dt.UTC)
NEEDS = {"power_kw": 100, "water_m3_day": 5, "sewage_m3_day": 0, "heat_gcal_h": 0, "gas_m3_h": 0}


def _investor():
    return User.objects.get(username="demo-investor")


def _feature_delete(demo, tmp_path):
    zones.feature_delete(actor=None, obj=MapFeature.objects.filter(zone=demo).first(), now=NOW)
    return "mapfeature.deleted"


def _user_create(demo, tmp_path):
    accounts.user_create(actor=None, username="at-now", password="Long-enough-2021",
                         role=Role.INVESTOR, now=NOW)
    assert User.objects.get(username="at-now").date_joined == NOW
    return "user.created"


def _user_verify(demo, tmp_path):
    user = accounts.user_create(actor=None, username="at-now", password="Long-enough-2021",
                                role=Role.INVESTOR, is_active=False)
    token = signing.dumps({"u": user.pk}, salt=accounts.VERIFY_SALT)
    accounts.user_verify(token=token, now=NOW)
    return "user.verified"


def _colleague_invite(demo, tmp_path):
    accounts.colleague_invite(actor=_investor(), email="colleague@example.kz", now=NOW)
    return "user.invited"


def _invitation_accept(demo, tmp_path):
    token = accounts.colleague_invite(actor=_investor(), email="colleague@example.kz")
    accounts.invitation_accept(token=token, username="at-now", password="Long-enough-2021",
                               now=NOW)
    assert User.objects.get(username="at-now").date_joined == NOW
    return "user.created"


def _application_update(demo, tmp_path):
    app = applications.application_create(
        actor=_investor(), project_name="Metal works", sector="C25",
        investment_kzt=1_000_000_000, jobs_planned=120, needs=NEEDS, preferred_plots=[])
    applications.application_update(actor=_investor(), application=app,
                                    project_name="Steel works", now=NOW)
    return "application.updated"


def _saved_search_delete(demo, tmp_path):
    search = matching.saved_search_create(actor=_investor(), name="s",
                                          request={"sector": "C25"})
    matching.saved_search_delete(actor=_investor(), search=search, now=NOW)
    return "saved_search.deleted"


def _notices_mark_read(demo, tmp_path):
    Notice.objects.create(user=_investor(), text="t", url="/match/", created_at=NOW)
    assert matching.notices_mark_read(actor=_investor(), url="/match/", now=NOW) == 1
    return "notice.read"


def _source_file(demo, tmp_path):
    import numpy as np
    import pyogrio.raw

    x0, y0, _, _ = demo.shape().bounds
    path = tmp_path / "s.geojson"
    fields = {"code": ["SRC-NOW"], "name": ["Подстанция"], "kind": ["power"],
              "capacity": ["1000"]}
    pyogrio.raw.write(str(path), shapely.to_wkb(np.array([shapely.Point(x0 + 0.001, y0 + 0.001)],
                                                         dtype=object)),
                      [np.array(v, dtype=object) for v in fields.values()], list(fields),
                      driver="GeoJSON", geometry_type="Point", crs="EPSG:4326")
    return path


def _layer_import(demo, tmp_path):
    path = _source_file(demo, tmp_path)
    assert geodata.layer_import(actor=None, path=path, layer="utility-sources", zone=demo,
                                now=NOW).written
    return "utilitysource.created"


def _features_import(demo, tmp_path):
    table = read_upload(_source_file(demo, tmp_path), name=None, layer=None, crs=None)
    assert geodata.features_import(actor=None, zone=demo, table=table, layer="utility-sources",
                                   now=NOW).written
    return "utilitysource.created"


@pytest.mark.parametrize("call", [
    _feature_delete, _user_create, _user_verify, _colleague_invite, _invitation_accept,
    _application_update,
    _saved_search_delete, _notices_mark_read, _layer_import, _features_import,
], ids=lambda f: f.__name__.strip("_"))
def test_the_audit_entry_is_stamped_with_the_given_now(call, demo, tmp_path):
    action = call(demo, tmp_path)
    assert AuditEntry.objects.filter(action=action).latest("id").at == NOW
