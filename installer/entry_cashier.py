"""PyInstaller entry: the counter program (``cashier``)."""
import multiprocessing
import sys

from ui.app import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the search index is built in worker processes
    sys.exit(main())
