"""Settings, all from the environment."""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTES_")

    database_url: str
    secret_key: str = Field(min_length=32)
    allowed_origins: list[str] = []
    api_key: str = Field(validation_alias="NOTES_API_KEY")


settings = Settings()
