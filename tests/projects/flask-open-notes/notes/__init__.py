from flask import Flask

from notes.views import notes_blueprint
from notes.hooks import hooks_blueprint

# Nothing in this service authenticates: the app gets the finding, and so does each route
# below that changes data (after mjhea0/flaskr-tdd and testdrivenio's Flask services).
# expect: missing-authentication, missing-rate-limiting, missing-request-id, missing-security-headers, unstructured-logging, metrics-missing, tracing-missing, api-not-versioned
app = Flask(__name__)
app.register_blueprint(notes_blueprint, url_prefix="/notes")
app.register_blueprint(hooks_blueprint)


@app.route("/health")
def health():
    return {"status": "ok"}
