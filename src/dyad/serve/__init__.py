"""``dyad serve``: a JSON API and a server-rendered dashboard over a store.

A thin rendering of the query functions (:mod:`dyad.query`, :mod:`dyad.serve.queries`):
every page has a ``.json`` twin with the same rows. Needs the ``serve`` extra
(``pip install 'dyad[serve]'``)::

    from dyad.serve import create_app
    app = create_app("dyad.duckdb")          # any ASGI server can run it
"""

from __future__ import annotations

from dyad.serve.app import create_app, prepare_store

__all__ = ["create_app", "prepare_store"]
