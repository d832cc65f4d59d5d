"""The composition root: the ``warden`` command, which builds config, store, services, models
and delegates, then the UI. The only package allowed to import all the others."""

__version__ = "0.1.0"
