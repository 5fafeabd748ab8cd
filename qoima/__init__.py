"""Qoima: an open-source platform for national archives."""

__version__ = "0.1.0"
