from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file="../.env", env_ignore_empty=True, extra="ignore")

    API_V1_STR: str = "/api/v1"
    PROJECT_NAME: str
    # Development defaults are fine here: the environment is explicit.
    ENVIRONMENT: Literal["local", "staging", "production"] = "local"
    DEBUG: bool = True


settings = Settings()
