"""Holds N half-open connections to a server from one client address (a loopback alias), each
with half a request's headers, opening a new one whenever the server closes one. Runs until
killed; prints how many it holds and how many the server closed, every second.

Usage: python3 benches/hoard.py HOST PORT N SOURCE_ADDRESS
"""
import selectors
import socket
import sys
import time

host, port, n, src = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
sel = selectors.DefaultSelector()
closed = 0


def open_one():
    s = socket.socket()
    s.bind((src, 0))
    s.setblocking(False)
    try:
        s.connect((host, port))
    except BlockingIOError:
        pass
    except OSError:
        s.close()
        return
    sel.register(s, selectors.EVENT_WRITE)


def drop(s):
    global closed
    closed += 1
    sel.unregister(s)
    s.close()
    open_one()


for _ in range(n):
    open_one()
last = time.time()
while True:
    for key, ev in sel.select(timeout=1):
        s = key.fileobj
        if ev & selectors.EVENT_WRITE:
            try:
                s.send(b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n")
            except OSError:
                drop(s)
                continue
            sel.modify(s, selectors.EVENT_READ)
        else:
            try:
                d = s.recv(4096)
            except OSError:
                d = b""
            if not d:
                drop(s)
    if time.time() - last >= 1:
        last = time.time()
        print(f"holding {len(sel.get_map())}, closed by the server so far {closed}", flush=True)
