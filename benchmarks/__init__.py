"""peersession's benchmark: the real ``peersession`` command against floors.

Not part of the package: it measures any installed peersession from the
outside, through its command and its public doors (bundles it imports, keys
in a pseudo-terminal, files it writes), so two commits can be compared in one
run. See README.md, "Performance", and :mod:`benchmarks.run`.
"""
