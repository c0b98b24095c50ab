from flask import Blueprint

bp = Blueprint("ops", __name__, url_prefix="/ops")


@bp.get("/health")
def health():
    return {"status": "ok"}
