"""Launch → first screen, Yunwei against a hello-world Tauri app of the same Tauri version.

Each app is started, paints its first screen and quits by itself (Yunwei when the incident list
has painted its rows and YUNWEI_BENCH_EXIT_ON_FIRST_SCREEN is set; hello when its text has been
painted); a launch's time is the whole process's, start to exit. Runs alternate between the apps
so a slower moment of the machine falls on both. Memory is measured in separate runs: the sum
of the resident sets of the app and every process it started (the WebKit web and network
processes), sampled every 20 ms, its peak. For Yunwei the page's marks (ui/src/firstScreen.ts)
say where the time goes: the shell's start until the page begins to load, then each mark.

usage: first-screen.py RUNS NAME=COMMAND[,DATA_DIR] ...
"""
import json
import os
import statistics
import subprocess
import sys
import time


def descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        todo.extend(children.get(p, []))
    return found


def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def launch(command, env, sample):
    """(seconds to exit, peak KiB when sampled, {mark: ms since launch} when the page told)."""
    epoch_ms = time.time() * 1000
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    while True:
        try:
            proc.wait(timeout=0.02 if sample else 60)
            break
        except subprocess.TimeoutExpired:
            if not sample:
                proc.kill()
                sys.exit(f"{command[0]} did not quit after its first screen within 60 s")
            peak = max(peak, sum(rss_kib(p) for p in descendants(proc.pid)))
            if time.perf_counter() - start > 60:
                proc.kill()
                sys.exit(f"{command[0]} did not quit after its first screen within 60 s")
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{command[0]} exited with {proc.returncode}")
    marks = {}
    for line in proc.stderr.read().splitlines():
        if line.startswith("first screen: "):
            report = json.loads(line[len("first screen: "):])
            origin = report["origin"] - epoch_ms
            marks = {"page starts loading": origin}
            marks.update((name, origin + at) for name, at in report["marks"])
            marks["painted"] = origin + report["painted"]
    return elapsed, peak, marks


def main():
    runs = int(sys.argv[1])
    apps = []
    for spec in sys.argv[2:]:
        name, rest = spec.split("=", 1)
        command, _, data_dir = rest.partition(",")
        env = dict(os.environ, YUNWEI_BENCH_EXIT_ON_FIRST_SCREEN="1")
        if data_dir:
            env["YUNWEI_DATA_DIR"] = data_dir
        apps.append((name, [command], env))
    for name, command, env in apps:  # one untimed launch each: the page cache warm for all
        launch(command, env, False)
    times = {name: [] for name, _, _ in apps}
    peaks = {name: [] for name, _, _ in apps}
    marks = {name: [] for name, _, _ in apps}
    for _ in range(runs):
        for name, command, env in apps:
            elapsed, _, seen = launch(command, env, False)
            times[name].append(elapsed)
            if seen:
                marks[name].append(seen)
    for _ in range(max(3, runs // 3)):
        for name, command, env in apps:
            peaks[name].append(launch(command, env, True)[1])
    base = apps[0][0]
    t0, m0 = statistics.median(times[base]), statistics.median(peaks[base])
    print(f"{'':24} {'launch → first screen':>24} {'ratio':>6} {'peak memory (sum)':>20} {'ratio':>6}")
    for name, _, _ in apps:
        t, m = statistics.median(times[name]), statistics.median(peaks[name])
        print(f"{name:24} {t * 1000:18.0f} ms ({min(times[name]) * 1000:.0f}–{max(times[name]) * 1000:.0f})"
              f" {t / t0:5.2f}× {m / 1024:17.0f} MB {m / m0:5.2f}×")
    for name, _, _ in apps:
        if marks[name]:
            print(f"\n{name}: ms after launch (medians)")
            for mark in marks[name][0]:
                print(f"  {mark:24} {statistics.median(m[mark] for m in marks[name]):6.0f}")


main()
