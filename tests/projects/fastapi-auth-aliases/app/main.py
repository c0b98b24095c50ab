from fastapi import FastAPI

from app.routes import incidents, teams

# expect: missing-rate-limiting, missing-exception-handler, missing-request-id, missing-security-headers, unstructured-logging, metrics-missing, tracing-missing, api-not-versioned, ci-missing, gitignore-missing, tests-missing
app = FastAPI()
app.include_router(incidents.router)
app.include_router(teams.router)


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}
