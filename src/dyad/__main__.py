"""``python -m dyad`` is the ``dyad`` command."""

from dyad.entry import main

main()
