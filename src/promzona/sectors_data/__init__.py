"""Data shipped for the sector analytics demos (see ATTRIBUTION.md); read with promzona.core.sector_data."""
