from sqlalchemy import create_engine
from sqlalchemy.ext.asyncio import create_async_engine

from app.config import settings

# expect: pool-size-hardcoded
engine = create_async_engine(settings.database_url, pool_size=20, max_overflow=10, pool_pre_ping=True)
# expect: pool-size-hardcoded
reports = create_engine(
    settings.reports_url,
    pool_pre_ping=True,
    pool_recycle=1800,
)

# OK: sizes from settings, no sizes, other calls
sized = create_async_engine(
    settings.database_url,
    pool_size=settings.db_pool_size,
    max_overflow=settings.db_max_overflow,
    pool_pre_ping=True,
)
plain = create_engine(settings.database_url, pool_pre_ping=True)
pool = ThreadPool(pool_size=4)
