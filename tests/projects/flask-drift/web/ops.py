from flask import Blueprint

PREFIX = "/ops"

bp = Blueprint("ops", __name__, url_prefix=PREFIX)


@bp.get("/health")
def health():
    return {"status": "ok"}
