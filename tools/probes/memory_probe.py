"""Probe the kernel's memory limit (descent.kernel.MemoryGuard) through the real kernel and jupyter_client.

    JUPYTER_PATH=target/jupyter /usr/bin/python3 tools/probes/memory_probe.py [--check] [--limit 900m]

Starts the Java kernel with DESCENT_MEMORY_LIMIT (default 900m), keeps a 40 MB array in one cell, then runs a cell
that allocates 64 MB arrays (inside a block, so they are the cell's own) until it is stopped, at most 40 of them
(2.5 GB). With --check, exit 1 unless that cell failed with the guard's OutOfMemoryError naming the limit and never
finished, and the next cell ran and still saw the first cell's array. Prints the kernel's resident memory after.
`--rounds N` (default 3) repeats the stopped cell and the next one N times in one kernel: the next cell starts right
after the stop, while the guard may still be deciding whether to force-stop, so a stop that reached the wrong cell
shows as a failed next cell (it did, one round in three, before the guard checked which cell it stops).
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from interrupt_probe import run, start_kernel  # noqa: E402

KEEP = ('var keep = org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 10, 1024, 1024);\n'
        'System.out.println("kept " + keep.length() + " values");')
HOG = ('{\n'
       '    var hog = new java.util.ArrayList<org.nd4j.linalg.api.ndarray.INDArray>();\n'
       '    for (int i = 0; i < 40; i++)\n'
       '        hog.add(org.nd4j.linalg.factory.Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 16, 1024, 1024));\n'
       '    System.out.println("never stopped: " + hog.size() + " arrays");\n'
       '}')
AFTER = ('System.gc();\n'
         'System.out.println("next cell ran; keep sums to " + (long) keep.sumNumber().doubleValue()\n'
         '        + "; resident memory " + descent.kernel.MemoryGuard.rssBytes() / 1000000 + " MB, limit "\n'
         '        + descent.kernel.MemoryGuard.limit() / 1000000 + " MB");')


def main():
    args = sys.argv[1:]
    check = "--check" in args
    limit = args[args.index("--limit") + 1] if "--limit" in args else "900m"
    rounds = int(args[args.index("--rounds") + 1]) if "--rounds" in args else 3
    os.environ["DESCENT_MEMORY_LIMIT"] = limit
    km, kc = start_kernel()
    ok = True
    try:
        _, _, kout, _, _ = run(kc, KEEP, None, km)
        print(f"first: {kout}", flush=True)
        for r in range(1, rounds + 1):
            reply, status, out, secs, _ = run(kc, HOG, None, km, timeout=120)
            nreply, nstatus, nout, _, _ = run(kc, AFTER, None, km, timeout=30)
            print(f"round {r}: hog: reply={reply} state={status} after {secs}s, output={out}\n"
                  f"round {r}: next: reply={nreply} state={nstatus} output={nout}", flush=True)
            text = " ".join(out)
            ok = ok and (reply == "error" and status == "idle" and "OutOfMemoryError" in text
                         and "past its limit" in text and "DESCENT_MEMORY_LIMIT" in text and "never stopped" not in text
                         and nreply == "ok" and any("keep sums to 10485760" in line for line in nout))
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    if check:
        print("memory limit: " + ("passed" if ok else "FAILED"), flush=True)
        sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
