"""The production entry point: `python -m app.serve`."""

import os

import uvicorn

if __name__ == "__main__":
    # expect: graceful-shutdown-missing
    uvicorn.run(
        "app.main:app",
        host="0.0.0.0",
        port=int(os.environ.get("PORT", "8000")),
        proxy_headers=True,
    )
