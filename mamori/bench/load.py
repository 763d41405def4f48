"""`make bench` (load): the dev server and the production server under logged-in load, on loopback.

    python -m mamori.bench.load [--seconds 15] [--clients 10 50] [--think-ms 0]

Builds the demo city in a fresh SQLite database (var/bench-load.sqlite3), starts `mamori runserver`
(the development server `make demo` uses) and `mamori serve` (gunicorn, production settings, as behind
nginx: the client sends X-Forwarded-Proto: https) — with the page cache (core.pagecache, the default)
and without it, so the pages' own cost shows too — one after the other, and drives each with N clients at
once. Every client logs in as one of four roles (個人情報保護担当, 所管課担当, 所管課長, 監査) and requests,
in turn, the register list, a program page, the 届出 list and the requests dashboard, as fast as the
server answers (think time 0: a closed loop, the hardest case) for a bounded time. Reports requests per
second, p50/p95/p99 and errors per server and client count, and the production/dev ratio; the figures go
to stdout and var/bench-load.json. Traffic goes to 127.0.0.1 only, and every run stops by itself.
"""
import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MAMORI = Path(sys.executable).parent / "mamori"
ROLES = {"hogo": "個人情報保護担当", "tanto": "所管課担当", "kacho": "所管課長", "kansa": "監査"}
PASSWORD = "mamori-demo-pass"
TARGET_P95_MS = 500


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One person's browser: a keep-alive connection, the session and CSRF cookies."""

    def __init__(self, port: int, https_behind_proxy: bool):
        self.port, self.cookies = port, {}
        self.headers = {"X-Forwarded-Proto": "https"} if https_behind_proxy else {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: str | None = None, extra: dict | None = None) -> tuple[int, str, bytes]:
        headers = {**self.headers, **(extra or {}), "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, response.getheader("Location") or "", data

    def login(self, username: str) -> None:
        status, _, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token})
        status, location, _ = self.request("POST", "/login/", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                                      "Referer": f"https://127.0.0.1:{self.port}/login/"})
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"login as {username} failed: {status} {location}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1)]


