"""The process's AWS clients: one botocore session, and one client per service, region and
endpoint, shared by every caller (PynamoDB's item models and transactions, the admin
commands, Cognito, Bedrock).

Building a client is the most expensive thing a request can do: botocore reads and parses
its data files (the service model, the endpoint rules, the 1 MB endpoints file) and
resolves credentials. A session caches what it read, so one session reads each file once
per container, and each client is built once, on first use, and kept. Clients are
thread-safe; building one is not, hence the lock.

Adding a service is one line in `SERVICES`: its name and its client settings.
"""

from __future__ import annotations

import gzip
import json
import os
import threading
from typing import Any

from botocore.config import Config
from botocore.loaders import JSONFileLoader, Loader
from botocore.session import Session

# Short timeouts everywhere: a Lambda answering an API call fails fast and lets the client
# retry. Each service's retry budget says how long a caller may wait for it.
DYNAMODB_CONNECT_TIMEOUT_SECONDS = 2
DYNAMODB_READ_TIMEOUT_SECONDS = 5
DYNAMODB_MAX_RETRY_ATTEMPTS = 3

SERVICES: dict[str, Config] = {
    # Parameters are checked by PynamoDB and our schemas already; botocore's validation
    # walks every request again (PynamoDB turns it off too).
    "dynamodb": Config(
        connect_timeout=DYNAMODB_CONNECT_TIMEOUT_SECONDS,
        read_timeout=DYNAMODB_READ_TIMEOUT_SECONDS,
        retries={"total_max_attempts": 1 + DYNAMODB_MAX_RETRY_ATTEMPTS, "mode": "standard"},
        parameter_validation=False,
    ),
    "cognito-idp": Config(
        connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}
    ),
    # Account deletions schedule their second pass; a deletion that cannot is a 503 to retry.
    "scheduler": Config(
        connect_timeout=2, read_timeout=5, retries={"max_attempts": 3, "mode": "standard"}
    ),
    # Short timeouts and few retries: a reminders pass pushes many notifications, and one
    # that fails is tried again on the next pass.
    "sns": Config(
        connect_timeout=2, read_timeout=5, retries={"total_max_attempts": 2, "mode": "standard"}
    ),
    # No SDK retries: a slow or throttled model is answered by the rules at once.
    "bedrock-runtime": Config(
        connect_timeout=2, read_timeout=8, retries={"total_max_attempts": 1, "mode": "standard"}
    ),
}


ENDPOINTS_FILE = "endpoints"


class DataFiles(JSONFileLoader):
    """botocore's data files, read as botocore would but parsed into plain dicts (ordered, as
    every dict is) rather than `OrderedDict`s: half the parsing time, and less memory.

    The endpoints file (1 MB of JSON: every region of every service botocore knows) is kept
    only for `SERVICES`; a client of another service would resolve its endpoint from its
    partition's defaults. The rest of the file is freed as soon as it is parsed.
    """

    def load_file(self, file_path: str) -> Any:
        for extension, opener in ((".json", open), (".json.gz", gzip.open)):
            if os.path.isfile(file_path + extension):
                with opener(file_path + extension, "rb") as file:
                    data = json.loads(file.read())
                if os.path.basename(file_path) == ENDPOINTS_FILE:
                    data = _endpoints_of_our_services(data)
                return data
        return None


class ServiceDataLoader(Loader):
    """botocore's data loader, told which services this process uses.

    Before it reads a service's model, botocore lists every service it ships (400-odd
    directories, each listed and probed for every kind of model file) to check that the
    name is one of them; here the answer is `SERVICES`, known without touching the disk.
    """

    def __init__(self) -> None:
        super().__init__(file_loader=DataFiles())

    def list_available_services(self, type_name: str) -> list[str]:
        return sorted(SERVICES)


def _endpoints_of_our_services(endpoints: dict[str, Any]) -> dict[str, Any]:
    partitions = [
        {**partition, "services": _ours(partition.get("services", {}))}
        for partition in endpoints.get("partitions", [])
    ]
    return {**endpoints, "partitions": partitions}


def _ours(services: dict[str, Any]) -> dict[str, Any]:
    return {name: data for name, data in services.items() if name in SERVICES}


_lock = threading.Lock()
_session: Session | None = None
_clients: dict[tuple[str, str, str | None], Any] = {}


def client(service: str, region: str, endpoint_url: str | None = None) -> Any:
    """The process's client for `service` (a key of `SERVICES`) in `region`, built on first
    use with that service's settings. `endpoint_url` is for emulators (local runs, tests)."""
    key = (service, region, endpoint_url)
    found = _clients.get(key)
    if found is not None:
        return found
    config = SERVICES[service]
    with _lock:
        found = _clients.get(key)
        if found is None:
            global _session
            if _session is None:
                _session = _new_session()
            found = _session.create_client(
                service, region_name=region, endpoint_url=endpoint_url, config=config
            )
            _clients[key] = found
        return found


def _new_session() -> Session:
    """A session of our own (not boto3's default one), reading data with `ServiceDataLoader`."""
    new = Session()
    new.register_component("data_loader", ServiceDataLoader())
    return new


def forget_clients() -> None:
    """Drop the clients built so far; the next `client()` builds anew (from the session's
    data, already read). For tests, each of which starts as a new container would (a client's
    retry quota is drained by the failures it met), and for benchmarks that change
    `SERVICES`."""
    with _lock:
        _clients.clear()
