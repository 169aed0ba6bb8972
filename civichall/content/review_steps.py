"""Steps that come before a reviewer's decision in the one review workflow.

Content owns the workflow; a higher room that adds a step (the automatic
content-safety check) registers a function ``ensure(workflow)`` in its
``ready()``, and content calls it whenever it sets the workflow up -- so
content never imports that room.
"""

_STEPS = []


def register_review_step(ensure):
    """``ensure(workflow)`` puts the room's task in the workflow if missing."""
    if ensure not in _STEPS:
        _STEPS.append(ensure)


def ensure_review_steps(workflow):
    for ensure in _STEPS:
        ensure(workflow)
