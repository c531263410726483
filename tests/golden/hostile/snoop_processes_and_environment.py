"""Hostile: reads every process's command line and environment, and its own, for secrets.

The checker's command line carries the job spec; the platform's environment carries keys. None
of those processes is in this PID namespace, and this environment holds only runtime settings.
Anything found is raised as an error (which would surface as RUNTIME_ERROR, not WRONG_ANSWER).
"""
# expect: WRONG_ANSWER
import os

SECRETS = ("--spec", "graders.checker", "SECRET", "PASSWORD", "TOKEN", "DATABASE_URL", "REDIS",
           "DJANGO", "/exercise/tests", "hidden")


def snoop():
    found = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        for name in ("cmdline", "environ"):
            try:
                with open(f"/proc/{pid}/{name}", "rb") as f:
                    text = f.read().decode(errors="replace")
            except OSError:
                continue
            found += [f"{pid}/{name}: {word}" for word in SECRETS if word in text]
    found += [f"env {key}" for key in os.environ if any(w in key for w in SECRETS)]
    return found


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    found = snoop()
    if found:
        raise RuntimeError(f"found secrets: {found}")
    return None, None
