"""PyInstaller entry: the reference upstream (``cashier-upstream``)."""
import multiprocessing
import sys

from upstream.cli import main

multiprocessing.freeze_support()  # `serve --workers N` starts processes from this executable
sys.exit(main())
