"""The JSON logger and the metrics emitter (Powertools), shared by the app and the Lambda entry.

Service name, log level and metrics namespace come from the standard Powertools
variables (`POWERTOOLS_SERVICE_NAME`, `LOG_LEVEL`, `POWERTOOLS_METRICS_NAMESPACE`).
"""

from __future__ import annotations

import os

from aws_lambda_powertools import Logger, Metrics

logger = Logger(
    service=os.environ.get("POWERTOOLS_SERVICE_NAME", "lifestyle-api"),
    level=os.environ.get("LOG_LEVEL", "INFO"),
)
metrics = Metrics(
    namespace=os.environ.get("POWERTOOLS_METRICS_NAMESPACE", "LifestyleApi"),
    service=os.environ.get("POWERTOOLS_SERVICE_NAME", "lifestyle-api"),
)
