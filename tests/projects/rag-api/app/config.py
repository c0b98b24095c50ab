from pydantic_settings import BaseSettings


# expect: env-example-missing
class Settings(BaseSettings):
    database_url: str
    qdrant_url: str


settings = Settings()
