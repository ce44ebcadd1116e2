"""Safe Communities Desk: the window by default, headless commands otherwise (`python main.py --help`)."""

import multiprocessing
import sys

from desktop.cli import main

if __name__ == "__main__":
    # verify checks a large log's signatures in worker processes; a frozen Windows program must let
    # each worker run its task instead of starting the desk again (a no-op when not frozen).
    multiprocessing.freeze_support()
    sys.exit(main())
