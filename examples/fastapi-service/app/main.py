"""The notes API."""

import requests
from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

# expect: debug-enabled, missing-rate-limiting, missing-authentication, missing-health-endpoint, missing-exception-handler, missing-request-id, missing-security-headers, unstructured-logging, metrics-missing, tracing-missing, api-not-versioned
app = FastAPI(title="Notes", debug=True)

app.add_middleware(
    CORSMiddleware,
    # expect: cors-wildcard-origin
    allow_origins=["*"],
    allow_methods=["*"],
    allow_headers=["*"],
)


@app.get("/notes/{note_id}")
def read_note(note_id: int):
    try:
        # expect: http-call-without-timeout
        response = requests.get(f"https://storage.internal/notes/{note_id}")
        return response.json()
    # expect: bare-except
    except:
        # expect: error-with-success-status
        return {"error": "unavailable"}


# expect: missing-authentication
@app.post("/notes")
def create_note(body: dict):
    # expect: print-in-service-code
    print("creating note", body)
    try:
        notify(body)
    # expect: silent-except
    except Exception:
        pass
    return body


def notify(body: dict) -> None:
    requests.post("https://hooks.internal/notify", json=body, timeout=5)
