"""Precision and recall of the clickbait and reply-tone scorers on the team's
labelled sets (tests/data/clickbait_titles.csv, tests/data/official_replies.csv).

Run from the repository root:  python benchmarks/safety_quality.py
Prints figures; asserts nothing (the tests hold the floors).
"""

import csv
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from civichall.safety.clickbait import THRESHOLD as TITLE_THRESHOLD  # noqa: E402
from civichall.safety.clickbait import score_title
from civichall.safety.tone import THRESHOLD as REPLY_THRESHOLD  # noqa: E402
from civichall.safety.tone import check_reply


def precision_recall(rows, flagged, positive):
    tp = fp = fn = 0
    for text, label in rows:
        hit, gold = flagged(text), label == positive
        tp += hit and gold
        fp += hit and not gold
        fn += gold and not hit
    return tp / max(tp + fp, 1), tp / max(tp + fn, 1)


def main():
    data = ROOT / "tests" / "data"
    with open(data / "clickbait_titles.csv", encoding="utf-8") as f:
        titles = [(r["title"], r["label"]) for r in csv.DictReader(f)]
    with open(data / "official_replies.csv", encoding="utf-8") as f:
        replies = [(r["reply"], r["label"]) for r in csv.DictReader(f)]
    p, r = precision_recall(titles, lambda t: score_title(t)[0] >= TITLE_THRESHOLD, "clickbait")
    print(f"clickbait titles  n={len(titles):4d}  precision {p:.3f}  recall {r:.3f}")
    p, r = precision_recall(replies, lambda t: check_reply(t)[0] >= REPLY_THRESHOLD, "flag")
    print(f"official replies  n={len(replies):4d}  precision {p:.3f}  recall {r:.3f}")


if __name__ == "__main__":
    main()
