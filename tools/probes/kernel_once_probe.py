#!/usr/bin/env python3
"""Starts the Descent Java kernel N times, sends ONE kernel_info_request on the shell channel right away (as the
Notebook and Lab servers do, before the kernel has bound its sockets) and waits for its reply without re-sending.

Usage (after ./descent setup):  JUPYTER_PATH=target/jupyter /usr/bin/python3 tools/probes/kernel_once_probe.py 30

A start whose single request is not answered in 30 s is reported as HUNG, with the kernel's thread dump written to
target/kernel-start-probe/once-jstack-N.txt. jupyter_client's wait_for_ready re-sends kernel_info every second,
which hides a dropped request; this probe does not.
"""
import subprocess
import sys
import time
from pathlib import Path

from jupyter_client.manager import KernelManager

n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
out = Path("target/kernel-start-probe")
out.mkdir(parents=True, exist_ok=True)
hung, times = 0, []
for i in range(n):
    with open(out / f"once-stderr-{i}.txt", "w") as err:
        km = KernelManager(kernel_name="java")
        t = time.monotonic()
        km.start_kernel(stderr=err)
        kc = km.client()
        kc.start_channels()
        msg_id = kc.kernel_info()
        reply = None
        while time.monotonic() - t < 30:
            try:
                m = kc.get_shell_msg(timeout=0.5)
            except Exception:
                continue
            if m["parent_header"].get("msg_id") == msg_id:
                reply = m
                break
        if reply is None:
            hung += 1
            status = f"HUNG: no kernel_info_reply in {time.monotonic() - t:.1f} s"
            if km.is_alive():
                with open(out / f"once-jstack-{i}.txt", "w") as dump:
                    subprocess.run(["jstack", str(km.provisioner.pid)], stdout=dump)
        else:
            times.append(time.monotonic() - t)
            status = f"answered in {times[-1]:.2f} s"
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    print(f"start {i + 1:2d}: {status}", flush=True)
times.sort()
if times:
    print(f"answered: min {times[0]:.2f} s, median {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s")
print(f"{n} starts: {hung} hung")
sys.exit(1 if hung else 0)
