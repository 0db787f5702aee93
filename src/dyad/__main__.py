"""``python -m dyad`` is the ``dyad`` command."""

from dyad.cli import main

main()
