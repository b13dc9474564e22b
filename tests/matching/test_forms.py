"""The match form is the request model in fields: the same fields, bounds and refusals."""

from __future__ import annotations

import pytest

from promzona.core.matching import MatchRequest
from promzona.core.matching.request import bounds
from promzona.matching.forms import PATHS, MatchForm

REQUESTS = [
    {"sector": "C25"},
    {"sector": "C23", "area_ha": {"min": 0.5, "max": 7.25}, "rail_spur": True,
     "needs": {"power_kw": 500, "water_m3_day": 2.5, "sewage_m3_day": 1, "heat_gcal_h": 0.3,
               "gas_m3_h": 40},
     "hazard_class": 2, "max_distance_m": {"rail": 1200, "road": 50, "airport": 60000},
     "budget_kzt": 2e9, "horizon_years": 25, "start_by": "2027-06-01",
     "weights": {"cost": 1, "time": 0, "logistics": 0.5, "sector": 0.1, "anchor": 0, "area": 3}},
    {"sector": "C28", "max_distance_m": {"road": 0}, "weights": {"area": 2}},
]


@pytest.mark.parametrize("body", REQUESTS)
def test_every_request_field_survives_the_form_both_ways(demo, body):
    req = MatchRequest.parse(body)
    form = MatchForm(MatchForm.initial_from(req.to_json()))
    assert form.is_valid(), form.errors
    assert form.match_request == req
    assert MatchRequest.parse(form.request_json()) == req


def test_the_forms_fields_are_the_requests():
    """Each of the model's fields (but the assumptions, not asked on the page) has its form
    field, bounded as the model bounds it."""
    form_fields = MatchForm.base_fields | {f"w_{c}": None for c in ("cost", "time", "logistics",
                                                                      "sector", "anchor", "area")}
    assert {name for name, _ in PATHS} == set(form_fields)
    assert {p[0] for _, p in PATHS} == set(MatchRequest.model_fields) - {"assumptions"}
    for name, path in PATHS:
        field = MatchForm.base_fields.get(name)
        if field is not None and hasattr(field, "max_value") and field.max_value is not None:
            assert (field.min_value, field.max_value) == bounds(path), name


@pytest.mark.parametrize("lang, words", [("ru", "больше"), ("en", "is larger than")])
def test_a_refusal_of_the_model_is_shown_in_the_pages_language(demo, client, lang, words):
    r = client.get("/match/", {"sector": "C25", "area_min": "9", "area_max": "1",
                               "hazard_class": "4", "horizon_years": "10"},
                   HTTP_ACCEPT_LANGUAGE=lang)
    html = r.content.decode()
    assert 'role="alert"' in html and words in html
    assert r.context["answer"] is None
