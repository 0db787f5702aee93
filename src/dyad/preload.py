"""Start-up work done beside the main thread: the learned model and the language tables.

Creating the learned model's ONNX session (about a third of a second) runs in native code
that releases the interpreter lock, so on two cores it costs nothing while the main thread
imports and loads spaCy. :func:`start` begins it in a background thread, as early as a
command knows it will code; :func:`wait` joins it before the model is first used and before
worker processes are forked (which then inherit the loaded model, as they inherit spaCy).
Only the first call of :func:`start` in a process does anything.
"""

from __future__ import annotations

import logging
import threading

log = logging.getLogger(__name__)

_lock = threading.Lock()
_threads: list[threading.Thread] = []
_started = False


def _load_model() -> None:
    from dyad.models.runtime import get_model

    try:
        get_model()
    except Exception as exc:  # reported again, with its reason, where the model is used
        log.debug("event model not preloaded (%s: %s)", type(exc).__name__, exc)


def start(*, models: bool = True) -> None:
    """Begin loading the language detector and (``models``) the learned model."""
    global _started
    from dyad.language import preload as preload_language

    preload_language()
    with _lock:
        if _started or not models:
            return
        _started = True
        thread = threading.Thread(target=_load_model, name="dyad-model", daemon=True)
        _threads.append(thread)
        thread.start()


def wait() -> None:
    """Return once everything :func:`start` began is loaded."""
    with _lock:
        threads = list(_threads)
    for thread in threads:
        thread.join()
