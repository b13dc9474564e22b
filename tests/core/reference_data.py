"""Where the reference tests find the shared trade data: ``$PROMZONA_SHARED_DATA`` is the shared
data folder (default ``<repo>/../shared/data``); the data set is its ``economic-complexity/``."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("PROMZONA_SHARED_DATA", REPO.parent / "shared" / "data"))
SUBFOLDER = "economic-complexity"
REF = SHARED / SUBFOLDER
