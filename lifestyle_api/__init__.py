"""Lifestyle API: the Flask application factory.

`create_app()` reads the settings, points the single table at its endpoint, registers the
request hooks, the error envelope and one flask-smorest blueprint per feature, and serves
the generated OpenAPI document at `GET /openapi.json` and its reference page at `GET /docs`.

Importing the package imports no framework (the Lambda entry point acts before Flask is
imported: `cold_start`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

__version__ = "0.1.0"

MAX_BODY_BYTES = 256 * 1024


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; `config` overrides settings by name (`{"TABLE_NAME": "t"}`) for tests."""
    from . import db
    from .config import Settings
    from .http.api import Api, LifestyleFlask
    from .http.converters import UlidConverter, ulid_param_schema
    from .http.envelope import register_error_handlers
    from .http.hooks import SETTINGS_EXTENSION, register_request_hooks
    from .http.idempotency import register_idempotency
    from .http.openapi import openapi_settings, register_openapi_extras
    from .http.routes import PUBLIC, declare_on_endpoint
    from .identity import authenticate_request
    from .reference.routes import blp as reference

    settings = Settings.from_env(config)
    app = LifestyleFlask(__name__, static_folder=None)
    app.config.update(MAX_CONTENT_LENGTH=MAX_BODY_BYTES, **openapi_settings())
    app.extensions[SETTINGS_EXTENSION] = settings
    app.url_map.strict_slashes = False
    app.url_map.converters["ulid"] = UlidConverter

    db.configure(settings.table_name, settings.aws_region, settings.aws_endpoint_url)

    register_request_hooks(app)
    app.before_request(authenticate_request)
    register_idempotency(app)
    register_error_handlers(app)

    api = Api()
    api.register_converter(UlidConverter, ulid_param_schema)
    api.on_spec_ready(register_openapi_extras)
    api.init_app(app)
    declare_on_endpoint(app, "api-docs.openapi_json", PUBLIC)
    for blueprint in _blueprints():
        api.register_blueprint(blueprint)
    app.register_blueprint(reference)
    return app


def _blueprints():
    from .accounts.routes import blp as accounts
    from .activities.routes import blp as activities
    from .coach.routes import blp as coach
    from .goals.routes import blp as goals
    from .health.routes import blp as health
    from .meals.routes import blp as meals
    from .metrics.routes import blp as metrics
    from .notifications.routes import blp as notifications
    from .notifications.routes import devices_blp as devices
    from .profile.routes import blp as profile
    from .summaries.routes import blp as summaries
    from .sync.routes import blp as sync

    return [
        *(health, accounts, profile, goals, activities, meals, metrics, summaries, coach),
        *(sync, devices, notifications),
    ]
