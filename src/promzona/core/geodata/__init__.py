"""Django-free geodata: reading hostile files safely, CRS handling, field mapping."""
