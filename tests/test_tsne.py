"""t-SNE panels of Fig. 2: codes grouped and ranked by frequency."""

import numpy as np

from scaleinv.analysis.tsne import group_ids


def test_group_ids_rank_codes_by_frequency():
    bits = np.array([[0, 1], [1, 0], [1, 0], [0, 0], [1, 0], [0, 1]], np.uint8)
    assert group_ids(bits).tolist() == [1, 0, 0, 2, 0, 1]
