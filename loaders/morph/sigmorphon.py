"""Reader `sigmorphon`: SIGMORPHON inflection shared-task files. 2017/2020/2022 order their columns
`lemma form features`, 2023 `lemma features form`; covered test inputs drop the form (2017 keeps an
empty middle column). The order is detected from which column parses as features, or forced with
`-o layout=...`, and recorded as the resource's scheme."""
from __future__ import annotations

import re
from pathlib import Path

from lexres.loaders.morph.common import LEMMA_FORM_FEATURES, sniff_head

_SPLIT = re.compile(r"(\.(trn|dev|tst|train|test|covered(\.\w+)?)$)|(-(train-\w+|dev|covered-test)$)|"
                    r"(_(small|large)\.train$)")


def looks_like_split(path: Path) -> bool:
    """File named like a shared-task split (`amh.trn`, `evn_small.train`, `quechua-covered-test`)."""
    return bool(_SPLIT.search(Path(path).name))


def sniff(head: bytes, path: Path) -> float:
    """Score 0..1 that `head` is a SIGMORPHON shared-task file: 0.9 when the features are not last (2023
    order, covered inputs), 0.85 for `lemma form features` named like a split without blank lines, else
    0.6."""
    layout, blanks = sniff_head(head)
    if layout is None:
        return 0.0
    if layout != LEMMA_FORM_FEATURES:
        return 0.9  # features in the middle, or covered inputs: only shared-task files look like this
    return 0.85 if looks_like_split(path) and not blanks else 0.6
