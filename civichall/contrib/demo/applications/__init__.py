"""The demo's application definition documents (不见面办理 forms).

One JSON file per online application of the Apply hub, named
``<service code>.json`` after the codes in
:data:`civichall.contrib.demo.load_services.APPLICATIONS`, plus the two
bundle documents (一件事一次办) ``newborn_bundle.json`` and
``unemployment_bundle.json``, whose ``parts`` route one case to several
organisations.

Each file follows the application definition format, version 1: the data as
a JSON Schema (draft 2020-12), the layout in steps and sections, the
conditions that show a field, the materials list, the prefill mappings from
the city's own records (identity, residence, social security, medical
insurance, e-licences) and the declaration. Everything the city already
holds is a prefill mapping and every material an e-licence can replace
names that licence, so a citizen types and uploads only what no department
has (免填免交).

To add or change a form, edit its JSON file; the demo loader stores each
document as one version of the application's definition, so a changed file
becomes a new version on the next load and filed cases keep theirs.
``tests/contrib/demo/test_application_definitions.py`` checks every file
against the format's rules.

This module reads files only; it imports no Django.
"""

from __future__ import annotations

import json
from pathlib import Path

DIRECTORY = Path(__file__).resolve().parent

BUNDLE_CODES = ("newborn_bundle", "unemployment_bundle")


def definition_documents() -> dict[str, dict]:
    """``{code: document}`` for every definition file, sorted by code."""
    documents = {}
    for path in sorted(DIRECTORY.glob("*.json")):
        with path.open(encoding="utf-8") as handle:
            documents[path.stem] = json.load(handle)
    return documents


def bundle_codes() -> tuple[str, ...]:
    """Codes of the bundle documents (一件事一次办), which have ``parts``."""
    return BUNDLE_CODES
