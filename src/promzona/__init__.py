"""promzona: plan and run an industrial zone."""

__version__ = "0.1.0"
