"""The kernel's costs as a Jupyter front end sees them, through jupyter_client.

usage: kernel_latency.py [STARTS] [REQUESTS]   (JUPYTER_PATH must find the alphalab kernelspec)

Start: from KernelManager.start_kernel() to the kernel_info reply (STARTS times, default 10).
Round trip: an execute_request of print(1) until both its execute_reply and its idle status
are in (REQUESTS times, default 1,000, after 20 to warm up). Run by `alphalab-bench kernel`.
"""
import statistics
import sys
import time

from jupyter_client.manager import KernelManager


def figure(name, value, target=""):
    print(f"{name:<50}{value:<16}{target}")


def start_once():
    km = KernelManager(kernel_name="alphalab")
    began = time.perf_counter()
    km.start_kernel()
    kc = km.client()
    kc.start_channels()
    msg_id = kc.kernel_info()
    while True:
        reply = kc.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            return time.perf_counter() - began, km, kc


def round_trip(kc):
    began = time.perf_counter()
    msg_id = kc.execute("print(1)")
    replied = idle = False
    while not (replied and idle):
        if not replied:
            replied = kc.get_shell_msg(timeout=30)["parent_header"].get("msg_id") == msg_id
        message = kc.get_iopub_msg(timeout=30)
        if message["parent_header"].get("msg_id") == msg_id and message["msg_type"] == "status" \
                and message["content"]["execution_state"] == "idle":
            idle = True
    return time.perf_counter() - began


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))]


def main():
    starts_count = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    starts = []
    for _ in range(starts_count):
        seconds, km, kc = start_once()
        starts.append(seconds)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    figure("kernel start -> kernel_info reply (median)", f"{statistics.median(starts) * 1000:.0f} ms", "target < 300 ms")
    figure("kernel start -> kernel_info reply (best, worst)", f"{min(starts) * 1000:.0f} / {max(starts) * 1000:.0f} ms")
    seconds, km, kc = start_once()
    kc.wait_for_ready(timeout=30)  # also until iopub's subscription is through (ZeroMQ's slow joiner)
    for _ in range(20):
        round_trip(kc)
    times = [round_trip(kc) for _ in range(requests)]
    figure(f"print(1) round trip, p50 of {requests}", f"{percentile(times, 50) * 1000:.2f} ms", "target < 10 ms")
    figure("print(1) round trip, p90 / p99", f"{percentile(times, 90) * 1000:.2f} / {percentile(times, 99) * 1000:.2f} ms")
    kc.stop_channels()
    km.shutdown_kernel(now=False)


if __name__ == "__main__":
    main()
