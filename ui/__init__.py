"""PySide6 user interface of the counter cashier; talks to ``cashier`` through plain services."""
