"""Hidden tests for fgsm: values against the checker's autograd, the clamp, the contract, the
accuracy drop on the digits model, input validation and speed."""

import pytest
import torch
from digits_model import DigitsMLP, digits_split, load_model
from fgsm_checks import accuracy, assert_fgsm, check_result, input_gradient, random_linear

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
    check_result(solution.FGSM(MODEL, 0.1)(x, y), x)
    images = x.reshape(-1, 8, 8)
    check_result(solution.FGSM(MODEL, 0.1)(images, y), images, "the result for (n, 8, 8) images")
    model64 = random_linear(0, 5, 3, torch.float64)
    x64 = torch.rand(7, 5, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    check_result(solution.FGSM(model64, 0.1)(x64, random_labels(0, 7, 3)), x64, "float64 result")


@pytest.mark.weight(3)
def test_matches_the_checkers_fgsm_on_the_digits_model(solution, tolerances):
    """clip(x + epsilon * sign(grad of the cross-entropy)) for several epsilons and batches."""
    for start, n, epsilon in [(0, 100, 0.1), (100, 37, 0.05), (200, 250, 0.3)]:
        x, y = X_TEST[start : start + n], Y_TEST[start : start + n]
        got = solution.FGSM(MODEL, epsilon)(x, y)
        assert_fgsm(
            got, x, input_gradient(MODEL, x, y), epsilon, 0.0, 1.0, **tolerances,
            what=f"test images {start}..{start + n}, epsilon={epsilon}",
        )  # fmt: skip
    images = X_TEST[:50].reshape(-1, 8, 8)
    got = solution.FGSM(MODEL, 0.2)(images, Y_TEST[:50])
    grad = input_gradient(MODEL, images, Y_TEST[:50])
    assert_fgsm(got, images, grad, 0.2, 0.0, 1.0, **tolerances, what="(n, 8, 8) images")


@pytest.mark.weight(2)
def test_uses_the_given_labels_even_when_the_model_disagrees(solution, tolerances):
    """The loss is taken against y as given (here random labels), not the model's predictions."""
    for seed in range(3):
        x = X_TEST[seed * 60 : seed * 60 + 60]
        y = random_labels(seed, 60)
        got = solution.FGSM(MODEL, 0.1)(x, y)
        assert_fgsm(
            got, x, input_gradient(MODEL, x, y), 0.1, 0.0, 1.0, **tolerances,
            what=f"random labels (seed {seed})",
        )  # fmt: skip


@pytest.mark.weight(2)
def test_a_linear_model_matches_the_closed_form_gradient_sign(solution, tolerances):
    """Softmax regression: grad_x = W^T (softmax(Wx + b) - onehot(y)), in float64 and float32."""
    for seed, dtype in [(1, torch.float64), (2, torch.float32), (3, torch.float64)]:
        generator = torch.Generator().manual_seed(seed)
        model = random_linear(seed, 12, 4, dtype)
        x = torch.rand(40, 12, generator=generator, dtype=dtype)
        y = random_labels(seed, 40, 4)
        probabilities = torch.softmax(x.double() @ model.weight.double().T + model.bias.double(), 1)
        grad = (probabilities - torch.nn.functional.one_hot(y, 4).double()) @ model.weight.double()
        got = solution.FGSM(model, 0.07)(x, y)
        assert_fgsm(got, x, grad, 0.07, 0.0, 1.0, **tolerances, what=f"linear model, {dtype}")


@pytest.mark.weight(2)
def test_clamps_every_entry_to_the_given_range(solution, tolerances):
    """clip_min and clip_max are the ones given: a narrow range, a wide one, x outside it."""
    x, y = X_TEST[:80], Y_TEST[:80]
    grad = input_gradient(MODEL, x, y)
    for low, high, epsilon in [(0.25, 0.75, 0.1), (-1.0, 2.0, 0.5), (0.0, 0.5, 0.0)]:
        got = solution.FGSM(MODEL, epsilon, clip_min=low, clip_max=high)(x, y)
        assert_fgsm(
            got, x, grad, epsilon, low, high, **tolerances,
            what=f"clip_min={low}, clip_max={high}, epsilon={epsilon}",
        )  # fmt: skip
        assert got.min() >= low and got.max() <= high, f"values outside [{low}, {high}]"


@pytest.mark.weight(1)
def test_epsilon_zero_and_an_empty_batch(solution):
    """epsilon = 0 returns x itself (clamped); an empty batch returns an empty tensor."""
    x, y = X_TEST[:30], Y_TEST[:30]
    got = check_result(solution.FGSM(MODEL, 0.0)(x, y), x, "the result for epsilon = 0")
    assert torch.equal(got, x), "epsilon = 0 must return x unchanged (it is already in [0, 1])"
    empty = X_TEST[:0]
    check_result(solution.FGSM(MODEL, 0.1)(empty, Y_TEST[:0]), empty, "the result for n = 0")


@pytest.mark.weight(2)
def test_the_attack_drops_the_digits_models_accuracy(solution):
    """On 450 held-out digits: ~0.99 clean, at most 0.60 at epsilon 0.1 and 0.25 at 0.2, far
    below random +-epsilon noise."""
    clean = accuracy(MODEL, X_TEST, Y_TEST)
    noise = torch.randint(0, 2, X_TEST.shape, generator=torch.Generator().manual_seed(0)) * 2 - 1
    for epsilon, ceiling in [(0.1, 0.60), (0.2, 0.25)]:
        adversarial = check_result(solution.FGSM(MODEL, epsilon)(X_TEST, Y_TEST), X_TEST)
        attacked = accuracy(MODEL, adversarial, Y_TEST)
        noisy = accuracy(MODEL, (X_TEST + epsilon * noise).clamp(0, 1), Y_TEST)
        assert attacked <= ceiling, (
            f"epsilon={epsilon}: accuracy {attacked:.3f} after the attack (clean {clean:.3f}, "
            f"random noise {noisy:.3f}); expected at most {ceiling}"
        )
        assert (adversarial - X_TEST).abs().max() <= epsilon + 1e-6, "moved further than epsilon"


@pytest.mark.weight(1)
def test_does_not_modify_x_or_y(solution):
    """x and y are as they were after the call; the same call twice gives the same result."""
    x, y = X_TEST[:64].clone(), Y_TEST[:64].clone()
    attack = solution.FGSM(MODEL, 0.1)
    first, args, _ = inspect_call(attack, x, y)
    assert_unchanged(x, args[0], what="x")
    assert_unchanged(y, args[1], what="y")
    second = attack(x, y)
    assert torch.equal(check_result(first, x), check_result(second, x)), "two calls differ"


@pytest.mark.weight(1)
def test_rejects_bad_arguments_with_value_error(solution):
    """ValueError for a bad epsilon or range, a non-float x, bad labels, mismatched lengths."""
    for epsilon in (-0.1, float("nan"), float("inf")):
        with pytest.raises(ValueError):
            solution.FGSM(MODEL, epsilon)
    for low, high in [(1.0, 0.0), (float("nan"), 1.0), (0.0, float("nan"))]:
        with pytest.raises(ValueError):
            solution.FGSM(MODEL, 0.1, clip_min=low, clip_max=high)
    attack = solution.FGSM(MODEL, 0.1)
    x, y = X_TEST[:10], Y_TEST[:10]
    bad_calls = [
        ((x * 16).long(), y),  # integer pixels
        (x, y.double()),  # float labels
        (x, y.reshape(2, 5)),  # 2-D labels
        (x, y[:9]),  # one label short
    ]
    for bad_x, bad_y in bad_calls:
        with pytest.raises(ValueError):
            attack(bad_x, bad_y)


@pytest.mark.speed
@pytest.mark.weight(1)
@pytest.mark.timeout(30)
def test_speed_on_a_batch_of_1024(solution, reference, speed, tolerances):
    """Speed against a batched reference: 1024 random inputs through a wider digits MLP."""
    torch.manual_seed(0)
    model = DigitsMLP(hidden=128).eval()
    candidate = solution.FGSM(model, 0.1)
    expected_attack = reference.FGSM(model, 0.1)

    def make_case(rng):
        generator = torch.Generator().manual_seed(int(rng.integers(2**31)))
        return speed.case(torch.rand(1024, 64, generator=generator), random_labels(0, 1024))

    def check(case, got, expected):
        x, y = case.args
        assert_fgsm(
            got, x, input_gradient(model, x, y), 0.1, 0.0, 1.0, **tolerances,
            what="the speed test's batch",
        )  # fmt: skip

    speed.compare(candidate, expected_attack, make_case, check)
