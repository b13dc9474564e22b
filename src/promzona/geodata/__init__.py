"""Geodata in and out: import/export of zone layers, OGC API Features, the JSON API."""
