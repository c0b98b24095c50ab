from pydantic_settings import BaseSettings


# expect: env-example-missing
class Settings(BaseSettings):
    database_url: str
    qdrant_url: str
    # The single-page app that calls this API, on its own origin.
    frontend_url: str = "http://localhost:5173"


settings = Settings()
