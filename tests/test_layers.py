"""The rooms stay in layers: ``core < accounts < content < {safety,
services, notify} < interaction < {applications, assistant} < channels <
analytics < api`` (see ``.importlinter``). A lower room that needs a higher
one offers a registry the higher one fills in ``ready()``; an upward import
or a cycle fails here."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_no_room_imports_a_higher_one():
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run([str(lint), "--config", str(ROOT / ".importlinter")], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
