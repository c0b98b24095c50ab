"""Uploaded files live on the service's Railway volume, whose path Railway sets."""

import os
from pathlib import Path

DATA_DIR = Path(os.environ.get("RAILWAY_VOLUME_MOUNT_PATH", "/data"))
UPLOAD_FOLDER = DATA_DIR / "uploads"
