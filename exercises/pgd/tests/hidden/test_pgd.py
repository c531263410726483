"""Hidden tests for pgd: the iteration against the checker's autograd, the random start and its
generator, the projection and clamp, the accuracy drop, input validation and speed."""

import pytest
import torch
from digits_model import DigitsMLP, digits_split, load_model
from pgd_checks import (
    accuracy,
    assert_matches,
    check_constraints,
    check_result,
    pgd,
    random_linear,
    random_start,
)

from graders.checks import assert_unchanged
from graders.remote import inspect_call

MODEL = load_model()
_, _, X_TEST, Y_TEST = digits_split()


def random_labels(seed, n, classes=10):
    return torch.randint(0, classes, (n,), generator=torch.Generator().manual_seed(seed))


@pytest.mark.weight(1)
def test_returns_a_detached_tensor_with_the_shape_and_dtype_of_x(solution):
    """A new tensor, shape and dtype of x, requires_grad False: (n, 64), (n, 8, 8) and float64."""
    x, y = X_TEST[:20], Y_TEST[:20]
    check_result(solution.PGD(MODEL, 0.1, 0.02, 3, seed=0)(x, y), x)
    images = x.reshape(-1, 8, 8)
    got = solution.PGD(MODEL, 0.1, 0.02, 3, seed=0)(images, y)
    check_result(got, images, "the result for (n, 8, 8) images")
    model64 = random_linear(0, 5, 3, torch.float64)
    x64 = torch.rand(7, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    got = solution.PGD(model64, 0.1, 0.02, 3, seed=0)(x64, random_labels(0, 7, 3))
    check_result(got, x64, "the float64 result")


@pytest.mark.weight(3)
def test_without_random_start_matches_the_checkers_pgd(solution, tolerances):
    """random_start=False: the iteration from x, for several epsilons, step sizes and counts."""
    cases = [(0, 120, 0.1, 0.025, 10), (120, 100, 0.2, 0.05, 6), (220, 80, 0.05, 0.02, 15)]
    for start, n, epsilon, alpha, steps in cases:
        x, y = X_TEST[start : start + n], Y_TEST[start : start + n]
        got = solution.PGD(MODEL, epsilon, alpha, steps, random_start=False)(x, y)
        what = f"epsilon={epsilon}, alpha={alpha}, steps={steps}, no random start"
        check_constraints(got, x, epsilon, 0.0, 1.0, what)
        expected = pgd(MODEL, x, y, epsilon, alpha, steps)
        assert_matches(got, expected, x, **tolerances, what=what)


@pytest.mark.weight(1)
def test_one_step_of_size_epsilon_from_x_is_fgsm(solution, tolerances):
    """steps=1, alpha=epsilon, no random start: clip(x + epsilon * sign(grad)), random labels."""
    x, y = X_TEST[:150], random_labels(1, 150)
    got = solution.PGD(MODEL, 0.1, 0.1, 1, random_start=False)(x, y)
    expected = pgd(MODEL, x, y, 0.1, 0.1, 1)
    assert_matches(got, expected, x, **tolerances, what="one FGSM-sized step")


@pytest.mark.weight(2)
def test_the_random_start_is_drawn_from_the_seeded_generator(solution, tolerances):
    """steps=0: clip(x + epsilon * (2u - 1)), u = torch.rand(x.shape, generator=g, dtype=x.dtype)
    with g = torch.Generator().manual_seed(seed); a second call draws the next u."""
    for seed, (epsilon, low, high) in enumerate([(0.1, 0.0, 1.0), (0.3, 0.25, 0.875)]):
        x = X_TEST[:100]
        attack = solution.PGD(
            MODEL, epsilon, 0.01, 0, clip_min=low, clip_max=high, seed=seed
        )  # fmt: skip
        generator = torch.Generator().manual_seed(seed)
        for call in ("first", "second"):
            got = attack(x, Y_TEST[:100])
            what = f"{call} call, steps=0, seed={seed}, epsilon={epsilon}, range [{low}, {high}]"
            check_constraints(got, x, epsilon, low, high, what)
            expected = random_start(x, epsilon, generator, low, high)
            assert_matches(got, expected, x, **tolerances, what=what, allowed_fraction=0.0)
    x64 = torch.rand(30, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(9))
    got = solution.PGD(random_linear(1, 5, 3, torch.float64), 0.2, 0.01, 0, seed=4)(
        x64, random_labels(2, 30, 3)
    )
    expected = random_start(x64, 0.2, torch.Generator().manual_seed(4))
    assert_matches(got, expected, x64, **tolerances, what="float64 start", allowed_fraction=0.0)


@pytest.mark.weight(2)
def test_with_random_start_matches_the_checkers_pgd(solution, tolerances):
    """The random start, then the iteration; the same seed gives the same result."""
    for seed, (start, n, epsilon, alpha, steps) in enumerate(
        [(0, 150, 0.1, 0.025, 8), (150, 100, 0.15, 0.03, 12)]
    ):
        x, y = X_TEST[start : start + n], Y_TEST[start : start + n]
        got = solution.PGD(MODEL, epsilon, alpha, steps, seed=seed)(x, y)
        what = f"seed={seed}, epsilon={epsilon}, alpha={alpha}, steps={steps}"
        check_constraints(got, x, epsilon, 0.0, 1.0, what)
        first = random_start(x, epsilon, torch.Generator().manual_seed(seed))
        expected = pgd(MODEL, x, y, epsilon, alpha, steps, start=first)
        assert_matches(got, expected, x, **tolerances, what=what)
        again = solution.PGD(MODEL, epsilon, alpha, steps, seed=seed)(x, y)
        assert torch.equal(got, again), f"{what}: two attacks with the same seed differ"
    x = X_TEST[:50]
    one = solution.PGD(MODEL, 0.1, 0.02, 0, seed=1)(x, Y_TEST[:50])
    two = solution.PGD(MODEL, 0.1, 0.02, 0, seed=2)(x, Y_TEST[:50])
    assert not torch.equal(one, two), "seeds 1 and 2 gave the same random start"


@pytest.mark.weight(2)
def test_stays_in_the_epsilon_ball_and_the_valid_range(solution, tolerances):
    """Large steps (alpha > epsilon), other ranges, x outside the range: projected and clamped."""
    x, y = X_TEST[:100], Y_TEST[:100]
    cases = [(0.05, 0.2, 5, 0.0, 1.0), (0.1, 0.5, 3, 0.25, 0.75), (0.3, 0.1, 4, -1.0, 0.5)]
    for epsilon, alpha, steps, low, high in cases:
        what = f"epsilon={epsilon}, alpha={alpha}, steps={steps}, range [{low}, {high}]"
        got = solution.PGD(
            MODEL, epsilon, alpha, steps, random_start=False, clip_min=low, clip_max=high
        )(x, y)
        expected = pgd(MODEL, x, y, epsilon, alpha, steps, clip_min=low, clip_max=high)
        assert_matches(got, expected, x, **tolerances, what=what)
        if low <= 0.0 and high >= 1.0:
            check_constraints(got, x, epsilon, low, high, what)
        else:
            assert float(got.min()) >= low and float(got.max()) <= high, f"{what}: out of range"


@pytest.mark.weight(2)
def test_the_attack_beats_fgsm_on_the_digits_model(solution):
    """On 450 held-out digits (~0.99 clean): at most 0.40 at epsilon 0.1 and 0.05 at 0.2, with
    the default random start, below what one FGSM step achieves."""
    for epsilon, alpha, ceiling in [(0.1, 0.025, 0.40), (0.2, 0.05, 0.05)]:
        got = solution.PGD(MODEL, epsilon, alpha, 10, seed=0)(X_TEST, Y_TEST)
        check_constraints(got, X_TEST, epsilon, 0.0, 1.0, f"epsilon={epsilon}")
        attacked = accuracy(MODEL, got, Y_TEST)
        fgsm = accuracy(MODEL, pgd(MODEL, X_TEST, Y_TEST, epsilon, epsilon, 1), Y_TEST)
        assert attacked <= ceiling, (
            f"epsilon={epsilon}: accuracy {attacked:.3f} after 10 steps of PGD (one FGSM step: "
            f"{fgsm:.3f}); expected at most {ceiling}"
        )


@pytest.mark.weight(1)
def test_does_not_modify_x_or_y(solution):
    """x and y are as they were after the call."""
    x, y = X_TEST[:64].clone(), Y_TEST[:64].clone()
    got, args, _ = inspect_call(solution.PGD(MODEL, 0.1, 0.03, 5, seed=0), x, y)
    check_result(got, x)
    assert_unchanged(x, args[0], what="x")
    assert_unchanged(y, args[1], what="y")


@pytest.mark.weight(1)
def test_rejects_bad_arguments_with_value_error(solution):
    """ValueError for bad epsilon, alpha, steps, range or seed, and for bad x or y."""
    bad_settings = [
        ((-0.1, 0.01, 5), {}),
        ((float("nan"), 0.01, 5), {}),
        ((float("inf"), 0.01, 5), {}),
        ((0.1, -0.01, 5), {}),
        ((0.1, float("nan"), 5), {}),
        ((0.1, 0.01, -1), {}),
        ((0.1, 0.01, 2.5), {}),
        ((0.1, 0.01, 5), {"clip_min": 1.0, "clip_max": 0.0}),
        ((0.1, 0.01, 5), {"clip_min": float("nan")}),
        ((0.1, 0.01, 5), {"seed": 1.5}),
    ]
    for args, kwargs in bad_settings:
        with pytest.raises(ValueError):
            solution.PGD(MODEL, *args, **kwargs)
    attack = solution.PGD(MODEL, 0.1, 0.01, 2, seed=0)
    x, y = X_TEST[:10], Y_TEST[:10]
    for bad_x, bad_y in [((x * 16).long(), y), (x, y.double()), (x, y.reshape(2, 5)), (x, y[:9])]:
        with pytest.raises(ValueError):
            attack(bad_x, bad_y)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_ten_steps_on_a_batch_of_256(solution, reference, speed, tolerances):
    """Speed against a batched reference: 10 steps on 256 random inputs, a wider digits MLP."""
    torch.manual_seed(0)
    model = DigitsMLP(hidden=128).eval()
    settings = (model, 0.1, 0.02, 10)
    candidate = solution.PGD(*settings, random_start=False)
    expected_attack = reference.PGD(*settings, random_start=False)

    def make_case(rng):
        generator = torch.Generator().manual_seed(int(rng.integers(2**31)))
        return speed.case(torch.rand(256, 64, generator=generator), random_labels(0, 256))

    def check(case, got, expected):
        x, y = case.args
        assert_matches(
            got, pgd(model, x, y, 0.1, 0.02, 10), x, **tolerances, what="the speed test's batch"
        )

    speed.compare(candidate, expected_attack, make_case, check)
