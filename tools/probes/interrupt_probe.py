"""Probe how the Java kernel handles Jupyter's interrupt (the stop button), through the real kernel.

    JUPYTER_PATH=target/jupyter /usr/bin/python3 tools/probes/interrupt_probe.py

With --check, exit 1 unless every named case stopped, returned to idle, and the next cell's output arrived.

For each case: run a cell, send interrupt_request after 3 s (the stop button; with the Descent kernelspec's message
mode, jupyter_client sends it on the control channel, no signal), and once more at 5 s if the cell is still running
(a second press, which force-stops it); then record whether the cell's execute_reply came, its status, what the cell
printed, how many presses it took, and whether the NEXT cell runs and its System.out line arrives.
"""
import queue
import sys
import time

from jupyter_client.manager import KernelManager

CASES = {
    "busy loop": "long n = 0; while (true) { n++; }",
    "Thread.sleep loop": "for (int i = 0; i < 600; i++) { Thread.sleep(100); }",
    "ND4J matmul loop": ("var a = org.nd4j.linalg.factory.Nd4j.rand(300, 300);\n"
                         "for (int i = 0; i < 100000; i++) { a = a.mmul(a).div(a.norm2Number().doubleValue()); }"),
    "loop checking descent.Interrupts": (
        "descent.Interrupts.clear();\n"
        "int batch = 0;\n"
        "while (!descent.Interrupts.requested()) { long e = System.nanoTime() + 50_000_000L; while (System.nanoTime() < e) {} batch++; }\n"
        "System.out.println(\"stopped cleanly after batch \" + batch);"),
}


def run(client, code, interrupt_after, km, timeout=30):
    msg_id = client.execute(code)
    out, status, reply = [], None, None
    t0 = time.time()
    presses = list(interrupt_after or [])
    pressed = 0
    while time.time() - t0 < timeout:
        if presses and reply is None and time.time() - t0 > presses[0]:
            presses.pop(0)
            km.interrupt_kernel()
            pressed += 1
        try:
            msg = client.get_iopub_msg(timeout=0.2)
            if msg["parent_header"].get("msg_id") == msg_id:
                t = msg["msg_type"]
                if t == "stream":
                    out.append(msg["content"]["text"].strip())
                elif t == "error":
                    out.append("ERROR " + msg["content"]["ename"] + ": " + msg["content"]["evalue"][:120])
                elif t == "status":
                    status = msg["content"]["execution_state"]
        except queue.Empty:
            pass
        try:
            r = client.get_shell_msg(timeout=0.01)
            if r["parent_header"].get("msg_id") == msg_id:
                reply = r["content"]["status"]
        except queue.Empty:
            pass
        if reply is not None and status == "idle":
            break
    return reply, status, out, round(time.time() - t0, 1), pressed


def start_kernel(attempts=3):
    """rapaio 3.0.1 sometimes never answers its first kernel_info (see descent.kernel.KernelMain): retry."""
    for attempt in range(1, attempts + 1):
        km = KernelManager(kernel_name="java")
        km.start_kernel()
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=30)
            return km, kc
        except RuntimeError as e:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            if attempt == attempts:
                raise
            print(f"   (kernel did not answer: {e}; starting a fresh one)", flush=True)


def main():
    args = sys.argv[1:]
    check = "--check" in args
    only = [a for a in args if a != "--check"] or list(CASES)
    failures = []
    for name in only:
        km, kc = start_kernel()
        try:
            run(kc, 'System.out.println("warm");', None, km)
            reply, status, out, secs, pressed = run(kc, CASES[name], [3.0, 5.0], km)
            nreply, nstatus, nout, nsecs, _ = run(kc, 'System.out.println("next cell ran");', None, km, timeout=15)
            print(f"== {name}\n   cell: reply={reply} state={status} after {secs}s, stop pressed {pressed}x, output={out}\n"
                  f"   next: reply={nreply} state={nstatus} output={nout}", flush=True)
            if reply is None or status != "idle" or nout != ["next cell ran"]:
                failures.append(name)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
    if check:
        print(f"interrupt: {len(only) - len(failures)} passed, {len(failures)} failed", flush=True)
        sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
