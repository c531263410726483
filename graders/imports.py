"""Static check of the candidate's imports against an exercise's banned list.

The worker also refuses banned imports at run time (`graders.worker`), but in-process rules can
be undone by the code they constrain; this reads the source as data in the checker and names the
line, so the candidate sees a clear failed test rather than a puzzling one.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence

_DYNAMIC_IMPORTERS = {"__import__", "import_module"}


def banned_by(module: str, banned: Sequence[str]) -> str | None:
    """The entry of `banned` that forbids importing `module` (itself or a parent), or None."""
    for name in banned:
        if module == name or module.startswith(name + "."):
            return name
    return None


def find_banned_imports(source: str, banned: Sequence[str]) -> list[str]:
    """One line per banned import in `source` (e.g. "line 3: imports sklearn.cluster").

    Sees `import x`, `from x import y`, `from x.y import z` (including `from sklearn import
    cluster`), `__import__("x")` and `importlib.import_module("x")` with a literal name.
    Raises SyntaxError when the source does not parse.
    """
    tree = ast.parse(source, filename="solution.py")
    found: list[str] = []

    def report(node: ast.AST, module: str) -> None:
        if banned_by(module, banned):
            found.append(f"line {getattr(node, 'lineno', '?')}: imports {module}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                report(node, alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            report(node, node.module)
            for alias in node.names:  # `from sklearn import cluster` imports sklearn.cluster
                if not banned_by(node.module, banned):
                    report(node, f"{node.module}.{alias.name}")
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else (func.attr if isinstance(func, ast.Attribute) else None)
            )
            first = node.args[0]
            if (
                name in _DYNAMIC_IMPORTERS
                and isinstance(first, ast.Constant)
                and isinstance(first.value, str)
            ):
                report(node, first.value)
    return found
