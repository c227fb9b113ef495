"""``cashier-admin``: the technician's command line, an entry point like the GUI in ``ui/``.

It drives the core (``cashier``) and may use the receipt renderers (``receipts``) for print-test;
the core imports neither.
"""
