import logging
import os
from logging import DEBUG

from app.config import settings

# expect: log-level-not-configurable
logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
# expect: log-level-not-configurable
logging.basicConfig(level="DEBUG")
# expect: log-level-not-configurable
logging.basicConfig(level=DEBUG)
# expect: log-level-not-configurable
logging.getLogger().setLevel(logging.WARNING)


def configure():
    # expect: log-level-not-configurable
    logging.basicConfig(level=20)


# OK: levels from settings and the environment, named loggers, other calls
logging.basicConfig(level=settings.log_level)
logging.basicConfig(level=os.environ.get("LOG_LEVEL", "INFO").upper())
logging.basicConfig(level=getattr(logging, settings.LOG_LEVEL))
logging.getLogger("httpx").setLevel(logging.WARNING)
logging.getLogger("uvicorn.access").setLevel(logging.ERROR)
logging.getLogger().setLevel(settings.log_level)
handler.setLevel(logging.DEBUG)
logging.basicConfig(format="%(message)s")

if __name__ == "__main__":
    logging.basicConfig(level=logging.DEBUG)
