"""The embedded AWS emulator (moto's server mode) and the checks that make a local run fail
with one clear line instead of a traceback: a port already taken, an endpoint unreachable."""

from __future__ import annotations

import logging
import socket
import threading
from urllib.parse import urlsplit

import boto3
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError


class LocalRunError(Exception):
    """A local run cannot start; the message says why and what to do, in one line."""


def ensure_port_free(host: str, port: int, what: str, hint: str) -> None:
    """Fail clearly when `port` cannot be bound, before anything else is started."""
    if port == 0:
        return
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers themselves do, so a port in TIME_WAIT does not count as taken.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise LocalRunError(
                f"port {port} on {host} ({what}) is not available: {exc.strerror}; "
                f"stop what uses it or {hint}"
            ) from exc


def check_endpoint(url: str, region: str) -> None:
    """Fail clearly unless `url` answers DynamoDB requests."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise LocalRunError(f"AWS_ENDPOINT_URL={url} is not an http(s) URL")
    client = boto3.client(
        "dynamodb",
        endpoint_url=url,
        region_name=region,
        config=Config(connect_timeout=2, read_timeout=5, retries={"total_max_attempts": 1}),
    )
    try:
        client.list_tables(Limit=1)
    except ClientError:
        return  # it answered, even if only to refuse
    except BotoCoreError as exc:
        raise LocalRunError(f"cannot reach AWS_ENDPOINT_URL={url}: {exc}") from exc


class EmbeddedEmulator:
    """moto's server mode on a loopback port, served from a thread of this process."""

    def __init__(self, host: str = "127.0.0.1", port: int = 5001) -> None:
        self.host = host
        self.port = port
        self._server = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> str:
        from moto.moto_server.werkzeug_app import (
            DomainDispatcherApplication,
            MotoRequestHandler,
            create_backend_app,
        )
        from werkzeug.serving import make_server

        ensure_port_free(
            self.host, self.port, "the AWS emulator", "choose another with --emulator-port"
        )
        # One line per emulator request would bury the API's own log.
        logging.getLogger("werkzeug").setLevel(logging.WARNING)
        # Bound here, in the calling thread, so a failure to bind stops the run at once.
        self._server = make_server(
            self.host,
            self.port,
            DomainDispatcherApplication(create_backend_app),
            threaded=True,
            request_handler=MotoRequestHandler,
        )
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="aws-emulator", daemon=True
        )
        self._thread.start()
        return self.url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
