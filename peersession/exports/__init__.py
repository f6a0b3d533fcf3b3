"""Formats that leave the app, and the bundle that comes back in.

* :mod:`.markdown`: ``render_markdown(group, sessions, commitments, include_private=...,
  goals=...)``, the recap to paste into an email or a chat;
* :mod:`.text`: ``render_text(...)`` (same arguments), the same recap as plain text,
  for readers who see the characters as they are (no Markdown escapes), wrapped by
  :mod:`.wrap` to the columns a screen shows;
* :mod:`.ics`: ``render_ics(group, commitments, with_commitments=..., ...)``, the
  group's meeting series as calendar events (commitments only when asked);
* :mod:`.ics_todos`: ``member_todos(group, member, commitments, today=...)``, one
  member's commitments as to-dos with reminders, added to the series by ``--member``;
* :mod:`.bundle`: ``build_bundle``/``dumps_bundle`` and ``parse_bundle``, the JSON
  unit of sharing (checked against ``core/records.py``, merged by ``store.merge``);
* :mod:`.escape`: what makes people's text safe in all of them.

Everything here is pure: documents in, text out, no files. Private items are
removed by :mod:`peersession.core.privacy` unless the caller explicitly asks.
"""
