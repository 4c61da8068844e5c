"""Spark execution of the national batch: the online engine's blocks, scores and decisions, run as joins.

An execution adapter at the edge: the matching core never imports pyspark. `pip install '.[spark]'`
brings it in; `linkage link --engine spark` uses it. See `batch.py` for the plan and `link.py` for how
the results reach the store through the same use case as the in-process path.
"""
