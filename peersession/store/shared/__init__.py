"""The group's shared folder: the exchange between the members' machines.

A folder the group already syncs (Syncthing, a cloud drive, git) carries
every machine's changes, encrypted with the group's key. Each machine writes
only its own files, whole, so no sync tool ever has to resolve a conflict:

* :mod:`.key`: the group's key, its copyable token, and where it is kept here;
* :mod:`.sealing`: AES-GCM, with what each sealed record is bound to;
* :mod:`.layout`: the names in the folder, and what sync tools leave behind;
* :mod:`.segments`: immutable numbered segments of change records;
* :mod:`.live_journal`: a live session's journal, appended record by record;
* :mod:`.folder`: making, joining, publishing to and taking in from a folder;
* :mod:`.local`: what this machine keeps about a shared group in its data folder.

The format is described in docs/data.md ("The shared folder").
"""
