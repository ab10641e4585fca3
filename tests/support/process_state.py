"""What the app keeps for the life of a process (a warm Lambda container), and a way to start
each test without it.

A test must be answered by its own set-up, never by what an earlier test left in the
process: the pool's password rules read once per process, the JWKS clients and the keys they
hold, the AWS clients (and their retry quotas). The modules are imported here only, so a
moved module is renamed in one place.
"""

from __future__ import annotations

from lifestyle_api import aws
from lifestyle_api import identity as identity_module
from lifestyle_api.accounts import cognito


def forget_process_caches() -> None:
    """Empty every cache the app fills once per process."""
    cognito._policies.clear()
    # Botocore's standard retry mode keeps a retry quota per client, drained by the failures
    # a client met: each test gets clients with a full quota, as a new container would.
    aws.forget_clients()
    identity_module._jwk_clients.clear()
