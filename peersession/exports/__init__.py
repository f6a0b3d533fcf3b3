"""Formats that leave the app: JSON bundles (and, later, Markdown and ICS).

Everything here is pure: documents in, text out. Private items are removed
by :mod:`peersession.core.privacy` unless the caller explicitly asks.
"""
