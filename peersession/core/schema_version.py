"""The schema version of the data files and of a bundle's records.

Apart from ``core/records.py`` (which declares the records of this version and
names it) so that opening a data folder, which compares each file's version
with this one, need not import every record's declaration.
"""

from __future__ import annotations

#: Files of an older schema are migrated (``store/schema.py``) before they are checked.
SCHEMA_VERSION = 3
