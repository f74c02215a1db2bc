"""The composition root: ``helpdesk-desktop`` / ``python -m helpdesk_desktop``.

With a command it runs the command line; without one it opens the window. Qt is imported
only then, so the command line works on machines without a display. ``--version`` alone
answers before anything else is imported (the command line's modules take ~0.4 s).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from helpdesk_desktop import __version__, startup_gc


def _run_gui(args: argparse.Namespace) -> int:
    try:
        from helpdesk_desktop.ui.app import run_gui
    except ImportError as exc:
        sys.stderr.write(f"error: the window cannot open: {exc}\n")
        return 1
    return int(run_gui(args) or 0)


def _tolerant_streams() -> None:
    # A windowed build (PyInstaller without a console, pythonw) has no stdout or stderr: what
    # would be written there is dropped instead of failing (the log file holds the details).
    if sys.stdout is None:
        sys.stdout = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process
    # A Windows console or pipe may use a legacy code page: a customer's name in another
    # script must not turn a listing into a crash.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            reconfigure(errors="backslashreplace")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command given on the command line, or open the window without one."""
    _tolerant_streams()
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments == ["--version"]:
        sys.stdout.write(f"helpdesk-desktop {__version__}\n")  # the parser's own wording
        return 0
    if arguments == ["--transcript-worker"]:  # the window's PDF export, in its own process
        from helpdesk_desktop.cli import transcript_worker

        return transcript_worker.main()
    # No cyclic collections while the program is imported: the window resumes them once it is
    # built, a command before it runs (startup_gc).
    startup_gc.pause()
    try:
        from helpdesk_desktop.cli import quick  # "tickets show ID" without the rest (≈ 0.1 s)

        shown = quick.run(arguments)
        if shown is not None:
            return shown
        from helpdesk_desktop.cli import window_args  # the window without the commands' modules

        window = window_args.parse(arguments)
        if window is not None:
            return _run_gui(window)
        from helpdesk_desktop.cli.main import main as cli_main

        return cli_main(arguments, gui=_run_gui)
    finally:
        startup_gc.resume()


if __name__ == "__main__":
    sys.exit(main())
