"""The one entry point: `app` for `flask --app wsgi run`, `handler` for AWS Lambda.

`handler` turns API Gateway (REST v1, HTTP API v2) and ALB events into WSGI requests with
apig-wsgi, logs each invocation as JSON with its request id, and emits a cold-start metric.
"""

from __future__ import annotations

import warnings

from apig_wsgi import make_lambda_handler

from lifestyle_api import create_app
from lifestyle_api.observability import logger, metrics

app = create_app()
_wsgi_handler = make_lambda_handler(app, binary_support=True)

# Warm invocations add no metric of their own; Powertools would warn on each.
warnings.filterwarnings("ignore", message="No application metrics to publish")


@metrics.log_metrics(capture_cold_start_metric=True)
@logger.inject_lambda_context(clear_state=True)
def handler(event, context):
    return _wsgi_handler(event, context)
