"""Where the notes' attachments are kept."""

from pathlib import Path

UPLOAD_DIR = Path("uploads")
