"""Settings of the notes service, all from the environment."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTES_")

    database_url: str
    secret_key: str = Field(min_length=32)
    api_key: str = Field(min_length=32)
    openai_api_key: str | None = None
    allowed_origins: list[str] = []
    debug: bool = False
    token_expire_minutes: int = 30
    token_url: str = "/auth/token"


settings = Settings()
