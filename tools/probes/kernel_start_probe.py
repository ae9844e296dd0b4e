#!/usr/bin/env python3
"""Starts the Descent Java kernel N times and reports how long each took to answer kernel_info.

Usage (after ./descent setup):  JUPYTER_PATH=target/jupyter /usr/bin/python3 tools/probes/kernel_start_probe.py 30 [--once]

By default it waits as jupyter_client's wait_for_ready does, re-sending kernel_info every second. With --once it
sends ONE kernel_info_request on the shell channel right away (as the Notebook and Lab servers do, before the kernel
has bound its sockets) and never re-sends it: a dropped request then shows as a hang instead of being hidden.

A start that does not answer in 30 s is reported as HUNG and its thread dump written to
target/kernel-start-probe/jstack-N.txt. With DESCENT_KERNEL_TRACE set the kernel prints a line when it had to
restart a channel thread that ended at start-up (see descent.kernel.KernelMain); the probe counts those.
"""
import os
import queue
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

TIMEOUT = 30


def wait_once(kc, t0):
    """Sends one kernel_info_request and waits for its reply without re-sending; raises RuntimeError on time-out."""
    msg_id = kc.kernel_info()
    while time.monotonic() - t0 < TIMEOUT:
        try:
            reply = kc.get_shell_msg(timeout=0.5)
        except queue.Empty:
            continue
        if reply["parent_header"].get("msg_id") == msg_id:
            return
    raise RuntimeError(f"no kernel_info_reply to a single request in {TIMEOUT} s")


args = [a for a in sys.argv[1:] if a != "--once"]
once = "--once" in sys.argv[1:]
n = int(args[0]) if args else 20
out = Path("target/kernel-start-probe")
out.mkdir(parents=True, exist_ok=True)
os.environ["DESCENT_KERNEL_TRACE"] = "1"
hung = repaired = 0
times = []
for i in range(n):
    err_path = out / f"stderr-{i}.txt"
    with open(err_path, "w") as err:
        km = KernelManager(kernel_name="java")
        t = time.monotonic()
        km.start_kernel(stderr=err)
        kc = km.client()
        kc.start_channels()
        try:
            if once:
                wait_once(kc, t)
            else:
                kc.wait_for_ready(timeout=TIMEOUT)
            times.append(time.monotonic() - t)
            status = f"ready in {times[-1]:.1f} s"
        except RuntimeError as e:
            hung += 1
            status = f"HUNG after {time.monotonic() - t:.1f} s ({e})"
            if km.is_alive():
                with open(out / f"jstack-{i}.txt", "w") as dump:
                    subprocess.run(["jstack", str(km.provisioner.pid)], stdout=dump)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        del kc, km
    trace = err_path.read_text()
    if "restarted channel threads" in trace:
        repaired += 1
        status += "  [" + trace.split("start-up: ")[1].strip() + "]"
    print(f"start {i + 1:2d}: {status}", flush=True)
if times:
    times.sort()
    print(f"answered: min {times[0]:.2f} s, median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s")
print(f"{n} starts: {hung} hung, {repaired} needed a channel thread restarted")
sys.exit(1 if hung else 0)
