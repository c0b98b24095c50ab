from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette import staticfiles

from app.static import CachedStaticFiles

app = FastAPI()

# expect: static-files-without-cache-headers
app.mount("/static", StaticFiles(directory="static"), name="static")
# expect: static-files-without-cache-headers
app.mount("/assets", staticfiles.StaticFiles(directory="frontend/dist/assets"), name="assets")

# OK: a subclass that sets headers, other mounts
app.mount("/media", CachedStaticFiles(directory="media"), name="media")
app.mount("/api/v1", api_v1)
