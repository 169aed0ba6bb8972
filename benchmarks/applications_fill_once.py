"""What "fill once" (免填免交) saves a citizen, per detailed application.

For each detailed application definition of the demo
(``civichall/contrib/demo/applications/*.json``) it counts:

- fields typed: without fill-once the citizen types every field; with
  fill-once the fields that a prefill source supplies (identity, residence,
  social security, medical insurance, e-licences) are filled for them and
  only confirmed. Counted twice: the required fields, and all fields shown
  by default (a field behind a condition is hidden by default and not
  counted);
- materials uploaded: without e-licences every material; with them the
  materials an e-licence replaces are fetched instead. Counted for the
  required materials and for all materials.

Pure Python: reads the JSON files, needs no database or Django.

Run from the repository root:  python benchmarks/applications_fill_once.py [--all]
``--all`` lists every application, not only the detailed ones. It prints a
table and totals; it asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from civichall.contrib.demo.applications import definition_documents  # noqa: E402


def figures(document: dict) -> dict[str, int]:
    """Fields typed and materials uploaded, without and with fill-once."""
    properties = document["schema"]["properties"]
    hidden = {condition["field"] for condition in document["conditions"]}
    shown = [name for name in properties if name not in hidden]
    required = [name for name in document["schema"]["required"] if name not in hidden]
    prefilled = {name for entry in document["prefill"] for name in entry["fields"]}
    materials = document["materials"]
    required_materials = [m for m in materials if m["required"]]
    return {
        "required": len(required),
        "required_once": len([name for name in required if name not in prefilled]),
        "shown": len(shown),
        "shown_once": len([name for name in shown if name not in prefilled]),
        "materials_required": len(required_materials),
        "materials_required_once": len([m for m in required_materials if not m["licence"]]),
        "materials": len(materials),
        "materials_once": len([m for m in materials if not m["licence"]]),
    }


def width(text: str) -> int:
    """Columns a text takes in a terminal (a Chinese character takes two)."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def pair(without: int, with_: int) -> str:
    return f"{without:3d} → {with_:2d}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="every application, not only the detailed ones")
    args = parser.parse_args()
    documents = [d for d in definition_documents().values() if args.all or d["detailed"]]
    code_columns = max(len(d["code"]) for d in documents) + 2
    title_columns = max(width(d["title"]) for d in documents) + 2
    print("fields typed / materials uploaded, without → with fill-once (免填免交)")
    print(pad("application", code_columns + title_columns)
          + "required fields  shown fields  required materials  all materials")
    totals = dict.fromkeys(figures(documents[0]), 0)
    for document in documents:
        f = figures(document)
        for key, value in f.items():
            totals[key] += value
        print(pad(document["code"], code_columns) + pad(document["title"], title_columns)
              + f"{pair(f['required'], f['required_once']):>15}  {pair(f['shown'], f['shown_once']):>12}"
              + f"  {pair(f['materials_required'], f['materials_required_once']):>18}"
              + f"  {pair(f['materials'], f['materials_once']):>13}")
    t = totals
    print(pad(f"total ({len(documents)})", code_columns + title_columns)
          + f"{pair(t['required'], t['required_once']):>15}  {pair(t['shown'], t['shown_once']):>12}"
          + f"  {pair(t['materials_required'], t['materials_required_once']):>18}"
          + f"  {pair(t['materials'], t['materials_once']):>13}")
    saved_fields = 1 - t["shown_once"] / t["shown"]
    saved_required = 1 - t["required_once"] / t["required"]
    saved_materials = 1 - t["materials_required_once"] / t["materials_required"]
    print(f"typed: {saved_required:.0%} fewer required fields, {saved_fields:.0%} fewer fields shown; "
          f"uploads: {saved_materials:.0%} fewer required materials")


if __name__ == "__main__":
    main()
