"""moto in server mode for tests that need real HTTP: several threads or processes talking
to one emulator, JWKS served over HTTP, endpoints given by URL."""

from __future__ import annotations

import socket
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from moto.server import ThreadedMotoServer

from lifestyle_api import db
from lifestyle_api.db.table import create_table
from tests.support.aws import TEST_REGION


@contextmanager
def moto_server() -> Iterator[str]:
    """An emulator on a free loopback port, empty; yields its URL."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    url = f"http://{host}:{port}"
    # moto's state is per process: wipe what earlier tests of this worker left in it.
    urllib.request.urlopen(urllib.request.Request(f"{url}/moto-api/reset", method="POST"))
    try:
        yield url
    finally:
        server.stop()


def table_on(endpoint: str) -> str:
    """Create a fresh single table on `endpoint`, point the models at it, return its name."""
    name = f"lifestyle-{uuid.uuid4().hex[:8]}"
    db.configure(name, TEST_REGION, endpoint)
    create_table(wait=False)
    return name


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def closed_endpoint() -> str:
    """A loopback URL nothing listens on."""
    return f"http://127.0.0.1:{free_port()}"
