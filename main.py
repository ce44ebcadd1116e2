"""Safe Communities Desk: the window by default, headless commands otherwise (`python main.py --help`)."""

import sys


def start() -> int:
    """Run the command line (desktop/cli), which imports only what the chosen command needs."""
    if getattr(sys, "frozen", False):
        # verify checks a large log's signatures in worker processes; a frozen Windows program must let
        # each worker run its task instead of starting the desk again. Only a frozen start needs it, so
        # no other start pays for importing multiprocessing.
        import multiprocessing

        multiprocessing.freeze_support()
    from desktop.cli import main

    return main()


if __name__ == "__main__":
    sys.exit(start())
