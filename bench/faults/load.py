#!/usr/bin/env python3
"""Bounded HTTP load on loopback for the fault scenarios: THREADS workers request the given paths in
turn for SECONDS; one line per response on stdout: unix time, path as given, status, Retry-After header.
A path with {n} gets a counter there, so the page cannot come from the output cache."""
import http.client
import itertools
import sys
import threading
import time

port, threads, seconds, *paths = sys.argv[1:]
port, threads, seconds = int(port), int(threads), float(seconds)
if not paths or not 0 < seconds <= 600:
    sys.exit("usage: load.py PORT THREADS SECONDS PATH...")
deadline = time.time() + seconds
counter = itertools.count()
lock = threading.Lock()


def worker(offset):
    connection = None
    i = offset
    while time.time() < deadline:
        template = paths[i % len(paths)]
        path = template.replace("{n}", str(next(counter)))
        i += 1
        try:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            line = f"{time.time():.3f} {template} {response.status} {response.getheader('Retry-After') or '-'}"
            if response.getheader("Connection", "").lower() == "close":
                connection.close()
                connection = None
        except (OSError, http.client.HTTPException) as e:
            line = f"{time.time():.3f} {template} error {type(e).__name__}"
            if connection is not None:
                connection.close()
            connection = None
            time.sleep(0.05)
        with lock:
            print(line, flush=True)


workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
