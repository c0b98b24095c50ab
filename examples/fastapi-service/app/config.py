"""Settings of the notes service."""

import os

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    database_url: str = "postgresql://localhost/notes"
    # expect: empty-secret-default
    SECRET_KEY: str = ""
    openai_api_key: str | None = None


# expect: empty-secret-default
JWT_SECRET = os.getenv("JWT_SECRET", "dev")
# expect: hardcoded-secret
STRIPE_API_KEY = "sk_live_51H8x2eKq9LmPzR4tVb7NcYw"

settings = Settings()
