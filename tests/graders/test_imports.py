"""graders.imports: banned imports are found in every spelling, with their line."""

import pytest

from graders.imports import find_banned_imports

BANNED = ["sklearn.cluster", "scipy.cluster"]


@pytest.mark.parametrize(
    "source",
    [
        "import sklearn.cluster",
        "from sklearn.cluster import KMeans",
        "from sklearn import cluster",
        "import scipy.cluster.vq as vq",
        "def f():\n    return __import__('sklearn.cluster')",
        "import importlib\nm = importlib.import_module('scipy.cluster.vq')",
    ],
)
def test_each_spelling_of_a_banned_import_is_found(source):
    problems = find_banned_imports(source, BANNED)
    assert problems and problems[-1].startswith(f"line {source.count(chr(10)) + 1}: imports")


@pytest.mark.parametrize(
    "source",
    [
        "import sklearn",
        "from sklearn.metrics import pairwise_distances",
        "import numpy as np",
        "from scipy import spatial",
        "x = 'sklearn.cluster'",
    ],
)
def test_allowed_imports_are_not_reported(source):
    assert find_banned_imports(source, BANNED) == []


def test_source_that_does_not_parse_raises_syntax_error():
    with pytest.raises(SyntaxError):
        find_banned_imports("def (:", BANNED)
