"""Each sample file has its own text: a search for one subject finds only its records."""

import itertools
import re

from sti.core.text import fold_lower
from sti.library.sample import FULL_TEXTS, REPORTS, full_text


def _texts() -> dict[int, str]:
    return {
        index: full_text(index, REPORTS[index - 1][0], REPORTS[index - 1][4])
        for index in FULL_TEXTS
    }


def test_xam_nhap_man_is_found_only_in_salinity_reports():
    found = [index for index, text in _texts().items() if "xam nhap man" in fold_lower(text)]
    assert found == [1]
    assert "chịu mặn" in REPORTS[0][0]


def test_sample_files_share_no_sentence():
    sentences = {
        index: {
            s.strip()
            for s in re.split(r"[.\n]", text)
            if len(s.strip()) > 30 and s.strip() != s.strip().upper()
        }
        for index, text in _texts().items()
    }
    for a, b in itertools.combinations(sentences, 2):
        assert not sentences[a] & sentences[b], (a, b)
