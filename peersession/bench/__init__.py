"""``python -m peersession.bench``: how fast peersession is, next to what it is built on.

Every figure is a ratio against a reference measured in the same run on the
same machine (a minimal Textual app, an empty history, stock TinyDB), because
absolute times on a shared machine say little. See :mod:`.run` for the
measures and their goals.
"""
