"""Settings, all from the environment."""

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PoolSettings(BaseModel):
    size: int = 5
    recycle_seconds: int = 3600


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="NOTES_", env_nested_delimiter="__")

    database_url: str
    secret_key: str = Field(min_length=32)
    allowed_origins: list[str] = []
    api_key: str = Field(validation_alias="NOTES_API_KEY")
    # Read from NOTES_POOL__SIZE and NOTES_POOL__RECYCLE_SECONDS, optional.
    pool: PoolSettings = PoolSettings()


settings = Settings()
