"""The one entry point: `app` for `flask --app wsgi run`, `handler` for AWS Lambda.

`handler` turns API Gateway (REST v1, HTTP API v2) and ALB events into WSGI requests with
apig-wsgi, runs the scheduled tasks the function owns (`{"task": …}` events from EventBridge
Scheduler, `lifestyle_api.scheduled`), logs each invocation as JSON with its request id, and
emits a cold-start metric.
"""

from __future__ import annotations

import gc

# Init creates some 100,000 tracked objects that live as long as the container: modules,
# classes, schemas, routes. Left on, the collector walks them over and over while they are
# being made (about a tenth of a cold start), and again at every full collection after.
# So nothing is collected until the app is built; then what init made is frozen out of
# the collector's sight (gc.freeze) and collection resumes for what requests allocate.
gc.disable()

from lifestyle_api.cold_start import leave_out_unused_modules  # noqa: E402

# Before anything imports Flask: Jinja2, werkzeug's server and test client and a few modules
# imported for paths this app never takes stay out of the cold start (see cold_start).
leave_out_unused_modules()

import warnings  # noqa: E402

from apig_wsgi import make_lambda_handler  # noqa: E402

from lifestyle_api import create_app  # noqa: E402
from lifestyle_api.http.hooks import current_settings  # noqa: E402
from lifestyle_api.observability import logger, metrics  # noqa: E402
from lifestyle_api.scheduled import is_scheduled_task, run_scheduled_task  # noqa: E402

app = create_app()
_wsgi_handler = make_lambda_handler(app, binary_support=True)

gc.freeze()
gc.enable()

# Warm invocations add no metric of their own; Powertools would warn on each.
warnings.filterwarnings("ignore", message="No application metrics to publish")


@metrics.log_metrics(capture_cold_start_metric=True)
@logger.inject_lambda_context(clear_state=True)
def handler(event, context):
    if is_scheduled_task(event):
        with app.app_context():
            return run_scheduled_task(event, current_settings())
    return _wsgi_handler(event, context)
