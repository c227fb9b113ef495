"""Qt-free core of the counter cashier for electricity service halls (供电营业厅收费).

Nothing in this package may import Qt: the GUI in ``ui/`` is a thin layer on top.
"""

__version__ = "0.1.0"
