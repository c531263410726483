"""Hostile: writes conftest.py, pytest.ini, tox.ini, setup.cfg and pyproject.toml everywhere.

The conftest forces every report to 'passed'; the ini files add it as a plugin. They would work
only if pytest ever ran on a directory the candidate can write. Returns garbage.
"""
# expect: WRONG_ANSWER
import os

CONFTEST = '''
import pytest

@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    report.outcome = "passed"
    report.longrepr = None
    return report
'''
INI = "[pytest]\naddopts = -p conftest\n"
TARGETS = ["/tmp", os.getcwd(), "/exercise", "/exercise/tests", "/exercise/tests/hidden",
           "/candidate", "/run/tj", "/"]


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    for folder in TARGETS:
        for name, text in [("conftest.py", CONFTEST), ("pytest.ini", INI), ("tox.ini", INI),
                           ("setup.cfg", INI), ("pyproject.toml", "[tool.pytest.ini_options]\n")]:
            try:
                with open(os.path.join(folder, name), "w") as f:
                    f.write(text)
            except OSError:
                pass
    os.environ["PYTEST_ADDOPTS"] = "-p conftest"
    os.environ["PYTEST_PLUGINS"] = "conftest"
    return None, None
