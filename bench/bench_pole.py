"""What the pole display costs the counter: the time ``PoleDisplay.show`` takes on the GUI thread with a live
display, with none, and with one that never answers (its connect hangs until the timeout), and how long a
frame takes to reach a live display. Prints figures; asserts nothing.

    .venv/bin/python bench/bench_pole.py
"""

import socket
import threading
import time

from cashier.customer_side import CustomerView, Stage
from cashier.pole_display import PoleDisplay

CALLS = 20_000


def per_call(pole: PoleDisplay) -> float:
    views = [CustomerView(Stage.TENDERED, due_fen=29254, received_fen=n) for n in range(CALLS)]
    start = time.perf_counter()
    for view in views:
        pole.show(view)
    return (time.perf_counter() - start) / CALLS * 1e6


def main() -> None:
    print(f"show() off: {per_call(PoleDisplay('off')):.2f} µs per call")

    hung_server = socket.socket()
    hung_server.bind(("127.0.0.1", 0))
    hung_server.listen(0)
    port = hung_server.getsockname()[1]
    filler = socket.create_connection(("127.0.0.1", port), timeout=2)  # the queue is full: the next connect hangs
    hung = PoleDisplay(f"tcp://127.0.0.1:{port}", timeout=60)
    hung.show(CustomerView())
    while not hung.attempting:
        time.sleep(0.01)
    print(f"show() with a display that never answers: {per_call(hung):.2f} µs per call "
          f"(the worker still connecting: {hung.attempting})")
    hung.close()

    live = socket.create_server(("127.0.0.1", 0))
    got = threading.Event()
    received = bytearray()

    def serve():
        conn, _ = live.accept()
        while chunk := conn.recv(4096):
            received.extend(chunk)
            if received.endswith(b"\r"):
                got.set()

    threading.Thread(target=serve, daemon=True).start()
    pole = PoleDisplay(f"tcp://127.0.0.1:{live.getsockname()[1]}")
    pole.show(CustomerView())
    time.sleep(0.2)
    delays = []
    for n in range(200):
        got.clear()
        start = time.perf_counter()
        pole.show(CustomerView(Stage.SELECTED, due_fen=10000 + n))
        got.wait(2)
        delays.append(time.perf_counter() - start)
    delays.sort()
    print(f"a frame reaches a live TCP display in {delays[len(delays) // 2] * 1e3:.2f} ms (median of 200), "
          f"{delays[-1] * 1e3:.2f} ms at worst")
    print(f"show() with a live display: {per_call(pole):.2f} µs per call")
    pole.close()
    filler.close()
    hung_server.close()


if __name__ == "__main__":
    main()
