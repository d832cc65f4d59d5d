"""The main window's screens. Each is built on first visit, from a ``ScreenContext``."""
