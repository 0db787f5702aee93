"""The single place the version is written; records carry it as ``coder: dyad/<version>``."""

__version__ = "0.1.0"
CODER = f"dyad/{__version__}"
