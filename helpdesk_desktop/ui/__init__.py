"""The Qt face of the program. Only this package (and __main__) imports PySide6."""
