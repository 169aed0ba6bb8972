"""Loading the whole demo in a test, and making sure nothing was left out."""

import io

from django.core.management import call_command

LEFT_OUT = ("not filed", "refused")


def load_demo_completely():
    """``load_demo``, failing the test if the loader left anything out (a
    demo case not filed, a definition refused): a partial demo would make
    the tests that use it fail later, far from the cause. Returns what it
    printed."""
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    left_out = [line for line in printed.splitlines() if any(word in line for word in LEFT_OUT)]
    assert not left_out, f"the demo was loaded with parts left out: {left_out}"
    return printed
