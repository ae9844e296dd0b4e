#!/usr/bin/env python3
"""Starts the Descent Java kernel N times and reports how long each took to answer kernel_info.

Usage (after ./descent setup):  JUPYTER_PATH=target/jupyter /usr/bin/python3 tools/probes/kernel_start_probe.py 30

A start that does not answer in 30 s is reported as HUNG and its thread dump written to
target/kernel-start-probe/jstack-N.txt. With DESCENT_KERNEL_TRACE set the kernel prints a line when it had to
restart a channel thread that ended at start-up (see descent.kernel.KernelMain); the probe counts those.
"""
import os
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
out = Path("target/kernel-start-probe")
out.mkdir(parents=True, exist_ok=True)
os.environ["DESCENT_KERNEL_TRACE"] = "1"
hung = repaired = 0
for i in range(n):
    err_path = out / f"stderr-{i}.txt"
    with open(err_path, "w") as err:
        km = KernelManager(kernel_name="java")
        t = time.monotonic()
        km.start_kernel(stderr=err)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=30)
            status = f"ready in {time.monotonic() - t:.1f} s"
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
print(f"{n} starts: {hung} hung, {repaired} needed a channel thread restarted")
sys.exit(1 if hung else 0)
