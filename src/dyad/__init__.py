"""dyad: who did what to whom, when, where and how much, with evidence."""

__version__ = "0.1.0"
