"""Django-free domain logic: geometry, identifiers, capacity, matching, analytics.

Nothing in this package imports Django; a test enforces it.
"""
