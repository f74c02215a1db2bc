"""The frozen program's entry point (PyInstaller): the same main as ``helpdesk-desktop``."""

import sys

from helpdesk_desktop.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
