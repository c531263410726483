"""Public tests for pca: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

X = np.array([[0.0, 0.0], [2.0, 2.0], [4.0, 4.0], [1.0, 3.0], [3.0, 1.0]])


def test_fit_of_the_example(solution):
    """Mean, variances (n - 1 denominator) and ratios of the example."""
    mean, components, variance, ratio = solution.pca_fit(X)
    np.testing.assert_allclose(mean, [2.0, 2.0], err_msg="mean")
    np.testing.assert_allclose(variance, [4.0, 1.0], err_msg="explained_variance")
    np.testing.assert_allclose(ratio, [0.8, 0.2], err_msg="explained_variance_ratio")
    assert components.shape == (2, 2), f"components: expected shape (2, 2), got {components.shape}"


def test_components_are_the_diagonals_up_to_sign(solution):
    """First (1, 1)/sqrt(2), then (1, -1)/sqrt(2), each with either sign."""
    _, components, _, _ = solution.pca_fit(X)
    first, second = components
    r = np.sqrt(0.5)
    assert np.allclose(first, [r, r]) or np.allclose(first, [-r, -r]), f"component 0: {first}"
    assert np.allclose(second, [r, -r]) or np.allclose(second, [-r, r]), f"component 1: {second}"


def test_n_components_keeps_the_leading_ones(solution):
    """n_components=1 keeps one component; its ratio is still a share of the total."""
    _, components, variance, ratio = solution.pca_fit(X, 1)
    assert components.shape == (1, 2), f"expected shape (1, 2), got {components.shape}"
    np.testing.assert_allclose(variance, [4.0])
    np.testing.assert_allclose(ratio, [0.8])


def test_transform_and_back(solution):
    """With all components, inverse_transform(transform(X)) gives X back."""
    mean, components, _, _ = solution.pca_fit(X)
    Z = solution.pca_transform(X, mean, components)
    np.testing.assert_allclose(
        np.abs(Z[:, 0]), [2 * np.sqrt(2), 0, 2 * np.sqrt(2), 0, 0], atol=1e-12
    )
    np.testing.assert_allclose(solution.pca_inverse_transform(Z, mean, components), X, atol=1e-12)


def test_one_row_is_an_error(solution):
    """The sample variance needs at least two rows."""
    with pytest.raises(ValueError):
        solution.pca_fit(np.ones((1, 3)))
