"""The several-machine recipe rehearsed on one machine, in one command.

    .venv/bin/python deploy/topology.py [--nodes 2] [--proxies 2] [--workers 1]

Starts a PostgreSQL primary and a streaming replica (initdb and pg_basebackup into
``var/topology/``), a Redis, the demo site prepared on the primary, ``--nodes`` app
nodes (``dateline serve`` on ports of their own), one ``dateline worker`` and
``--proxies`` Varnish instances, each with a round-robin director and a health probe
over every node (``deploy/varnish/backends-several.vcl``). It prints the addresses,
runs until Ctrl-C, then stops everything and removes what it made.

A script rather than a ``dateline`` command: it brings up the database the site's
settings would need before any command could run, and it belongs to the checkout (it
uses ``deploy/varnish/`` and the test helpers), not to the installed package.
"""

import argparse
import signal
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dateline.testing.topology import Topology  # noqa: E402


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=2, help="app nodes (default 2)")
    parser.add_argument("--proxies", type=int, default=2, help="Varnish instances")
    parser.add_argument(
        "--workers", type=int, default=1, help="granian processes per app node"
    )
    parser.add_argument(
        "--dir", type=Path, default=ROOT / "var" / "topology", help="where data goes"
    )
    return parser.parse_args(argv)


def interrupt(*_):
    raise KeyboardInterrupt


def main(argv=None):
    args = parse_args(argv)
    # A service manager's SIGTERM ends in the same orderly stop as Ctrl-C.
    signal.signal(signal.SIGTERM, interrupt)
    print("Starting the databases, Redis and the demo site; this takes a minute...")
    topology = Topology(
        nodes_count=args.nodes,
        proxies_count=args.proxies,
        workers_per_node=args.workers,
        directory=args.dir,
    )
    try:
        topology.__enter__()  # stops what it started if interrupted meanwhile
    except KeyboardInterrupt:
        return 130
    try:
        print(topology.describe())
        print("Press Ctrl+C to stop everything.", flush=True)
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C must not leave half the processes running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("Stopping...", flush=True)
        topology.__exit__(None, None, None)
    print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
