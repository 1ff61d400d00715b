"""What a benchmark run from a checkout does before it imports the project.

It makes this checkout's code importable ahead of any installed copy, with the other benchmarks
beside it, and has models read offline. A benchmark imports it first::

    from checkout import REPO
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "benchmarks"), str(REPO)]
os.environ.setdefault("HF_HUB_OFFLINE", "1")
