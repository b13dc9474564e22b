"""The realistic mix for ``bench_load.py`` (locust): the public browsing the map, passports and
matches and calling the API, investors applying, staff reserving and releasing, and one static
file as the baseline. Tokens and plot codes come from the environment (set by bench_load.py).

The users are ``FastHttpUser`` (geventhttpclient): the load generator shares the machine's
cores with the server, and ``HttpUser`` (requests) spent several times more CPU per request."""

from __future__ import annotations

import os
import random

from locust import FastHttpUser, between, task

PLOTS = os.environ["BENCH_PLOTS"].split(",")
PLOT_IDS = [int(x) for x in os.environ["BENCH_PLOT_IDS"].split(",")]
STATIC = os.environ["BENCH_STATIC"]
MATCH = {"sector": "C25", "area_ha": {"min": 1, "max": 5},
         "needs": {"power_kw": 500, "water_m3_day": 20, "sewage_m3_day": 10, "heat_gcal_h": 0,
                   "gas_m3_h": 0},
         "rail_spur": False, "hazard_class": 4, "horizon_years": 10}
NEEDS = {"power_kw": 5, "water_m3_day": 0, "sewage_m3_day": 0, "heat_gcal_h": 0, "gas_m3_h": 0}


class Visitor(FastHttpUser):
    """Someone on the portal: the map, a passport, a match, the API; a static file. Reads each
    page for 5 to 15 seconds."""

    weight = 20
    wait_time = between(5, 15)

    @task(4)
    def home(self):
        self.client.get("/", name="map (home)")

    @task(4)
    def passport(self):
        self.client.get(f"/plots/balkhash/{random.choice(PLOTS)}/", name="passport")

    @task(2)
    def match(self):
        self.client.post("/api/match", json=MATCH, name="POST /api/match")

    @task(2)
    def api_plots(self):
        self.client.get("/api/plots", name="GET /api/plots")

    @task(2)
    def static(self):
        self.client.get(STATIC, name="static file (baseline)")


class Investor(FastHttpUser):
    """An investor's company creating and submitting an application now and then."""

    weight = 1
    wait_time = between(10, 20)

    @task
    def apply(self):
        auth = {"Authorization": f"Bearer {os.environ['BENCH_INVESTOR_TOKEN']}"}
        r = self.client.post("/api/applications", headers=auth, name="POST /api/applications",
                             json={"project_name": "Load test (illustrative)", "sector": "C25",
                                   "investment_kzt": 1000000, "jobs_planned": 10,
                                   "needs": NEEDS})
        if r.status_code == 201:
            self.client.post(f"/api/applications/{r.json()['id']}/submit", json={},
                             headers=auth, name="POST /api/applications/{id}/submit")


class Staff(FastHttpUser):
    """The zone office reserving a plot for an application and releasing it again."""

    weight = 1
    wait_time = between(5, 10)

    def on_start(self):
        self.auth = {"Authorization": f"Bearer {os.environ['BENCH_STAFF_TOKEN']}"}
        r = self.client.post("/api/applications", name="POST /api/applications", json={
            "project_name": "Load test (illustrative)", "sector": "C25",
            "investment_kzt": 1000000, "jobs_planned": 10, "needs": NEEDS},
            headers={"Authorization": f"Bearer {os.environ['BENCH_INVESTOR_TOKEN']}"})
        self.application = r.json()["id"]
        self.client.post(f"/api/applications/{self.application}/submit", json={},
                         headers={"Authorization": f"Bearer {os.environ['BENCH_INVESTOR_TOKEN']}"},
                         name="POST /api/applications/{id}/submit")

    @task
    def reserve_and_release(self):
        with self.client.post("/api/reservations", headers=self.auth, catch_response=True,
                              name="POST /api/reservations",
                              json={"plot_id": random.choice(PLOT_IDS),
                                    "application_id": self.application}) as r:
            if r.status_code == 409:
                r.success()  # the plot is held by another: a refusal, not an error
                return
        if r.status_code == 201:
            self.client.post(f"/api/reservations/{r.json()['id']}/release", json={},
                             headers=self.auth, name="POST /api/reservations/{id}/release")
