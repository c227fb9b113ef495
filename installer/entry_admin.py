"""PyInstaller entry: the technician's tools (``cashier-admin``)."""
import multiprocessing
import sys

from admin.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # the search index is built in worker processes
    sys.exit(main())
