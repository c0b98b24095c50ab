;; priority = "medium"
;; category = "performance"
;; summary = "A network or database client built on every request."
;; message = "`${function}` builds a new client (and connection pool) on every request to `${handler}`: create it once at module level or in the app's lifespan and reuse it."
;; docs = '''
;; ## What it finds
;; A client that owns a connection pool — `httpx.AsyncClient()`, `httpx.Client()`,
;; `requests.Session()`, `aiohttp.ClientSession()`, `QdrantClient(...)`, `OpenAI()`,
;; `AsyncOpenAI()`, `Anthropic()`, `MongoClient(...)`, `AsyncIOMotorClient(...)`,
;; `AzureOpenAI()`, `redis.Redis(...)`, `redis.from_url(...)`, `Elasticsearch(...)`,
;; `create_engine(...)`, `boto3.client(...)`, `boto3.resource(...)`, `boto3.Session()`,
;; `asyncpg.create_pool(...)` —
;; built inside a route handler or a function used as a dependency (`Depends(name)`) in the
;; same module. Lifespan, startup and module-level code are where such clients belong and are
;; not reported.
;;
;; ## Why it matters in production
;; Each new client opens new TCP and TLS connections (and for databases, authenticates):
;; tens to hundreds of milliseconds added to every request, connection churn on the server,
;; and under load, exhausted sockets or database connection limits.
;;
;; ## Example
;; ```python
;; @app.get("/weather")
;; async def weather(city: str):
;;     async with httpx.AsyncClient() as client:
;;         return (await client.get(URL, params={"q": city})).json()
;; ```
;;
;; ## Fix
;; ```python
;; @asynccontextmanager
;; async def lifespan(app: FastAPI):
;;     app.state.http = httpx.AsyncClient(timeout=10)
;;     yield
;;     await app.state.http.aclose()
;;
;;
;; @app.get("/weather")
;; async def weather(city: str, request: Request):
;;     return (await request.app.state.http.get(URL, params={"q": city})).json()
;; ```
;; No quick fix: hoisting the client changes its lifetime, which needs a place to close it.
;;
;; ## References
;; - HTTPX, "Client instances": https://www.python-httpx.org/advanced/clients/
;; - FastAPI, "Lifespan Events": https://fastapi.tiangolo.com/advanced/events/
;; '''
; A client constructor called in a route handler or a dependency of one, outside tests.
((call
  function: [(identifier) (attribute)] @function
  arguments: (argument_list)) @finding
  (#resolves-to? @function
    "httpx.AsyncClient" "httpx.Client"
    "requests.Session" "requests.session"
    "aiohttp.ClientSession"
    "qdrant_client.QdrantClient" "qdrant_client.AsyncQdrantClient"
    "openai.OpenAI" "openai.AsyncOpenAI" "openai.AzureOpenAI" "openai.AsyncAzureOpenAI"
    "anthropic.Anthropic" "anthropic.AsyncAnthropic"
    "pymongo.MongoClient" "motor.motor_asyncio.AsyncIOMotorClient"
    "redis.Redis" "redis.StrictRedis" "redis.from_url" "redis.asyncio.Redis" "redis.asyncio.from_url"
    "redis.Redis.from_url" "redis.asyncio.Redis.from_url"
    "boto3.client" "boto3.resource" "boto3.Session" "boto3.session.Session" "aioboto3.Session"
    "asyncpg.create_pool"
    "sqlalchemy.create_engine" "sqlalchemy.ext.asyncio.create_async_engine"
    "elasticsearch.Elasticsearch" "elasticsearch.AsyncElasticsearch")
  (#not-test-path?)
  (#request-handler! @finding "handler"))
