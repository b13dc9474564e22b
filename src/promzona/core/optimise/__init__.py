"""Decisions with proofs: the utilities build plan and the allocation of competing applications.

Both are mixed-integer programmes solved to optimality by HiGHS (through SciPy), each with the
simple rules people use today as baselines and explanations in words. See
``docs/optimisation.md`` for the formulations and the JSON contracts.
"""
