"""Run by `cold.py` as `python -I -S cold_probe.py MODE TASK_ROOT`: time one Lambda init
plus the first request, with nothing on `sys.path` but the task root and the standard
library, as in the image.

`app`: import `wsgi` (the whole init) and answer one v2 `GET /health` event.
`floor`: import boto3 only — what any Python Lambda that talks to DynamoDB pays.
Prints the elapsed wall and CPU milliseconds and the minor page faults, on the last line.
"""

import resource
import sys
import time

mode, task_root = sys.argv[1], sys.argv[2]
sys.path.insert(0, task_root)

started, started_cpu = time.perf_counter(), time.process_time()
started_faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt

if mode == "app":
    import wsgi

    event = {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": "/health",
        "rawQueryString": "",
        "headers": {"host": "api.example.com"},
        "requestContext": {
            "http": {
                "method": "GET",
                "path": "/health",
                "protocol": "HTTP/1.1",
                "sourceIp": "127.0.0.1",
                "userAgent": "bench",
            },
            "requestId": "cold-probe",
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }

    class Context:
        function_name = "lifestyle-api"
        function_version = "$LATEST"
        memory_limit_in_mb = 1024
        invoked_function_arn = "arn:aws:lambda:us-east-1:123456789012:function:lifestyle-api"
        aws_request_id = "cold-probe"

    response = wsgi.handler(event, Context())
    assert response["statusCode"] == 200, response
else:
    import boto3  # noqa: F401

elapsed = (time.perf_counter() - started) * 1000
cpu = (time.process_time() - started_cpu) * 1000
faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt - started_faults
# The cold-start metric goes to stdout too; the figures are the last line.
print(f"{elapsed:.2f} {cpu:.2f} {faults}")
