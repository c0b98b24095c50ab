"""A Flask service with most things right and its config drifting."""

import os

import structlog
from flask import Flask
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, login_required
from flask_talisman import Talisman

from web.ops import bp

logger = structlog.get_logger()


def create_app() -> Flask:
    # expect: missing-request-id, metrics-missing, tracing-missing, api-not-versioned
    app = Flask(__name__)
    app.config["SECRET_KEY"] = os.environ["FLASK_SECRET_KEY"]
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL")
    Limiter(get_remote_address, app=app, default_limits=["100 per minute"])
    LoginManager(app)
    Talisman(app)
    app.register_blueprint(bp)

    @app.get("/notes")
    @login_required
    def notes():
        return []

    return app
