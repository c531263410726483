"""deploy/local/run.py (`make run`): from nothing to a working API, a working demo
invitation link and a demo organization whose owner can sign in, and Ctrl-C stops it all."""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode
from urllib.request import HTTPCookieProcessor, Request, build_opener, urlopen

import docker

from sandbox.containers import LABEL_JOB

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "platform"))
import stack  # noqa: E402


def descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        fields = text[text.rfind(")") + 2 :].split()
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, stack_ = set(), [pid]
    while stack_:
        for child in children.get(stack_.pop(), []):
            found.add(child)
            stack_.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def api(base: str, token: str, path: str, body: dict | None = None) -> dict:
    data = json.dumps(body).encode() if body is not None else None
    request = Request(
        f"{base}{path}",
        data=data,
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
    )
    with urlopen(request, timeout=30) as response:
        return json.load(response)


def test_run_starts_everything_serves_the_api_grades_and_stops_everything(tmp_path):
    port, redis_port = stack.free_port(), stack.free_port()
    env = {
        **os.environ,
        "TJ_VAR_DIR": str(tmp_path),
        "TJ_PORT": str(port),
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    env.pop("DJANGO_SECRET_KEY", None)
    log = (tmp_path / "run.log").open("w+")
    runner = subprocess.Popen(
        [sys.executable, str(ROOT / "deploy" / "local" / "run.py")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:

        def ready():
            assert runner.poll() is None, (tmp_path / "run.log").read_text()[-3000:]
            return "READY" in (tmp_path / "run.log").read_text()

        stack.wait_until(ready, timeout_s=120, what="run.py to be ready")
        output = (tmp_path / "run.log").read_text()
        token = re.search(r"demo token\s+(\w+)", output).group(1)
        base = f"http://127.0.0.1:{port}"
        assert f"{base}/api/docs/" in output
        exercises = api(base, token, "/api/v1/exercises")
        assert {"kmeans", "backprop"} <= {e["slug"] for e in exercises["results"]}
        # The warm pool is on: it prepares a set for kmeans (TJ_POOL_WARM), and the job takes it.
        assert "warm pool: up to 2 sets" in output
        stack.wait_until(
            lambda: any((tmp_path / "pool" / "ready").glob("*.*")),
            timeout_s=120,
            what="a warm sandbox set",
        )
        code = (ROOT / "exercises" / "kmeans" / "solution.py").read_text()
        created = api(base, token, "/api/v1/submissions", {"exercise": "kmeans", "code": code})
        graded = stack.wait_until(
            lambda: (
                (d := api(base, token, f"/api/v1/submissions/{created['id']}"))["status"]
                in ("GRADED", "FAILED")
                and d
            ),
            timeout_s=180,
            what="the submission to be graded",
        )
        assert graded["verdict"] == "ACCEPTED"
        with sqlite3.connect(tmp_path / "db.sqlite3") as db:
            [(report,)] = db.execute(
                "SELECT report FROM submissions_submission WHERE id = ?",
                (created["id"].replace("-", ""),),
            ).fetchall()
        assert json.loads(report)["timings"]["warm_set"] == 1.0
        # The pool makes another set; at stop it must go with everything else.
        refilled = stack.wait_until(
            lambda: [p.name.split(".")[1] for p in (tmp_path / "pool" / "ready").glob("*.*")],
            timeout_s=120,
            what="the pool to make another set",
        )
        # The demo invitation link works: it leads to the intro, whose script and style are served.
        link = re.search(r"candidate\s+(http://\S+/a/\S+)", output).group(1)
        browser = build_opener(HTTPCookieProcessor())  # the attempt lives in the session
        with browser.open(link, timeout=30) as response:
            assert response.url == f"{base}/attempt/"
            intro = response.read().decode()
        assert "Start the assessment" in intro
        assets = re.findall(r'(?:src|href)="(/static/web/build/ide\.(?:js|css))"', intro)
        assert len(assets) == 2, intro
        for asset in assets:
            with urlopen(f"{base}{asset}", timeout=30) as response:
                assert response.status == 200 and len(response.read()) > 10_000
        # The demo organization's owner signs in with the printed credentials.
        demo = re.search(r"Sign in at (\S+) as (\S+) with password (\S+)", output)
        assert demo and demo.group(1) == f"{base}/accounts/login/", output
        interviewer = build_opener(HTTPCookieProcessor())
        with interviewer.open(demo.group(1), timeout=30) as response:
            csrf = re.search(
                r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode()
            )
        form = {"csrfmiddlewaretoken": csrf.group(1), "username": demo[2], "password": demo[3]}
        with interviewer.open(demo.group(1), urlencode(form).encode(), timeout=30) as response:
            assert response.url == f"{base}/app/" and "Demo Company" in response.read().decode()
        started = descendants(runner.pid)
        assert len(started) >= 4  # redis, worker, beat, web (and their children)
        assert stack.answers(redis_port)
    finally:
        runner.send_signal(signal.SIGINT)  # what Ctrl-C does
        runner.wait(timeout=60)
    time.sleep(0.5)
    assert [pid for pid in started if alive(pid)] == []
    # The pool's sets went with it: no container of them is left.
    engine = docker.from_env()
    for set_id in refilled:
        assert engine.containers.list(all=True, filters={"label": f"{LABEL_JOB}={set_id}"}) == []
    assert list((tmp_path / "pool" / "ready").iterdir()) == []
    assert not stack.answers(port) and not stack.answers(redis_port)
    assert runner.returncode == 0
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
