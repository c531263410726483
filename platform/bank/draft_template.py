"""The package a new exercise starts from: small, complete and sound (it passes the gate as it
is), so that an author changes a working example instead of writing the format from memory."""

from __future__ import annotations

import json

_TOML = """\
slug = {slug}
title = {title}
difficulty = "easy"
tags = []

[limits]                        # per job; see exercises/README.md
wall_time_s = 60
call_timeout_s = 5
memory_mb = 512
cpus = 1
pids = 64
output_kb = 256
tmpfs_mb = 16
gpu = "none"                    # none | optional | required

[runtime]
preload = ["numpy"]

[imports]
banned = []

[scoring]
correctness = 100

[tolerances]
rtol = 1e-12
atol = 0
"""

_STATEMENT = """\
# {title}

Implement `double(x)`: it returns $2x$ for a number or, element by element, for a numpy array.

- `x` is not modified.

```python
double(3)                      # 6
double(np.array([1.0, -2.5]))  # array([ 2., -5.])
```
"""

_STARTER = '''\
import numpy as np


def double(x):
    """Return 2 * x for a number or a numpy array, without modifying x."""
    raise NotImplementedError
'''

_SOLUTION = '''\
import numpy as np


def double(x):
    """Return 2 * x for a number or a numpy array, without modifying x."""
    return x * 2
'''

_PUBLIC = '''\
"""Public tests: the candidate runs them with "Run" and sees their messages."""


def test_doubles_a_number(solution):
    """double(3) is 6."""
    assert solution.double(3) == 6, "double(3) should be 6"
'''

_HIDDEN = '''\
"""Hidden tests: they score a submission; a candidate sees only their names and docstrings."""

import numpy as np

from graders.checks import assert_close, assert_unchanged
from graders.remote import inspect_call


def test_doubles_a_number(solution):
    """A number is doubled."""
    assert solution.double(3) == 6


def test_doubles_an_array_element_by_element(solution, tolerances):
    """An array is doubled element by element."""
    x = np.array([1.0, -2.5, 4.0])
    rtol, atol = tolerances["rtol"], tolerances["atol"]
    assert_close(solution.double(x), 2 * x, rtol=rtol, atol=atol, what="double(x)")


def test_does_not_modify_its_input(solution):
    """The input array is left as it was."""
    x = np.array([1.0, 2.0, 3.0])
    _, args_after, _ = inspect_call(solution.double, x)
    assert_unchanged(x, args_after[0], what="x")
'''

_MUTANTS = {
    "adds_two": "def double(x):\n    return x + 2\n",
    "squares": "def double(x):\n    return x * x\n",
    "returns_its_input": "def double(x):\n    return x\n",
    "doubles_in_place": "def double(x):\n    x *= 2\n    return x\n",
}


def starter_package(*, slug: str, title: str) -> dict[str, str]:
    """The files of a new exercise named `slug` and `title` (a title without control
    characters: JSON's escapes of those are TOML's too)."""
    files = {
        "exercise.toml": _TOML.format(
            slug=json.dumps(slug), title=json.dumps(title, ensure_ascii=False)
        ),
        "statement.md": _STATEMENT.format(title=title),
        "starter.py": _STARTER,
        "solution.py": _SOLUTION,
        "tests/public/test_public.py": _PUBLIC,
        "tests/hidden/test_hidden.py": _HIDDEN,
    }
    files.update({f"mutants/{name}.py": code for name, code in _MUTANTS.items()})
    return files
