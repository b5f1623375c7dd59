#!/usr/bin/python3
"""Performance of the Python client (`npm run bench -w clients/python`, also run by the root
`npm run bench`).

Against a real exporter started here on a loopback port, it prints:

- the latency one ``log_prediction`` call adds on the caller's thread (p50 / p99 / mean), with
  its ratio to a baseline in the same run: ``queue.Queue.put_nowait`` of the same dict, the
  least a hand-off to another thread costs in the standard library;
- the throughput of one process (events sent per second, from the first log call until
  ``flush`` returns), with its ratio to a baseline: the same events, pre-serialised, POSTed
  in the same batch size with bare ``urllib`` on one thread (no conversion, no queue).

Run with Debian's /usr/bin/python3 after ``npm run build`` (it needs exporter/dist).
"""

from __future__ import annotations

import json
import os
import queue
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
import modelwatch  # noqa: E402

MAIN_JS = ROOT.parents[1] / "exporter" / "dist" / "cli" / "main.js"
TOKEN = "bench-python-client-token-0123456789"
EVENTS = int(os.environ.get("BENCH_EVENTS", "50000"))
BATCH = 500
FEATURES = [f"f{i}" for i in range(10)]


def start_exporter():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data_dir = tempfile.mkdtemp(prefix="modelwatch-pybench-")
    env = dict(
        os.environ,
        MODELWATCH_PORT=str(port),
        MODELWATCH_HOST="127.0.0.1",
        MODELWATCH_DATA_DIR=data_dir,
        MODELWATCH_ADMIN_TOKEN=TOKEN,
        MODELWATCH_LOG_LEVEL="warn",
    )
    proc = subprocess.Popen(["node", str(MAIN_JS), "serve"], env=env, stdout=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2):
                return proc, url, data_dir
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("exporter did not start")


def rows(n: int, seed: int):
    rng = random.Random(seed)
    return [({f: rng.gauss(0, 1) for f in FEATURES}, rng.random()) for _ in range(n)]


def caller_latency(url: str) -> None:
    data = rows(EVENTS, 1)
    base_q: queue.Queue = queue.Queue()
    baseline = []
    for features, score in data:
        t0 = time.perf_counter_ns()
        base_q.put_nowait({"features": features, "prediction": int(score > 0.5), "score": score})
        baseline.append(time.perf_counter_ns() - t0)
    monitor = modelwatch.Monitor("bench_latency", "v1", url=url, token=TOKEN, batch_size=BATCH, max_queue=EVENTS * 2, atexit_timeout=None)
    costs = []
    for features, score in data:
        t0 = time.perf_counter_ns()
        monitor.log_prediction(features, int(score > 0.5), score=score, latency_ms=3.0)
        costs.append(time.perf_counter_ns() - t0)
    monitor.close(timeout=120)
    costs.sort()
    p50, p99, mean = costs[len(costs) // 2] / 1e3, costs[int(len(costs) * 0.99)] / 1e3, statistics.fmean(costs) / 1e3
    p999, worst = costs[int(len(costs) * 0.999)] / 1e3, costs[-1] / 1e3
    base = statistics.median(baseline) / 1e3
    print(f"python client: added latency per log_prediction (10 features), {EVENTS} events: p50 {p50:.1f} µs, p99 {p99:.1f} µs, mean {mean:.1f} µs")
    # the tail is the GIL: while the sender thread serialises a batch, the caller may wait for it
    print(f"  tail: p99.9 {p999:.0f} µs, max {worst:.0f} µs")
    print(f"  baseline queue.Queue.put_nowait p50 {base:.2f} µs; ratio p50/baseline {p50 / base:.1f}x; counters {monitor.counters}")


def throughput(url: str) -> None:
    data = rows(EVENTS, 2)
    monitor = modelwatch.Monitor("bench_throughput", "v1", url=url, token=TOKEN, batch_size=BATCH, max_queue=EVENTS * 2, atexit_timeout=None)
    start = time.perf_counter()
    for i, (features, score) in enumerate(data):
        monitor.log_prediction(features, int(score > 0.5), id=i, score=score, latency_ms=3.0)
    caller = time.perf_counter() - start
    monitor.flush(timeout=300)
    elapsed = time.perf_counter() - start
    sent = monitor.counters.sent
    monitor.close()

    # baseline: the same events, serialised ahead of time, POSTed synchronously
    now = time.time()
    bodies = []
    for b in range(0, EVENTS, BATCH):
        events = [
            {"id": i, "timestamp": now, "features": f, "prediction": int(s > 0.5), "score": s, "latency_ms": 3.0}
            for i, (f, s) in enumerate(data[b : b + BATCH], start=b)
        ]
        bodies.append(json.dumps({"model": "bench_baseline", "version": "v1", "events": events}).encode())
    headers = {"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"}
    t0 = time.perf_counter()
    for body in bodies:
        with urllib.request.urlopen(urllib.request.Request(f"{url}/api/v1/predictions", data=body, headers=headers, method="POST"), timeout=60) as res:
            res.read()
    base = EVENTS / (time.perf_counter() - t0)
    rate = sent / elapsed
    print(f"python client: throughput of one process, batches of {BATCH}: {rate:,.0f} events/s sent ({sent} in {elapsed:.2f} s; caller busy {caller:.2f} s)")
    print(f"  baseline bare urllib POSTs of pre-serialised batches {base:,.0f} events/s; ratio {rate / base:.2f}x")


def main() -> None:
    if not MAIN_JS.exists():
        raise SystemExit(f"{MAIN_JS} is missing: run `npm run build` first")
    proc, url, data_dir = start_exporter()
    try:
        caller_latency(url)
        throughput(url)
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
