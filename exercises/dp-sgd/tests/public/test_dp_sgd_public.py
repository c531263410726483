"""Public tests for dp-sgd: run them with "Run". The hidden suite checks much more."""

import numpy as np
import pytest

EXAMPLE = [np.array([[3.0, 4.0], [0.3, 0.4]]), np.array([[0.0], [0.0]])]


def test_clipping_on_the_example(solution):
    """Norm 5 is scaled to 1; norm 0.5 is left alone."""
    clipped, norms = solution.clip_per_sample(EXAMPLE, 1.0)
    np.testing.assert_allclose(norms, [5.0, 0.5], err_msg="norms before clipping")
    np.testing.assert_allclose(clipped[0], [[0.6, 0.8], [0.3, 0.4]], err_msg="clipped[0]")
    np.testing.assert_allclose(clipped[1], [[0.0], [0.0]], err_msg="clipped[1]")


def test_the_norm_is_taken_over_all_tensors_together(solution):
    """[3] and [4] in two tensors: one norm of 5, so both are scaled by 1/5."""
    grads = [np.array([[3.0]]), np.array([[4.0]])]
    clipped, norms = solution.clip_per_sample(grads, 1.0)
    np.testing.assert_allclose(norms, [5.0])
    np.testing.assert_allclose([clipped[0][0, 0], clipped[1][0, 0]], [0.6, 0.8])


def test_privatize_without_noise_is_the_mean_of_clipped(solution):
    """noise_multiplier=0: the plain mean of the clipped gradients."""
    got = solution.privatize(EXAMPLE, max_norm=1.0, noise_multiplier=0.0, rng=0)
    np.testing.assert_allclose(got[0], [0.45, 0.6])
    np.testing.assert_allclose(got[1], [0.0])


def test_privatize_draws_noise_per_tensor_in_order(solution):
    """The noise is gen.normal(0, sigma * C, size=shape_k), tensor by tensor."""
    gen = np.random.default_rng(5)
    noise = [gen.normal(0.0, 2.0, size=(2,)), gen.normal(0.0, 2.0, size=(1,))]
    got = solution.privatize(EXAMPLE, max_norm=1.0, noise_multiplier=2.0, rng=5)
    np.testing.assert_allclose(got[0], (np.array([0.9, 1.2]) + noise[0]) / 2)
    np.testing.assert_allclose(got[1], noise[1] / 2)


def test_rejects_a_non_positive_max_norm(solution):
    """max_norm must be > 0."""
    with pytest.raises(ValueError):
        solution.clip_per_sample(EXAMPLE, 0.0)
