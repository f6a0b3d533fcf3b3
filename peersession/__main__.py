"""``python -m peersession``: the same as the ``peersession`` command."""

from peersession.cli import entry_point

entry_point()
