"""Glue for the demo only: a reference upstream beside the demo hall, and the terminal files that point at it.

Neither the core (``cashier``) nor the reference upstream (``upstream``) depends on this package.
"""
