"""moto in server mode on a free loopback port, for tests that need real concurrency.

moto evaluates a conditional write and stores it in two steps; with requests on several
threads a second writer could pass the same condition in between, which DynamoDB never
allows. `AtomicMotoServer` handles one request at a time so that each request is atomic,
as it is in DynamoDB; the app's own threads still interleave freely between requests,
which is where lost updates would come from.
"""

from __future__ import annotations

import threading

from moto.moto_server.threaded_moto_server import ThreadedMotoServer
from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import make_server


class AtomicMotoServer(ThreadedMotoServer):
    def __init__(self) -> None:
        super().__init__(ip_address="127.0.0.1", port=0, verbose=False)

    def _server_entry(self) -> None:
        moto_app = DomainDispatcherApplication(create_backend_app)
        one_at_a_time = threading.Lock()

        def atomic_app(environ, start_response):
            with one_at_a_time:
                return list(moto_app(environ, start_response))

        self._server = make_server(
            self._ip_address,
            self._port,
            atomic_app,
            threaded=True,
            request_handler=MotoRequestHandler,
        )
        self._server_ready_event.set()
        self._server.serve_forever()

    @property
    def endpoint_url(self) -> str:
        host, port = self.get_host_and_port()
        return f"http://{host}:{port}"
