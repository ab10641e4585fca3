"""Run in a fresh interpreter by `cold.py`: time one Lambda init plus the first request.

`app`: import `wsgi` (the whole init) and answer one v2 `GET /health` event.
`floor`: import boto3 only — what any Python Lambda that talks to DynamoDB pays.
Prints the elapsed milliseconds.
"""

import sys
import time

started = time.perf_counter()

if sys.argv[1] == "app":
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

print(f"{(time.perf_counter() - started) * 1000:.2f}")
