"""The composition root: ``helpdesk-desktop`` / ``python -m helpdesk_desktop``.

With a command it runs the command line; without one it opens the window. Qt is imported
only then, so the command line works on machines without a display.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from helpdesk_desktop.cli.main import main as cli_main


def _run_gui(args: argparse.Namespace) -> int:
    try:
        from helpdesk_desktop.ui.app import run_gui
    except ImportError as exc:
        sys.stderr.write(f"error: the window cannot open: {exc}\n")
        return 1
    return int(run_gui(args) or 0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command given on the command line, or open the window without one."""
    return cli_main(argv, gui=_run_gui)


if __name__ == "__main__":
    sys.exit(main())
