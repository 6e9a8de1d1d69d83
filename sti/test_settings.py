"""Settings for the test suite: the same file, with STI_TESTING switched on (immediate
tasks, fast password hashing, local cache) and a throw-away data folder."""

import os
import tempfile

os.environ["STI_TESTING"] = "1"
os.environ.setdefault("STI_DATA_DIR", tempfile.mkdtemp(prefix="sti-test-"))

from sti.settings import *  # noqa: E402,F403