def drive(port: int, https_behind_proxy: bool, clients: int, seconds: float, think_ms: int, paths: dict) -> dict:
    """``clients`` threads, each logged in as a role, requesting its pages until time runs out."""
    users = list(ROLES)
    latencies: list[float] = []
    per_page: dict[str, list[float]] = {name: [] for name in next(iter(paths.values()))}
    errors: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    stop = time.monotonic() + seconds + 60  # set properly once everyone is logged in

    def person(i: int) -> None:
        nonlocal stop
        username = users[i % len(users)]
        client = Client(port, https_behind_proxy)
        try:
            client.login(username)
        except Exception as exc:  # noqa: BLE001 - counted as an error, the run goes on
            with lock:
                errors.append(f"login {username}: {exc}")
        ready.wait()
        rng = random.Random(i)
        pages = list(paths[username].items())
        while time.monotonic() < stop:
            name, path = pages[rng.randrange(len(pages))]
            start = time.perf_counter()
            try:
                status, _, _ = client.request("GET", path)
            except Exception as exc:  # noqa: BLE001
                status = f"{type(exc).__name__}"
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                if status == 200:
                    latencies.append(elapsed)
                    per_page[name].append(elapsed)
                else:
                    errors.append(f"{name}: {status}")
            if think_ms:
                time.sleep(think_ms / 1000)

    threads = [threading.Thread(target=person, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    ready.wait()
    begin = time.monotonic()
    stop = begin + seconds
    for t in threads:
        t.join(seconds + 40)
    duration = time.monotonic() - begin
    return {
        "clients": clients, "seconds": round(duration, 1), "requests": len(latencies), "errors": len(errors),
        "error_samples": errors[:5], "req_per_s": round(len(latencies) / duration, 1),
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": round(percentile(latencies, 95), 1), "p99_ms": round(percentile(latencies, 99), 1),
        "p95_by_page_ms": {name: round(percentile(v, 95), 1) for name, v in per_page.items()},
    }


def wait_for(port: int, process: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped (exit {process.returncode})")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not start")


def page_paths(env: dict) -> dict:
    """Each role's four pages; the program page is one its role may see."""
    script = (
        "import django, json; django.setup()\n"
        "from mamori.core.models import User\nfrom mamori.register.selectors import programs_visible\n"
        "out = {}\n"
        "for name in %r:\n"
        "    u = User.objects.get(username=name)\n"
        "    p = programs_visible(u).order_by('code').first()\n"
        "    out[name] = {'register list': '/register/', 'program page': f'/register/programs/{p.code}/',\n"
        "                 '届出 list': '/register/notifications/', 'requests dashboard': '/requests/'}\n"
        "print(json.dumps(out))\n"
    ) % (list(ROLES),)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                         capture_output=True, text=True, check=True, timeout=120).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=15, help="each run's length (bounded: at most 50)")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--think-ms", type=int, default=0, help="pause between a client's requests (0: closed loop)")
    args = parser.parse_args()
    seconds = min(args.seconds, 50)  # each run, log-ins included, stays under 60 s
    db = ROOT / "var" / "bench-load.sqlite3"
    db.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    base = {k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    base.update({"DATABASE_URL": f"sqlite:///{db}", "MAMORI_LOG_LEVEL": "ERROR"})
    for command in (["migrate", "--no-input"], ["load-demo"]):
        subprocess.run([str(MAMORI), *command], cwd=ROOT, env=base, check=True, capture_output=True, timeout=600)
    paths = page_paths(base)
    results = {}
    for server in ("dev", "production", "production-nocache"):
        port = free_port()
        if server == "dev":
            env = {**base, "MAMORI_DEBUG": "true"}
            command = [str(MAMORI), "runserver", f"127.0.0.1:{port}", "--noreload"]
        else:
            env = {**base, "MAMORI_DEBUG": "false", "MAMORI_SECRET_KEY": secrets.token_urlsafe(64), "MAMORI_ALLOWED_HOSTS": "127.0.0.1",
                   "MAMORI_CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}", "MAMORI_BIND": f"127.0.0.1:{port}",
                   "MAMORI_PAGE_CACHE": "false" if server.endswith("nocache") else "true"}
            command = [str(MAMORI), "serve"]
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port, process)
            results[server] = [drive(port, server.startswith("production"), n, seconds, args.think_ms, paths) for n in args.clients]
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
    print(f"\n== load on 127.0.0.1 ({os.cpu_count()} cores, SQLite demo city, think time {args.think_ms} ms, {seconds:.0f} s a run)")
    print(f"{'server':<19} {'clients':>7} {'req/s':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for server, runs in results.items():
        for r in runs:
            flag = "" if server != "production" or r["clients"] < 50 or (r["p95_ms"] < TARGET_P95_MS and not r["errors"]) else "  <-- over the target"
            print(f"{server:<19} {r['clients']:>7} {r['req_per_s']:>7} {r['p50_ms']:>8} {r['p95_ms']:>8} {r['p99_ms']:>8} {r['errors']:>7}{flag}")
    ratios = {}
    for dev, prod in zip(results["dev"], results["production"]):
        ratios[str(dev["clients"])] = {"req_per_s": round(prod["req_per_s"] / dev["req_per_s"], 2) if dev["req_per_s"] else None,
                                       "p95": round(prod["p95_ms"] / dev["p95_ms"], 2) if dev["p95_ms"] else None}
        print(f"production/dev at {dev['clients']} clients: {ratios[str(dev['clients'])]['req_per_s']}× the requests, "
              f"{ratios[str(dev['clients'])]['p95']}× the p95")
    for server, runs in results.items():
        for r in runs:
            print(f"  {server} {r['clients']} clients, p95 by page: {r['p95_by_page_ms']}")
    (ROOT / "var" / "bench-load.json").write_text(json.dumps({"results": results, "ratio": ratios, "think_ms": args.think_ms},
                                                            ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
