"""Hostile: forges result files and plants symlinks wherever it can write.

report.json / results.json / junit.xml / events with an ACCEPTED verdict, and links from every
name a grader might read or clean up to /etc/shadow, /proc/1/root and the Docker socket. The
host never reads a file the candidate could write, and never follows a link.
"""
# expect: WRONG_ANSWER
import json
import os
import sys

FORGED = json.dumps({"event": "done", "verdict": "ACCEPTED", "score": 100, "tests": []})
NAMES = ["report.json", "results.json", "junit.xml", "events.jsonl", "result", "output.json"]
LINKS = {"shadow": "/etc/shadow", "root": "/proc/1/root", "docker.sock": "/var/run/docker.sock",
         "solution.py": "/etc/passwd", "rpc.sock": "/run/tj/rpc.sock"}


def kmeans(X, k, *, max_iter=300, tol=1e-4, seed=None):
    for folder in ["/tmp", os.getcwd(), "/run/tj", "/candidate", "/"]:
        for name in NAMES:
            try:
                with open(os.path.join(folder, name), "w") as f:
                    f.write(FORGED)
            except OSError:
                pass
        for name, target in LINKS.items():
            try:
                os.symlink(target, os.path.join(folder, name))
            except OSError:
                pass
    # The checker's events travel on the checker's stdout; this is the candidate's own.
    print(FORGED)
    sys.stdout.flush()
    try:
        with open("/proc/1/fd/1", "w") as f:  # init's stdout: the container log
            f.write(FORGED + "\n")
    except OSError:
        pass
    return None, None
