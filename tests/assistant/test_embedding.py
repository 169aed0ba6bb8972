"""The sentence model as the assistant runs it: one BLAS thread per process
once loaded, and a question asked again is not encoded again."""

import numpy as np
import pytest
from threadpoolctl import threadpool_info

from civichall.assistant import embedding


def test_the_model_runs_blas_on_one_thread():
    assert embedding.available()
    assert all(pool["num_threads"] == 1 for pool in threadpool_info() if pool["user_api"] == "blas")


def test_a_question_asked_again_is_not_encoded_again(monkeypatch):
    embedding.forget_questions()
    first = embedding.encode(["失业了怎么领钱"])

    class Unreachable:
        def encode(self, texts):
            raise AssertionError(f"encoded again: {texts}")

    monkeypatch.setattr(embedding, "_model", Unreachable())
    again = embedding.encode(["失业了怎么领钱"])
    assert np.array_equal(first, again) and again.shape == (1, embedding.DIMENSIONS)
    with pytest.raises(AssertionError, match="encoded again"):  # a new question is
        embedding.encode(["宝宝出生了怎么上户口"])


def test_meaning_brings_spoken_words_near_the_official_ones():
    question, unemployment, bus = embedding.encode(["失业了怎么领钱", "失业保险金申领", "实时公交到站查询"])
    assert float(question @ unemployment) > float(question @ bus)
    assert np.allclose(np.linalg.norm([question, unemployment, bus], axis=1), 1.0, atol=1e-5)
