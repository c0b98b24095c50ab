"""One settings object for every environment, defaulting to development."""

from pydantic_settings import BaseSettings


# expect: settings-not-environment-aware
class Settings(BaseSettings):
    debug: bool = True
    cors_origins: list[str] = ["*"]
    log_level: str = "DEBUG"


settings = Settings()
