//! What one Python file contributes to the project model: web apps, routers
//! and routes, middleware, exception handlers, settings classes,
//! environment reads, ORM models, listen ports and the capabilities its
//! imports and text show (rate limiting, authentication, ...).

use crate::python::PythonNode as _;
use std::{
    collections::{BTreeMap, BTreeSet},
    ops::Range,
    path::Path,
};

use regex::Regex;
use std::sync::LazyLock;
use tree_sitter::{Node, Tree};

use crate::python::{self, Module, keyword_argument, string_value};
use crate::text::contains;

/// A web framework whose app a file creates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Framework {
    FastApi,
    Starlette,
    Flask,
    Django,
}

impl Framework {
    pub fn name(self) -> &'static str {
        match self {
            Framework::FastApi => "FastAPI",
            Framework::Starlette => "Starlette",
            Framework::Flask => "Flask",
            Framework::Django => "Django",
        }
    }

    /// Whether the app is an ASGI app with Starlette's exception handling.
    pub fn is_starlette_family(self) -> bool {
        matches!(self, Framework::FastApi | Framework::Starlette)
    }
}

/// What a project uses, found in imports, dependency files or code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Capability {
    RateLimiting,
    Authentication,
    StructuredLogging,
    RequestId,
    SecurityHeaders,
    /// Application metrics: Prometheus, OpenTelemetry metrics, StatsD.
    Metrics,
    /// Distributed tracing: OpenTelemetry, Sentry performance, Datadog APM.
    Tracing,
    /// Cross-origin resource sharing: a CORS middleware or extension, or
    /// `Access-Control-Allow-Origin` set by hand.
    Cors,
}

/// `app = FastAPI(...)` and friends.
#[derive(Clone, Debug, PartialEq)]
pub struct AppFact {
    pub framework: Framework,
    /// The variable holding it, when assigned to a name.
    pub var: Option<String>,
    /// Where a finding about the app points: `app = FastAPI`.
    pub range: Range<usize>,
    /// The end of the statement that creates the app (a new route goes after it).
    pub statement_end: usize,
    /// The indentation of that statement.
    pub indent: String,
}

/// `router = APIRouter(prefix=...)`, `bp = Blueprint(..., url_prefix=...)`.
#[derive(Clone, Debug, PartialEq)]
pub struct RouterFact {
    pub var: String,
    pub prefix: String,
    /// Its `dependencies=[...]` authenticate every route on it (see
    /// [`names_auth_dependency`]).
    pub authenticated: bool,
    /// The dependencies its `dependencies=[...]` names otherwise (their
    /// last dotted segment), which another module may show authenticate
    /// ([`DependencyFact`]).
    pub depends_on: Vec<String>,
}

/// A route registered on an app or router (`owner`), with its own path.
#[derive(Clone, Debug, PartialEq)]
pub struct RouteFact {
    /// The variable the route is registered on (`app`, `router`), or
    /// `urlpatterns` for Django, or empty for Starlette `Route(...)` lists.
    pub owner: String,
    pub path: String,
    pub range: Range<usize>,
    /// The handler is known and answers without touching anything: no
    /// call but response constructors and clocks, no `await`, no branch,
    /// no injected parameter (see [`shallow_handler`]).
    pub shallow: bool,
    /// The decorator's method (`get`, `post`, `route`), empty for routes
    /// not registered by a decorator.
    pub method: String,
    /// The route itself requires authentication: an auth dependency in
    /// its parameters or `dependencies=[...]`, or an auth decorator
    /// (`@login_required`).
    pub authenticated: bool,
    /// When it does not by name: the dependencies it names (in
    /// `dependencies=[...]`, `Depends(X)` parameters, parameter
    /// annotations such as `caller: Caller`), by their last dotted segment,
    /// which another module may show authenticate ([`DependencyFact`]).
    pub depends_on: Vec<String>,
}

/// A service the code talks to, as its imports show.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Backend {
    Database,
    Cache,
    VectorStore,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Database => "database",
            Backend::Cache => "cache",
            Backend::VectorStore => "vector store",
        }
    }
}

/// `app.include_router(users.router, prefix="/users")`, `register_blueprint`,
/// `mount`, or Django `path("api/", include("api.urls"))`.
#[derive(Clone, Debug, PartialEq)]
pub struct IncludeFact {
    pub owner: String,
    /// The dotted target, qualified through the imports where possible
    /// (`app.routers.users.router`), or a Django module (`api.urls`).
    pub target: String,
    pub prefix: String,
    /// Flask's `register_blueprint(url_prefix=...)` replaces the
    /// blueprint's own prefix instead of adding to it.
    pub replaces_prefix: bool,
    /// A Django `include("module")` (the target is a module's urlpatterns).
    pub module_include: bool,
    /// `include_router(..., dependencies=[...])` with an auth dependency.
    pub authenticated: bool,
    /// The other dependencies of its `dependencies=[...]` (see
    /// [`RouterFact::depends_on`]).
    pub depends_on: Vec<String>,
}

/// A module-level function or alias that routes can depend on: `def
/// load_caller(token: str = Depends(oauth2_scheme))`, `Caller =
/// Annotated[User, Depends(load_caller)]`. The project resolves them by
/// name across modules (`routing.rs`), so a route that depends on one
/// defined elsewhere counts as authenticated when it, or anything it
/// depends on, authenticates.
#[derive(Clone, Debug, PartialEq)]
pub struct DependencyFact {
    pub name: String,
    /// Its own parameters or value name an auth dependency.
    pub authenticated: bool,
    /// The dependencies it names otherwise (last dotted segments).
    pub depends_on: Vec<String>,
}

/// A pydantic `BaseSettings` class.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsClass {
    pub name: String,
    pub range: Range<usize>,
    pub env_prefix: String,
    /// Environment variable names (prefix + field, upper-cased, or alias).
    pub variables: Vec<String>,
    /// The field names, as written.
    pub fields: Vec<String>,
    /// Fields that must differ in production and default to a development
    /// value (`debug: bool = True`, `cors_origins = ["*"]`,
    /// `log_level = "DEBUG"`): the field and its default as written.
    pub development_defaults: Vec<(String, String)>,
    /// Every field's default as written (`None`: no default, the
    /// environment must give it), in the order of `fields`.
    pub defaults: Vec<Option<String>>,
}

/// A switch that must be off in production, given a settings attribute
/// at a call: `allow_origins=settings.CORS_ORIGINS` (CORS),
/// `debug=settings.DEBUG`, `reload=get_settings().reload`.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingUse {
    /// The keyword argument: `allow_origins`, `debug` or `reload`.
    pub keyword: String,
    /// The value as written (`settings.CORS_ORIGINS`).
    pub written: String,
    /// The attribute read (`CORS_ORIGINS`).
    pub attribute: String,
    /// The keyword argument.
    pub range: Range<usize>,
}

/// `os.getenv("NAME")`, `os.environ["NAME"]`, `config("NAME")`.
#[derive(Clone, Debug, PartialEq)]
pub struct EnvRead {
    pub name: String,
    pub range: Range<usize>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Orm {
    SqlAlchemy,
    Django,
}

/// An ORM model class.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFact {
    pub name: String,
    pub orm: Orm,
    pub range: Range<usize>,
    /// The table (`__tablename__`, or SQLModel's lower-cased class name).
    pub table: Option<String>,
    /// The columns the class body declares itself (SQLAlchemy and SQLModel;
    /// inherited ones are not known).
    pub columns: Vec<ColumnFact>,
}

/// A column declared in a model's body.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnFact {
    pub name: String,
    /// The whole declaration (`email: str = Field(index=True)`).
    pub range: Range<usize>,
    /// `index=True`, `unique=True`, `primary_key=True`, or named by an
    /// `Index`/`UniqueConstraint`/`PrimaryKeyConstraint` of `__table_args__`.
    pub indexed: bool,
    /// A `ForeignKey(...)` or SQLModel `foreign_key=` (indexed by MySQL,
    /// not by PostgreSQL or SQLite).
    pub foreign_key: bool,
}

/// A model column compared in a query: `.where(Note.created_at > since)`,
/// `.filter(Note.archived == False)`, `.filter_by(archived=False)`.
#[derive(Clone, Debug, PartialEq)]
pub struct LookupFact {
    /// The model class as written (its last dotted segment).
    pub model: String,
    pub column: String,
    /// `where`, `filter` or `filter_by`.
    pub method: String,
    pub range: Range<usize>,
    /// Where the query is built: the start of the enclosing function, or of
    /// the top-level statement (lookups of one scope usually make one query).
    pub scope: usize,
}

/// State a Python file keeps on the local disk: a SQLite file, an uploads
/// folder, a local vector store.
#[derive(Clone, Debug, PartialEq)]
pub struct LocalStateFact {
    /// What it is, for a message: `a SQLite database file`.
    pub what: &'static str,
    pub range: Range<usize>,
}

/// Everything a Python file contributes.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PythonFacts {
    /// The dotted module name from the path (`app/main.py` is `app.main`).
    pub module: String,
    pub is_test: bool,
    pub apps: Vec<AppFact>,
    pub routers: Vec<RouterFact>,
    pub routes: Vec<RouteFact>,
    pub includes: Vec<IncludeFact>,
    /// Middleware classes added (`add_middleware(X)`), Django `MIDDLEWARE`
    /// entries, and `@app.middleware("http")` functions (`http:<name>`).
    pub middleware: Vec<String>,
    /// Apps created with an auth dependency for every route
    /// (`FastAPI(dependencies=[Depends(verify_token)])`), by variable.
    pub authenticated_apps: Vec<String>,
    /// Apps created with other dependencies for every route, by variable,
    /// with their names (see [`RouterFact::depends_on`]).
    pub app_dependencies: Vec<(String, Vec<String>)>,
    /// Module-level functions and aliases routes may depend on.
    pub dependencies: Vec<DependencyFact>,
    /// Exception types (or status codes) with a handler.
    pub exception_handlers: Vec<String>,
    /// An `@app.middleware("http")` function catches `Exception`.
    pub catch_all_middleware: bool,
    pub settings: Vec<SettingsClass>,
    pub env_reads: Vec<EnvRead>,
    pub models: Vec<ModelFact>,
    /// Ports passed to `uvicorn.run(port=...)` / `app.run(port=...)`.
    pub listen_ports: Vec<u16>,
    pub capabilities: BTreeSet<Capability>,
    /// The backends this module imports a client of, each with the first
    /// package of `BACKEND_IMPORTS` (in the table's order) it imports.
    pub backends: BTreeMap<Backend, String>,
    /// Clients and pools opened at start-up (before a lifespan's `yield`,
    /// in an `on_event("startup")` handler) that the shutdown never
    /// mentions again: the client's qualified constructor, where.
    pub unclosed_clients: Vec<(String, Range<usize>)>,
    /// Columns compared in `filter`/`where`/`filter_by` calls.
    pub lookups: Vec<LookupFact>,
    /// Indexes declared outside a model's columns: `Index("ix", Note.body)`
    /// as (model, column), and Alembic's `op.create_index("ix", "notes",
    /// ["body"])` or an indexed column of `op.create_table` as (table,
    /// column).
    pub model_indexes: Vec<(String, String)>,
    pub table_indexes: Vec<(String, String)>,
    /// The code talks to MySQL (its driver, or a `mysql` URL).
    pub mysql: bool,
    /// `uvicorn.run(...)` / `uvicorn.Config(...)` calls: where, and whether
    /// they bound the graceful shutdown (`timeout_graceful_shutdown=`, or
    /// keyword arguments passed as `**options`, which may).
    pub server_runs: Vec<(Range<usize>, bool)>,
    /// Origins of a frontend's development server written in code
    /// (`http://localhost:5173`): a browser app on another origin calls
    /// this service.
    pub browser_origins: Vec<(String, Range<usize>)>,
    /// Top-level function and class names (a new route must not clash).
    pub top_level_names: BTreeSet<String>,
    /// A route path or prefix here is computed (`prefix=settings.API_V1`),
    /// so the full paths of the project's routes are not known for sure.
    pub computed_paths: bool,
    /// State written to the local disk (see [`LocalStateFact`]).
    pub local_state: Vec<LocalStateFact>,
    /// The module renders pages: templates, `HTMLResponse` routes, static
    /// files served as a site.
    pub serves_pages: bool,
    /// What the module sets when it is Django settings.
    pub django: Option<super::django::DjangoSettings>,
    /// Settings attributes passed to switches that must be off in
    /// production (see [`SettingUse`]).
    pub setting_uses: Vec<SettingUse>,
    /// Top-level `NAME = value` of a configuration module (`config.py`,
    /// `settings.py`, `conf.py`, outside Django settings): the name and
    /// its value as written (short values only).
    pub config_constants: Vec<(String, String)>,
    /// The settings module it selects through `DJANGO_SETTINGS_MODULE`
    /// (`wsgi.py`, `manage.py`), and where that name is written.
    pub django_settings_module: Option<(String, Range<usize>)>,
}

const APP_CONSTRUCTORS: [(&str, Framework); 6] = [
    ("fastapi.FastAPI", Framework::FastApi),
    ("fastapi.applications.FastAPI", Framework::FastApi),
    ("starlette.applications.Starlette", Framework::Starlette),
    ("flask.Flask", Framework::Flask),
    ("django.core.wsgi.get_wsgi_application", Framework::Django),
    ("django.core.asgi.get_asgi_application", Framework::Django),
];

const ROUTE_METHODS: [&str; 11] = [
    "get",
    "post",
    "put",
    "patch",
    "delete",
    "head",
    "options",
    "api_route",
    "route",
    "websocket",
    "trace",
];

/// Imported packages (by qualified prefix) that show a capability.
const CAPABILITY_IMPORTS: &[(&str, Capability)] = &[
    ("slowapi", Capability::RateLimiting),
    ("fastapi_limiter", Capability::RateLimiting),
    ("flask_limiter", Capability::RateLimiting),
    ("django_ratelimit", Capability::RateLimiting),
    ("ratelimit", Capability::RateLimiting),
    ("limits", Capability::RateLimiting),
    ("rest_framework.throttling", Capability::RateLimiting),
    ("starlette_rate_limit", Capability::RateLimiting),
    ("fastapi.security", Capability::Authentication),
    ("fastapi.Security", Capability::Authentication),
    ("flask_login", Capability::Authentication),
    ("flask_jwt_extended", Capability::Authentication),
    ("flask_httpauth", Capability::Authentication),
    ("jwt", Capability::Authentication),
    ("jose", Capability::Authentication),
    ("authlib", Capability::Authentication),
    ("fastapi_users", Capability::Authentication),
    ("fastapi_jwt_auth", Capability::Authentication),
    ("django.contrib.auth.decorators", Capability::Authentication),
    ("django.contrib.auth.mixins", Capability::Authentication),
    ("rest_framework.permissions", Capability::Authentication),
    ("rest_framework.authentication", Capability::Authentication),
    ("rest_framework_simplejwt", Capability::Authentication),
    ("starlette.authentication", Capability::Authentication),
    (
        "starlette.middleware.authentication",
        Capability::Authentication,
    ),
    ("firebase_admin.auth", Capability::Authentication),
    ("structlog", Capability::StructuredLogging),
    ("pythonjsonlogger", Capability::StructuredLogging),
    ("json_log_formatter", Capability::StructuredLogging),
    ("ecs_logging", Capability::StructuredLogging),
    ("asgi_correlation_id", Capability::RequestId),
    ("django_guid", Capability::RequestId),
    ("flask_request_id", Capability::RequestId),
    ("starlette_context", Capability::RequestId),
    ("secure", Capability::SecurityHeaders),
    ("flask_talisman", Capability::SecurityHeaders),
    ("csp", Capability::SecurityHeaders),
    ("django.middleware.security", Capability::SecurityHeaders),
    ("prometheus_client", Capability::Metrics),
    ("prometheus_fastapi_instrumentator", Capability::Metrics),
    ("starlette_exporter", Capability::Metrics),
    ("starlette_prometheus", Capability::Metrics),
    ("aioprometheus", Capability::Metrics),
    ("prometheus_flask_exporter", Capability::Metrics),
    ("django_prometheus", Capability::Metrics),
    ("opentelemetry.metrics", Capability::Metrics),
    ("opentelemetry.sdk.metrics", Capability::Metrics),
    ("statsd", Capability::Metrics),
    ("aiodogstatsd", Capability::Metrics),
    ("datadog", Capability::Metrics),
    ("logfire", Capability::Metrics),
    ("opentelemetry.trace", Capability::Tracing),
    ("opentelemetry.sdk.trace", Capability::Tracing),
    ("opentelemetry.instrumentation", Capability::Tracing),
    ("ddtrace", Capability::Tracing),
    ("elasticapm", Capability::Tracing),
    ("logfire", Capability::Tracing),
    ("langfuse", Capability::Tracing),
    ("fastapi.middleware.cors", Capability::Cors),
    ("starlette.middleware.cors", Capability::Cors),
    ("flask_cors", Capability::Cors),
    ("quart_cors", Capability::Cors),
    ("corsheaders", Capability::Cors),
    ("aiohttp_cors", Capability::Cors),
    ("sanic_ext", Capability::Cors),
    ("litestar.config.cors", Capability::Cors),
];

/// Imported packages (by qualified prefix) that are clients of a backend
/// service. In-process libraries (faiss, an in-memory cache) are not.
const BACKEND_IMPORTS: &[(&str, Backend)] = &[
    ("sqlalchemy", Backend::Database),
    ("sqlmodel", Backend::Database),
    ("psycopg", Backend::Database),
    ("psycopg2", Backend::Database),
    ("asyncpg", Backend::Database),
    ("aiopg", Backend::Database),
    ("pymongo", Backend::Database),
    ("motor", Backend::Database),
    ("beanie", Backend::Database),
    ("odmantic", Backend::Database),
    ("tortoise", Backend::Database),
    ("peewee", Backend::Database),
    ("databases", Backend::Database),
    ("pymysql", Backend::Database),
    ("aiomysql", Backend::Database),
    ("sqlite3", Backend::Database),
    ("aiosqlite", Backend::Database),
    ("django.db", Backend::Database),
    ("flask_sqlalchemy", Backend::Database),
    ("redis", Backend::Cache),
    ("aioredis", Backend::Cache),
    ("valkey", Backend::Cache),
    ("pymemcache", Backend::Cache),
    ("aiomcache", Backend::Cache),
    ("qdrant_client", Backend::VectorStore),
    ("chromadb", Backend::VectorStore),
    ("pinecone", Backend::VectorStore),
    ("weaviate", Backend::VectorStore),
    ("pymilvus", Backend::VectorStore),
    ("pgvector", Backend::VectorStore),
    ("elasticsearch", Backend::VectorStore),
    ("opensearchpy", Backend::VectorStore),
    ("langchain_qdrant", Backend::VectorStore),
    ("langchain_chroma", Backend::VectorStore),
    ("langchain_pinecone", Backend::VectorStore),
    ("langchain_postgres", Backend::VectorStore),
    ("langchain_weaviate", Backend::VectorStore),
    ("langchain_milvus", Backend::VectorStore),
    ("langchain_elasticsearch", Backend::VectorStore),
    ("langchain_community.vectorstores", Backend::VectorStore),
    ("llama_index.vector_stores", Backend::VectorStore),
];

/// Text that shows a capability wherever it appears in code (header names
/// set by hand, settings of Django/DRF, auth dependencies).
static CAPABILITY_TEXT: LazyLock<Vec<(Regex, Capability)>> = LazyLock::new(|| {
    [
        (
            r"DEFAULT_THROTTLE_CLASSES|\bRateLimit\w*Middleware\b|\bLimiter\(",
            Capability::RateLimiting,
        ),
        (
            r"\b(get_current_user|get_current_active_user|verify_token|verify_api_key|require_api_key|api_key_auth|login_required|permission_required|IsAuthenticated|DEFAULT_PERMISSION_CLASSES|DEFAULT_AUTHENTICATION_CLASSES|LoginRequiredMiddleware)\b|Depends\(\s*\w*auth\w*",
            Capability::Authentication,
        ),
        (
            r#"(?i)serialize\s*=\s*True|JSONFormatter|JsonFormatter|"\(\)":\s*"pythonjsonlogger"#,
            Capability::StructuredLogging,
        ),
        (
            r"(?i)x-request-id|x-correlation-id|CorrelationIdMiddleware|RequestIdMiddleware",
            Capability::RequestId,
        ),
        (
            r"(?i)content-security-policy|strict-transport-security|x-frame-options|x-content-type-options|SecurityMiddleware|SECURE_HSTS_SECONDS",
            Capability::SecurityHeaders,
        ),
        (
            r"\bmake_asgi_app\(|\bmake_wsgi_app\(|\bMeterProvider\(",
            Capability::Metrics,
        ),
        (
            r"\btraces_sample_rate\b|\btraces_sampler\b|\benable_tracing\s*=\s*True\b|\bTracerProvider\(|LANGCHAIN_TRACING_V2|LANGSMITH_TRACING",
            Capability::Tracing,
        ),
        (
            r#"(?i)\bCORSMiddleware\b|access-control-allow-origin|["']corsheaders["'.]"#,
            Capability::Cors,
        ),
    ]
    .into_iter()
    .map(|(pattern, capability)| (Regex::new(pattern).expect("capability regex"), capability))
    .collect()
});

/// The origin of a frontend's development server (React, Next.js and
/// Express on 3000/3001, Angular on 4200, Vite on 5173/5174).
static DEV_SERVER_ORIGIN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"https?://(localhost|127\.0\.0\.1):(3000|3001|4200|5173|5174)\b")
        .expect("origin regex")
});

/// A SQLite database in a file (not in memory), as a URL in a string.
static SQLITE_FILE_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^[rRbBuUfF]*("|')+([a-z]+\+)?sqlite(\+[a-z0-9_]+)?:///[^"'\s]"#)
        .expect("sqlite regex")
});

/// Code that renders HTML pages for browsers.
static SERVES_PAGES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bJinja2Templates\(|\brender_template(_string)?\(|\bTemplateResponse\(|response_class\s*=\s*HTMLResponse\b|\bStaticFiles\([^)]*\bhtml\s*=\s*True|\bmount_gradio_app\(|\bui\.run_with\(")
        .expect("pages regex")
});

/// A settings field that must differ in production, and the development
/// default it must not keep there (a regular expression over the default
/// as written).
const DEVELOPMENT_DEFAULTS: &[(&str, &str)] = &[
    (r"(?i)^(\w+_)?(debug|reload)(_mode)?$", r"^True$"),
    (
        r"(?i)(cors|origins$|allowed_hosts$)",
        r#"^[\[({]?\s*("|')\*("|')"#,
    ),
    (
        r"(?i)^(\w+_)?log(ging)?_level$",
        r#"(?i)^("|')debug("|')$|logging\.DEBUG$"#,
    ),
    (
        r"(?i)^((session|cookie)\w*_secure|secure_cookies?|https_only)$",
        r"^False$",
    ),
];

static DEVELOPMENT_DEFAULT_PATTERNS: LazyLock<Vec<(Regex, Regex)>> = LazyLock::new(|| {
    DEVELOPMENT_DEFAULTS
        .iter()
        .map(|(field, value)| {
            (
                Regex::new(field).expect("field regex"),
                Regex::new(value).expect("value regex"),
            )
        })
        .collect()
});

/// A name that holds the folder uploaded files are written to.
static UPLOAD_FOLDER_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(uploads?|uploaded_files|media)_(dir|folder|path|directory|root)$")
        .expect("upload regex")
});

/// Calls that keep state on the local disk, and the keyword argument that
/// must be passed for them to do so (empty: always).
const LOCAL_STATE_CALLS: &[(&str, &str, &str)] = &[
    ("sqlite3.connect", "", "a SQLite database file"),
    ("aiosqlite.connect", "", "a SQLite database file"),
    ("chromadb.PersistentClient", "", "a local Chroma store"),
    ("qdrant_client.QdrantClient", "path", "a local Qdrant store"),
    (
        "qdrant_client.AsyncQdrantClient",
        "path",
        "a local Qdrant store",
    ),
    ("lancedb.connect", "", "a local LanceDB store"),
    (
        "langchain_chroma.Chroma",
        "persist_directory",
        "a local Chroma store",
    ),
    (
        "langchain_community.vectorstores.Chroma",
        "persist_directory",
        "a local Chroma store",
    ),
    (
        "langgraph.checkpoint.sqlite.SqliteSaver.from_conn_string",
        "",
        "a SQLite checkpoint file",
    ),
];

/// Methods that write a local vector store or index to disk.
const LOCAL_STATE_METHODS: &[(&str, &str, &str)] = &[
    ("save_local", "", "a FAISS index on disk"),
    ("persist", "persist_dir", "a LlamaIndex store on disk"),
    ("from_defaults", "persist_dir", "a LlamaIndex store on disk"),
];

/// The dotted module name of a path: `src/app/main.py` is `src.app.main`,
/// `app/__init__.py` is `app`.
pub fn module_name(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = text.strip_suffix(".py").unwrap_or(&text);
    let text = text.strip_suffix("/__init__").unwrap_or(text);
    text.replace('/', ".")
}

/// Whether dotted name `a` and `b` name the same module, allowing one to
/// be a suffix of the other (`src.app.main` and `app.main`).
pub fn same_module(a: &str, b: &str) -> bool {
    let a = a.trim_start_matches('.');
    let b = b.trim_start_matches('.');
    if a.is_empty() || b.is_empty() {
        return false;
    }
    a == b || a.ends_with(&format!(".{b}")) || b.ends_with(&format!(".{a}"))
}

pub fn extract(path: &Path, text: &str, tree: &Tree) -> PythonFacts {
    extract_with(path, text, tree, &Module::new(tree.root_node(), text), None)
}

/// The kinds of the nodes the project facts are read from (see
/// [`Walker::visit`]): every node of these kinds, and no other, is handed
/// to the walker. The rules' combined query matches them in the walk it
/// makes anyway (see `registry`), so a check that derives these facts from
/// its own tree need not walk it a second time ([`extract_with`]).
pub const WALKED_KINDS: &[&str] = &[
    "call",
    "decorated_definition",
    "class_definition",
    "subscript",
    "string",
    "assignment",
];

/// [`extract`] with the module facts of the same tree already derived (by
/// the file check that parsed it): they are not derived again. With
/// `walked`, the nodes of the [`WALKED_KINDS`] of `tree` in document order
/// (a node before those inside it), as the check's query found them, the
/// tree is not walked for them.
pub fn extract_with(
    path: &Path,
    text: &str,
    tree: &Tree,
    module: &Module,
    walked: Option<&[Node<'_>]>,
) -> PythonFacts {
    let root = tree.root_node();
    let mut facts = PythonFacts {
        module: module_name(path),
        is_test: python::is_test_path(path),
        ..PythonFacts::default()
    };
    for qualified in module.imported() {
        for (package, capability) in CAPABILITY_IMPORTS {
            if qualified == package
                || qualified
                    .strip_prefix(package)
                    .is_some_and(|rest| rest.starts_with('.'))
            {
                facts.capabilities.insert(*capability);
            }
        }
    }
    // Per backend, the first package of the table the module imports: the
    // order of the table, not of the imports (which is a map's), so equal
    // modules always name the same package.
    for (package, backend) in BACKEND_IMPORTS {
        if !facts.backends.contains_key(backend)
            && module.imported().any(|qualified| {
                qualified == *package
                    || qualified
                        .strip_prefix(package)
                        .is_some_and(|rest| rest.starts_with('.'))
            })
        {
            facts.backends.insert(*backend, package.to_string());
        }
    }
    facts.mysql = ["pymysql", "aiomysql", "MySQLdb", "asyncmy", "mysql"]
        .iter()
        .any(|package| module.uses_package(package))
        || contains(text, "mysql+")
        || contains(text, "mysql://");
    if module.uses_package("loguru") && contains(text, "serialize=True") {
        facts.capabilities.insert(Capability::StructuredLogging);
    }
    facts.serves_pages = SERVES_PAGES.is_match(text);
    for (pattern, capability) in CAPABILITY_TEXT.iter() {
        if pattern.is_match(text) {
            facts.capabilities.insert(*capability);
        }
    }
    if !facts.is_test {
        for found in DEV_SERVER_ORIGIN.find_iter(text) {
            facts
                .browser_origins
                .push((found.as_str().to_string(), found.range()));
        }
    }
    let mut cursor = root.walk();
    for statement in root.named_children(&mut cursor) {
        if !facts.is_test
            && let Some(dependency) = dependency_fact(text, statement)
        {
            facts.dependencies.push(dependency);
        }
        let definition = if statement.kind_name() == "decorated_definition" {
            statement.field("definition")
        } else {
            Some(statement)
        };
        if let Some(definition) = definition
            && matches!(
                definition.kind_name(),
                "function_definition" | "class_definition"
            )
            && let Some(name) = definition.field("name")
        {
            facts
                .top_level_names
                .insert(text[name.byte_range()].to_string());
        }
        if statement.kind_name() == "expression_statement"
            && let Some(assignment) = statement.named_child(0)
            && assignment.kind_name() == "assignment"
            && let Some(left) = assignment.field("left")
            && let Some(right) = assignment.field("right")
        {
            let name = &text[left.byte_range()];
            if name == "INSTALLED_APPS" {
                facts.apps.push(AppFact {
                    framework: Framework::Django,
                    var: None,
                    range: left.byte_range(),
                    statement_end: statement.end_byte(),
                    indent: String::new(),
                });
            }
            if name == "MIDDLEWARE" {
                let mut items = right.walk();
                for item in right.named_children(&mut items) {
                    if let Some(value) = string_value(text, item) {
                        facts.middleware.push(value);
                    }
                }
            }
        }
    }
    if !facts.is_test {
        facts.django = super::django::extract(path, &facts.module, text, root);
    }
    let config_module = matches!(
        facts.module.rsplit('.').next(),
        Some("config" | "settings" | "conf" | "configuration")
    );
    if config_module && !facts.is_test && facts.django.is_none() {
        let mut cursor = root.walk();
        for statement in root.named_children(&mut cursor) {
            if statement.kind_name() == "expression_statement"
                && let Some(assignment) = statement.named_child(0)
                && assignment.kind_name() == "assignment"
                && let Some(left) = assignment.field("left")
                && left.kind_name() == "identifier"
                && let Some(right) = assignment.field("right")
                && right.byte_range().len() <= 200
            {
                facts.config_constants.push((
                    text[left.byte_range()].to_string(),
                    text[right.byte_range()].to_string(),
                ));
            }
        }
    }
    facts.django_settings_module = super::django::settings_module_reference(text);
    let mut walker = Walker {
        text,
        root,
        module,
        facts: &mut facts,
    };
    match walked {
        Some(nodes) => nodes.iter().for_each(|&node| walker.dispatch(node)),
        None => walker.visit(root),
    }
    unclosed_clients(text, root, module, &mut facts);
    // A Django project already counted by its settings need not count its
    // wsgi/asgi module again.
    if facts
        .apps
        .iter()
        .any(|app| app.framework == Framework::Django && app.var.is_none())
    {
        facts
            .apps
            .retain(|app| app.framework != Framework::Django || app.var.is_none());
    }
    facts
}

struct Walker<'a, 't> {
    text: &'a str,
    root: Node<'t>,
    module: &'a Module,
    facts: &'a mut PythonFacts,
}

impl Walker<'_, '_> {
    /// Visits `root` and every named node below it through named nodes, in
    /// document order (a node before its children), with one cursor for the
    /// whole walk, and hands each to [`Self::dispatch`].
    fn visit(&mut self, root: Node<'_>) {
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            let named = node.is_named();
            if named {
                self.dispatch(node);
            }
            if named && cursor.goto_first_child() {
                continue;
            }
            while !cursor.goto_next_sibling() {
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    /// Reads the facts of one node, if it is of one of the
    /// [`WALKED_KINDS`].
    fn dispatch(&mut self, node: Node<'_>) {
        let Some(kinds) = python::KINDS.as_ref() else {
            return;
        };
        // Kind ids, not names: a walk meets every node of every Python
        // file of a project.
        let kind = node.kind_id();
        if kind == kinds.call {
            self.call(node);
        } else if kind == kinds.decorated_definition {
            self.decorated(node);
        } else if kind == kinds.class_definition {
            self.class(node);
        } else if kind == kinds.subscript {
            self.subscript(node);
        } else if kind == kinds.string {
            self.sqlite_url(node);
        } else if kind == kinds.assignment {
            self.upload_folder(node);
        }
    }

    fn qualified(&self, node: Node<'_>) -> Option<String> {
        self.module.qualified_name(self.text, node)
    }

    fn first_string_argument(&self, arguments: Node<'_>) -> Option<String> {
        let first = arguments.named_child(0)?;
        string_value(self.text, first)
    }

    fn keyword_string(&self, arguments: Node<'_>, name: &str) -> Option<String> {
        keyword_argument(self.text, arguments, name)
            .and_then(|argument| argument.field("value"))
            .and_then(|value| string_value(self.text, value))
    }

    /// A path or prefix argument: a string literal or a module constant
    /// holding one. Anything else marks the file's paths as computed (and
    /// counts as empty).
    fn path_value(&mut self, value: Option<Node<'_>>) -> String {
        let Some(value) = value else {
            return String::new();
        };
        if let Some(text) = string_value(self.text, value) {
            return text;
        }
        if value.kind_name() == "identifier"
            && let Some(range) = self.module.constant_range(&self.text[value.byte_range()])
            && let Some(text) = self
                .root
                .named_descendant_for_byte_range(range.start, range.end)
                .and_then(|node| string_value(self.text, node))
        {
            return text;
        }
        self.facts.computed_paths = true;
        String::new()
    }

    fn keyword_path(&mut self, arguments: Node<'_>, names: &[&str]) -> String {
        let value = names.iter().find_map(|name| {
            keyword_argument(self.text, arguments, name)
                .and_then(|argument| argument.field("value"))
        });
        self.path_value(value)
    }

    /// The first positional argument as a path (`@app.get("/x")`).
    fn first_path(&mut self, arguments: Node<'_>) -> Option<String> {
        let first = arguments
            .named_child(0)
            .filter(|first| first.kind_name() != "keyword_argument")?;
        Some(self.path_value(Some(first)))
    }

    /// A SQLite file URL written in code (not a comparison with the prefix,
    /// not a docstring).
    fn sqlite_url(&mut self, string: Node<'_>) {
        let raw = &self.text[string.byte_range()];
        let django_engine = raw.trim_matches(['"', '\'']) == "django.db.backends.sqlite3";
        if !(SQLITE_FILE_URL.is_match(raw) || django_engine) || raw.contains(":memory:") {
            return;
        }
        if string.parent().is_some_and(|parent| {
            matches!(
                parent.kind_name(),
                "comparison_operator" | "expression_statement"
            )
        }) {
            return;
        }
        self.facts.local_state.push(LocalStateFact {
            what: "a SQLite database file",
            range: string.byte_range(),
        });
    }

    /// `UPLOAD_DIR = "uploads"`, a settings field `upload_dir: str = "..."`.
    fn upload_folder(&mut self, assignment: Node<'_>) {
        let (Some(left), Some(right)) = (assignment.field("left"), assignment.field("right"))
        else {
            return;
        };
        if left.kind_name() == "identifier"
            && UPLOAD_FOLDER_NAME.is_match(&self.text[left.byte_range()])
            && matches!(right.kind_name(), "string" | "call" | "binary_operator")
        {
            self.facts.local_state.push(LocalStateFact {
                what: "an uploads folder",
                range: assignment.byte_range(),
            });
        }
    }

    /// A call that keeps state on the local disk.
    fn local_state_call(
        &mut self,
        call: Node<'_>,
        function: Node<'_>,
        arguments: Node<'_>,
        qualified: &str,
    ) {
        let passes = |keyword: &str| {
            keyword.is_empty() || keyword_argument(self.text, arguments, keyword).is_some()
        };
        let in_memory = arguments
            .named_child(0)
            .and_then(|first| string_value(self.text, first))
            .is_some_and(|first| first == ":memory:");
        let mut found = LOCAL_STATE_CALLS
            .iter()
            .find(|(name, keyword, _)| *name == qualified && passes(keyword))
            .map(|(_, _, what)| *what);
        if found.is_none()
            && function.kind_name() == "attribute"
            && let Some(method) = function.field("attribute")
        {
            let method = &self.text[method.byte_range()];
            found = LOCAL_STATE_METHODS
                .iter()
                .find(|(name, keyword, _)| *name == method && passes(keyword))
                .map(|(_, _, what)| *what);
        }
        if let Some(what) = found
            && !in_memory
        {
            self.facts.local_state.push(LocalStateFact {
                what,
                range: call.byte_range(),
            });
        }
    }

    fn call(&mut self, call: Node<'_>) {
        let text = self.text;
        let (Some(function), Some(arguments)) = (call.field("function"), call.field("arguments"))
        else {
            return;
        };
        let qualified = self.qualified(function).unwrap_or_default();
        self.local_state_call(call, function, arguments, &qualified);
        self.setting_uses(function, arguments, &qualified);
        if let Some((_, framework)) = APP_CONSTRUCTORS.iter().find(|(name, _)| *name == qualified) {
            self.app(call, function, *framework);
            if let Some(argument) = keyword_argument(text, arguments, "dependencies")
                && let Some(var) = assigned_name(text, call)
            {
                let code = &text[argument.byte_range()];
                if names_auth_dependency(code) {
                    self.facts.authenticated_apps.push(var);
                } else {
                    self.facts
                        .app_dependencies
                        .push((var, dependency_names(code)));
                }
            }
            if let Some(handlers) = keyword_argument(text, arguments, "exception_handlers")
                .and_then(|argument| argument.field("value"))
            {
                let mut cursor = handlers.walk();
                for pair in handlers.named_children(&mut cursor) {
                    if let Some(key) = pair.field("key") {
                        self.facts
                            .exception_handlers
                            .push(text[key.byte_range()].to_string());
                    }
                }
            }
            return;
        }
        match qualified.as_str() {
            "fastapi.APIRouter" | "fastapi.routing.APIRouter" | "flask.Blueprint" => {
                let prefix = self.keyword_path(arguments, &["prefix", "url_prefix"]);
                if let Some(var) = assigned_name(text, call) {
                    let (authenticated, depends_on) = declared_dependencies(text, arguments);
                    self.facts.routers.push(RouterFact {
                        var,
                        prefix,
                        authenticated,
                        depends_on,
                    });
                }
                return;
            }
            "os.getenv"
            | "os.environ.get"
            | "os.environ.setdefault"
            | "os.environ.pop"
            | "decouple.config"
            | "environ.Env.str" => {
                if let Some(name) = self.first_string_argument(arguments) {
                    self.facts.env_reads.push(EnvRead {
                        name,
                        range: call.byte_range(),
                    });
                }
                return;
            }
            "uvicorn.run" | "hypercorn.run" => {
                self.listen_port(arguments);
                if qualified == "uvicorn.run" {
                    self.server_run(call, arguments);
                }
                return;
            }
            "uvicorn.Config" | "uvicorn.config.Config" => {
                self.server_run(call, arguments);
                return;
            }
            "django.urls.path" | "django.urls.re_path" | "django.conf.urls.url" => {
                self.django_path(call, arguments);
                return;
            }
            "starlette.routing.Route" | "starlette.routing.WebSocketRoute" => {
                if let Some(path) = self.first_path(arguments) {
                    self.facts.routes.push(RouteFact {
                        owner: String::new(),
                        path,
                        range: call.byte_range(),
                        shallow: false,
                        method: String::new(),
                        authenticated: false,
                        depends_on: Vec::new(),
                    });
                }
                return;
            }
            _ => {}
        }
        if matches!(
            last_name(text, function),
            "Index" | "UniqueConstraint" | "PrimaryKeyConstraint" | "create_index" | "create_table"
        ) {
            self.indexes(function, arguments);
        }
        // Method calls on an app or router: `X.include_router(...)`, ...
        if function.kind_name() != "attribute" {
            return;
        }
        let (Some(object), Some(method)) = (function.field("object"), function.field("attribute"))
        else {
            return;
        };
        let owner = text[object.byte_range()].to_string();
        match &text[method.byte_range()] {
            method @ ("filter" | "where" | "filter_by") if !self.facts.is_test => {
                self.lookups(function, arguments, method);
            }
            "include_router" | "register_blueprint" => {
                let Some(target) = arguments.named_child(0) else {
                    return;
                };
                let replaces = &text[method.byte_range()] == "register_blueprint";
                let prefix =
                    self.keyword_path(arguments, &[if replaces { "url_prefix" } else { "prefix" }]);
                let target = self
                    .qualified(target)
                    .unwrap_or_else(|| text[target.byte_range()].to_string());
                let (authenticated, depends_on) = declared_dependencies(text, arguments);
                self.facts.includes.push(IncludeFact {
                    owner,
                    target,
                    replaces_prefix: replaces && !prefix.is_empty(),
                    prefix,
                    module_include: false,
                    authenticated,
                    depends_on,
                });
            }
            "mount" => {
                let (Some(prefix), Some(target)) =
                    (self.first_path(arguments), arguments.named_child(1))
                else {
                    return;
                };
                let target = match target.kind_name() {
                    "keyword_argument" => target.field("value"),
                    _ => Some(target),
                };
                let target = target
                    .and_then(|target| self.qualified(target))
                    .unwrap_or_default();
                self.facts.includes.push(IncludeFact {
                    owner,
                    target,
                    prefix,
                    replaces_prefix: false,
                    module_include: false,
                    authenticated: false,
                    depends_on: Vec::new(),
                });
            }
            "add_api_route" | "add_url_rule" | "add_route" | "add_api_websocket_route" => {
                if let Some(path) = self.first_path(arguments) {
                    self.facts.routes.push(RouteFact {
                        owner,
                        path,
                        range: call.byte_range(),
                        shallow: false,
                        method: String::new(),
                        authenticated: false,
                        depends_on: Vec::new(),
                    });
                }
            }
            "add_middleware" => {
                if let Some(first) = arguments.named_child(0) {
                    let name = self
                        .qualified(first)
                        .unwrap_or_else(|| text[first.byte_range()].to_string());
                    self.facts.middleware.push(name);
                }
            }
            "add_exception_handler" => {
                if let Some(first) = arguments.named_child(0) {
                    self.facts
                        .exception_handlers
                        .push(text[first.byte_range()].to_string());
                }
            }
            "run"
                if self
                    .facts
                    .apps
                    .iter()
                    .any(|app| app.var.as_deref() == Some(&owner)) =>
            {
                self.listen_port(arguments);
            }
            _ => {}
        }
    }

    /// `allow_origins=settings.X` of a CORS middleware, `debug=settings.X`
    /// of an application or server run, `reload=settings.X` of uvicorn.
    fn setting_uses(&mut self, function: Node<'_>, arguments: Node<'_>, qualified: &str) {
        if self.facts.is_test {
            return;
        }
        let text = self.text;
        let last = qualified.rsplit('.').next().unwrap_or_default();
        let cors = last == "CORSMiddleware"
            || (last == "add_middleware" || last == "Middleware")
                && arguments
                    .named_child(0)
                    .is_some_and(|first| text[first.byte_range()].ends_with("CORSMiddleware"));
        let server = matches!(
            qualified,
            "uvicorn.run" | "uvicorn.Config" | "uvicorn.config.Config"
        );
        let application = server
            || matches!(last, "FastAPI" | "Starlette" | "Flask" | "Quart")
            || (function.kind_name() == "attribute" && matches!(last, "run" | "run_server"));
        let mut cursor = arguments.walk();
        for argument in arguments.named_children(&mut cursor) {
            if argument.kind_name() != "keyword_argument" {
                continue;
            }
            let (Some(name), Some(value)) = (argument.field("name"), argument.field("value"))
            else {
                continue;
            };
            let keyword = &text[name.byte_range()];
            let wanted = match keyword {
                "allow_origins" => cors,
                "debug" => application,
                "reload" => server,
                _ => false,
            };
            if !wanted || value.kind_name() != "attribute" {
                continue;
            }
            // `settings.X`, `get_settings().X`, `app.state.settings.X`,
            // `config.X`: an object named as configuration (not
            // `args.debug`, `self.debug`).
            let Some(attribute) = value.field("attribute") else {
                continue;
            };
            let named = |node: Node<'_>| {
                let name = text[node.byte_range()]
                    .rsplit('.')
                    .next()
                    .unwrap_or_default()
                    .to_ascii_lowercase();
                ["setting", "config", "conf", "cfg"]
                    .iter()
                    .any(|word| name.contains(word))
            };
            let object = value.field("object");
            let known_object = object.is_some_and(|object| match object.kind_name() {
                "identifier" | "attribute" => named(object),
                "call" => {
                    object
                        .field("arguments")
                        .is_some_and(|arguments| arguments.named_child_count() == 0)
                        && object.field("function").is_some_and(named)
                }
                _ => false,
            });
            if !known_object {
                continue;
            }
            self.facts.setting_uses.push(SettingUse {
                keyword: keyword.to_string(),
                written: text[value.byte_range()].to_string(),
                attribute: text[attribute.byte_range()].to_string(),
                range: argument.byte_range(),
            });
        }
    }

    fn server_run(&mut self, call: Node<'_>, arguments: Node<'_>) {
        let bounded = keyword_argument(self.text, arguments, "timeout_graceful_shutdown")
            .and_then(|argument| argument.field("value"))
            .is_some_and(|value| value.kind_name() != "none");
        let mut cursor = arguments.walk();
        let splat = arguments
            .named_children(&mut cursor)
            .any(|argument| argument.kind_name() == "dictionary_splat");
        self.facts
            .server_runs
            .push((call.byte_range(), bounded || splat));
    }

    fn listen_port(&mut self, arguments: Node<'_>) {
        if let Some(port) = keyword_argument(self.text, arguments, "port")
            .and_then(|argument| argument.field("value"))
            .filter(|value| value.kind_name() == "integer")
            .and_then(|value| self.text[value.byte_range()].parse().ok())
        {
            self.facts.listen_ports.push(port);
        }
    }

    fn app(&mut self, call: Node<'_>, function: Node<'_>, framework: Framework) {
        let statement = python::ancestors(self.root, call)
            .find(|node| node.kind_name() == "expression_statement")
            .unwrap_or(call);
        let var = assigned_name(self.text, call);
        let start = match var {
            Some(_) => statement.start_byte(),
            None => call.start_byte(),
        };
        self.facts.apps.push(AppFact {
            framework,
            var,
            range: start..function.end_byte(),
            statement_end: statement.end_byte(),
            indent: crate::fix::line_indent(self.text, statement.start_byte()).to_string(),
        });
    }

    fn django_path(&mut self, call: Node<'_>, arguments: Node<'_>) {
        let Some(path) = self.first_path(arguments) else {
            return;
        };
        let path = format!("/{}", path.trim_start_matches('^').trim_start_matches('/'));
        let view = arguments.named_child(1);
        if let Some(view) = view
            && view.kind_name() == "call"
            && let Some(function) = view.field("function")
            && self.qualified(function).as_deref() == Some("django.urls.include")
        {
            let target = view
                .field("arguments")
                .and_then(|arguments| self.first_string_argument(arguments))
                .unwrap_or_default();
            self.facts.includes.push(IncludeFact {
                owner: "urlpatterns".into(),
                target,
                prefix: path,
                replaces_prefix: false,
                module_include: true,
                authenticated: false,
                depends_on: Vec::new(),
            });
            return;
        }
        self.facts.routes.push(RouteFact {
            owner: "urlpatterns".into(),
            path,
            range: call.byte_range(),
            shallow: false,
            method: String::new(),
            authenticated: false,
            depends_on: Vec::new(),
        });
    }

    fn decorated(&mut self, node: Node<'_>) {
        let text = self.text;
        let function_name = node
            .field("definition")
            .and_then(|definition| definition.field("name"))
            .map(|name| text[name.byte_range()].to_string())
            .unwrap_or_default();
        let shallow = node
            .field("definition")
            .is_some_and(|definition| shallow_handler(text, definition));
        let authenticated = node
            .field("definition")
            .is_some_and(|definition| authenticated_handler(text, node, definition));
        let depends_on = match node.field("definition") {
            Some(definition) if !authenticated => handler_dependencies(text, node, definition),
            _ => Vec::new(),
        };
        let mut cursor = node.walk();
        for decorator in node.named_children(&mut cursor) {
            if decorator.kind_name() != "decorator" {
                continue;
            }
            let Some(call) = decorator
                .named_child(0)
                .filter(|call| call.kind_name() == "call")
            else {
                continue;
            };
            let (Some(function), Some(arguments)) =
                (call.field("function"), call.field("arguments"))
            else {
                continue;
            };
            if function.kind_name() != "attribute" {
                continue;
            }
            let (Some(object), Some(method)) =
                (function.field("object"), function.field("attribute"))
            else {
                continue;
            };
            let owner = text[object.byte_range()].to_string();
            let method = &text[method.byte_range()];
            if ROUTE_METHODS.contains(&method) {
                if let Some(path) = self.first_path(arguments) {
                    // Flask's `@app.route(..., methods=["GET", "POST"])`
                    // writes when one of its methods does.
                    let method = match method {
                        "route" => keyword_argument(text, arguments, "methods")
                            .and_then(|methods| flask_write_method(&text[methods.byte_range()]))
                            .unwrap_or(method),
                        method => method,
                    };
                    self.facts.routes.push(RouteFact {
                        owner,
                        path,
                        range: decorator.byte_range(),
                        shallow,
                        method: method.to_string(),
                        authenticated,
                        depends_on: depends_on.clone(),
                    });
                }
            } else if method == "exception_handler" || method == "errorhandler" {
                if let Some(first) = arguments.named_child(0) {
                    self.facts
                        .exception_handlers
                        .push(text[first.byte_range()].to_string());
                }
            } else if method == "middleware" {
                self.facts.middleware.push(format!("http:{function_name}"));
                let body = &text[node.byte_range()];
                if body.contains("except Exception") || body.contains("except:") {
                    self.facts.catch_all_middleware = true;
                }
            }
        }
    }

    fn class(&mut self, class: Node<'_>) {
        let text = self.text;
        let Some(name) = class.field("name") else {
            return;
        };
        let class_name = text[name.byte_range()].to_string();
        let Some(body) = class.field("body") else {
            return;
        };
        let mut bases = Vec::new();
        let mut table_keyword = false;
        if let Some(superclasses) = class.field("superclasses") {
            let mut cursor = superclasses.walk();
            for base in superclasses.named_children(&mut cursor) {
                if base.kind_name() == "keyword_argument" {
                    let key = base.field("name").map(|key| &text[key.byte_range()]);
                    let value = base.field("value").map(|value| &text[value.byte_range()]);
                    if key == Some("table") && value == Some("True") {
                        table_keyword = true;
                    }
                    continue;
                }
                bases.push(
                    self.qualified(base)
                        .unwrap_or_else(|| text[base.byte_range()].to_string()),
                );
            }
        }
        let is_settings = bases.iter().any(|base| {
            base == "pydantic_settings.BaseSettings"
                || base == "pydantic.BaseSettings"
                || base == "BaseSettings"
        });
        if is_settings {
            self.settings(class_name.clone(), name.byte_range(), body);
            return;
        }
        let body_text = &text[body.byte_range()];
        let orm = if bases
            .iter()
            .any(|base| base.starts_with("django.db.models.") && base.ends_with("Model"))
        {
            Some(Orm::Django)
        } else if table_keyword
            || body_text.contains("__tablename__")
            || bases.iter().any(|base| base.ends_with("db.Model"))
        {
            Some(Orm::SqlAlchemy)
        } else {
            None
        };
        if let Some(orm) = orm {
            let (table, columns) = match orm {
                Orm::SqlAlchemy => self.columns(body, table_keyword),
                Orm::Django => (None, Vec::new()),
            };
            let table = table.or_else(|| table_keyword.then(|| class_name.to_ascii_lowercase()));
            self.facts.models.push(ModelFact {
                name: class_name,
                orm,
                range: name.byte_range(),
                table,
                columns,
            });
        }
    }

    /// The `__tablename__` and the columns of a SQLAlchemy or SQLModel
    /// (`sqlmodel`) class body.
    fn columns(&self, body: Node<'_>, sqlmodel: bool) -> (Option<String>, Vec<ColumnFact>) {
        let text = self.text;
        let mut table = None;
        let mut columns = Vec::new();
        let mut table_args: Vec<String> = Vec::new();
        let mut cursor = body.walk();
        for statement in body.named_children(&mut cursor) {
            let Some(assignment) = statement.named_child(0).filter(|node| {
                statement.kind_name() == "expression_statement" && node.kind_name() == "assignment"
            }) else {
                continue;
            };
            let Some(left) = assignment
                .field("left")
                .filter(|left| left.kind_name() == "identifier")
            else {
                continue;
            };
            let name = &text[left.byte_range()];
            let right = assignment.field("right");
            if name == "__tablename__" {
                table = right.and_then(|right| string_value(text, right));
                continue;
            }
            if name == "__table_args__" {
                continue;
            }
            if name.starts_with('_') || name == "model_config" {
                continue;
            }
            let annotation = assignment
                .field("type")
                .map(|kind| &text[kind.byte_range()]);
            if annotation.is_some_and(|kind| kind.contains("ClassVar")) {
                continue;
            }
            let (indexed, foreign_key) = match right {
                Some(right) if right.kind_name() == "call" => {
                    let callee = right
                        .field("function")
                        .map(|function| last_name(text, function))
                        .unwrap_or_default();
                    if !matches!(callee, "Column" | "mapped_column" | "Field") {
                        continue;
                    }
                    let arguments = right
                        .field("arguments")
                        .map(|arguments| &text[arguments.byte_range()])
                        .unwrap_or_default();
                    (
                        INDEXED_ARGUMENT.is_match(arguments),
                        arguments.contains("ForeignKey(") || arguments.contains("foreign_key="),
                    )
                }
                // `title: Mapped[str]`; SQLModel's `title: str` or `title: str = ""`.
                None if annotation.is_some_and(|kind| sqlmodel || kind.starts_with("Mapped[")) => {
                    (false, false)
                }
                Some(_) if sqlmodel && annotation.is_some() => (false, false),
                _ => continue,
            };
            columns.push(ColumnFact {
                name: name.to_string(),
                range: statement.byte_range(),
                indexed,
                foreign_key,
            });
        }
        // Constraints anywhere in the body: `__table_args__` as a tuple, or
        // returned by a `@declared_attr` method.
        let mut walk = body.walk();
        loop {
            let node = walk.node();
            if node.kind_name() == "call" {
                constraint_columns(text, node, &mut table_args);
            }
            if walk.goto_first_child() {
                continue;
            }
            loop {
                if walk.node() == body {
                    break;
                }
                if walk.goto_next_sibling() {
                    break;
                }
                if !walk.goto_parent() {
                    break;
                }
            }
            if walk.node() == body {
                break;
            }
        }
        for column in &mut columns {
            if table_args.contains(&column.name) {
                column.indexed = true;
            }
        }
        (table, columns)
    }

    /// `.filter(...)`, `.where(...)`, `.filter_by(...)`: the model columns
    /// compared in them.
    fn lookups(&mut self, function: Node<'_>, arguments: Node<'_>, method: &str) {
        let text = self.text;
        let scope = query_scope(arguments);
        if method == "filter_by" {
            let Some(model) = function
                .field("object")
                .and_then(|object| queried_model(text, object))
            else {
                return;
            };
            let mut cursor = arguments.walk();
            for argument in arguments.named_children(&mut cursor) {
                if argument.kind_name() == "keyword_argument"
                    && let Some(name) = argument.field("name")
                {
                    self.facts.lookups.push(LookupFact {
                        model: model.clone(),
                        column: text[name.byte_range()].to_string(),
                        method: method.to_string(),
                        range: name.byte_range(),
                        scope,
                    });
                }
            }
            return;
        }
        let mut cursor = arguments.walk();
        loop {
            let node = cursor.node();
            if node.kind_name() == "attribute"
                && let Some((model, column)) = model_column(text, node)
                && indexable_use(text, node, &model)
            {
                self.facts.lookups.push(LookupFact {
                    model,
                    column,
                    method: method.to_string(),
                    range: node.byte_range(),
                    scope,
                });
            }
            // A nested query (`select(...)` as a value) has its own lookups.
            let descend = !(node.kind_name() == "call" && node != arguments && {
                node.field("function").is_some_and(|function| {
                    matches!(last_name(text, function), "where" | "filter" | "filter_by")
                })
            });
            if descend && cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.node() == arguments {
                    return;
                }
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return;
                }
            }
        }
    }

    /// `Index(...)`, `op.create_index(...)`, `op.create_table(...)`.
    fn indexes(&mut self, function: Node<'_>, arguments: Node<'_>) {
        let text = self.text;
        let name = last_name(text, function);
        let mut cursor = arguments.walk();
        let positional: Vec<Node<'_>> = arguments
            .named_children(&mut cursor)
            .filter(|argument| argument.kind_name() != "keyword_argument")
            .collect();
        match name {
            "Index" | "UniqueConstraint" | "PrimaryKeyConstraint" => {
                for argument in &positional {
                    if argument.kind_name() == "attribute"
                        && let Some(pair) = model_column(text, *argument)
                    {
                        self.facts.model_indexes.push(pair);
                    }
                }
            }
            "create_index" => {
                let (Some(table), Some(columns)) = (
                    positional
                        .get(1)
                        .and_then(|table| string_value(text, *table)),
                    positional.get(2),
                ) else {
                    return;
                };
                let mut names = Vec::new();
                constraint_columns(text, *columns, &mut names);
                let mut items = columns.walk();
                for item in columns.named_children(&mut items) {
                    if let Some(column) = string_value(text, item) {
                        names.push(column);
                    }
                }
                for column in names {
                    self.facts.table_indexes.push((table.clone(), column));
                }
            }
            "create_table" => {
                let Some(table) = positional
                    .first()
                    .and_then(|table| string_value(text, *table))
                else {
                    return;
                };
                let mut names = Vec::new();
                for argument in &positional[1..] {
                    if argument.kind_name() != "call" {
                        continue;
                    }
                    let callee = argument
                        .field("function")
                        .map(|function| last_name(text, function))
                        .unwrap_or_default();
                    let Some(inner) = argument.field("arguments") else {
                        continue;
                    };
                    if callee == "Column" {
                        if INDEXED_ARGUMENT.is_match(&text[inner.byte_range()])
                            && let Some(column) = inner
                                .named_child(0)
                                .and_then(|first| string_value(text, first))
                        {
                            names.push(column);
                        }
                    } else {
                        constraint_columns(text, *argument, &mut names);
                    }
                }
                for column in names {
                    self.facts.table_indexes.push((table.clone(), column));
                }
            }
            _ => {}
        }
    }

    /// A settings field's default: the value, or `Field(default)` /
    /// `Field(default=...)`'s.
    fn field_default<'t>(&self, right: Node<'t>) -> Option<Node<'t>> {
        if right.kind_name() != "call" {
            return Some(right);
        }
        let function = right.field("function")?;
        let arguments = right.field("arguments")?;
        if !matches!(
            &self.text[function.byte_range()],
            "Field" | "pydantic.Field"
        ) {
            return None;
        }
        keyword_argument(self.text, arguments, "default")
            .and_then(|argument| argument.field("value"))
            .or_else(|| {
                arguments
                    .named_child(0)
                    .filter(|first| first.kind_name() != "keyword_argument")
            })
    }

    fn settings(&mut self, name: String, range: Range<usize>, body: Node<'_>) {
        let text = self.text;
        let mut env_prefix = String::new();
        let mut fields: Vec<(String, Option<String>)> = Vec::new();
        let mut defaults: Vec<Option<String>> = Vec::new();
        let mut development_defaults = Vec::new();
        let mut cursor = body.walk();
        for statement in body.named_children(&mut cursor) {
            match statement.kind_name() {
                "expression_statement" => {
                    let Some(assignment) = statement
                        .named_child(0)
                        .filter(|node| node.kind_name() == "assignment")
                    else {
                        continue;
                    };
                    let Some(left) = assignment.field("left") else {
                        continue;
                    };
                    let field = &text[left.byte_range()];
                    let right = assignment.field("right");
                    if field == "model_config" {
                        if let Some(arguments) = right.and_then(|right| right.field("arguments"))
                            && let Some(prefix) = self.keyword_string(arguments, "env_prefix")
                        {
                            env_prefix = prefix;
                        }
                        if let Some(right) = right
                            && right.kind_name() == "dictionary"
                        {
                            let mut pairs = right.walk();
                            for pair in right.named_children(&mut pairs) {
                                let key = pair.field("key").and_then(|key| string_value(text, key));
                                let value = pair
                                    .field("value")
                                    .and_then(|value| string_value(text, value));
                                if key.as_deref() == Some("env_prefix")
                                    && let Some(value) = value
                                {
                                    env_prefix = value;
                                }
                            }
                        }
                        continue;
                    }
                    let Some(annotation) = assignment.field("type") else {
                        continue;
                    };
                    if field.starts_with('_') || is_nested_settings(&text[annotation.byte_range()])
                    {
                        continue;
                    }
                    let default = right.and_then(|right| self.field_default(right));
                    defaults.push(default.map(|default| text[default.byte_range()].to_string()));
                    if let Some(default) = default {
                        let written = &text[default.byte_range()];
                        if DEVELOPMENT_DEFAULT_PATTERNS
                            .iter()
                            .any(|(name, value)| name.is_match(field) && value.is_match(written))
                        {
                            development_defaults.push((field.to_string(), written.to_string()));
                        }
                    }
                    let alias = right
                        .filter(|right| right.kind_name() == "call")
                        .and_then(|right| right.field("arguments"))
                        .and_then(|arguments| {
                            self.keyword_string(arguments, "validation_alias")
                                .or_else(|| self.keyword_string(arguments, "alias"))
                                .or_else(|| self.keyword_string(arguments, "env"))
                        });
                    fields.push((field.to_string(), alias));
                }
                "class_definition" => {
                    let is_config = statement
                        .field("name")
                        .is_some_and(|name| &text[name.byte_range()] == "Config");
                    if is_config && let Some(config_body) = statement.field("body") {
                        let mut inner = config_body.walk();
                        for line in config_body.named_children(&mut inner) {
                            if let Some(assignment) = line.named_child(0)
                                && assignment.kind_name() == "assignment"
                                && assignment
                                    .field("left")
                                    .is_some_and(|left| &text[left.byte_range()] == "env_prefix")
                                && let Some(value) = assignment
                                    .field("right")
                                    .and_then(|right| string_value(text, right))
                            {
                                env_prefix = value;
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let variables = fields
            .iter()
            .map(|(field, alias)| match alias {
                Some(alias) => alias.to_ascii_uppercase(),
                None => format!("{env_prefix}{field}").to_ascii_uppercase(),
            })
            .collect();
        self.facts.settings.push(SettingsClass {
            name,
            range,
            env_prefix,
            variables,
            fields: fields.into_iter().map(|(field, _)| field).collect(),
            development_defaults,
            defaults,
        });
    }

    /// `os.environ["NAME"]`.
    fn subscript(&mut self, node: Node<'_>) {
        let Some(value) = node.field("value") else {
            return;
        };
        if self.qualified(value).as_deref() != Some("os.environ") {
            return;
        }
        if let Some(key) = node.field("subscript")
            && let Some(name) = string_value(self.text, key)
        {
            self.facts.env_reads.push(EnvRead {
                name,
                range: node.byte_range(),
            });
        }
    }
}

/// Calls a handler may make and still touch nothing: response and
/// container constructors, conversions, clocks.
const PURE_CALLS: [&str; 24] = [
    "dict",
    "list",
    "tuple",
    "str",
    "int",
    "float",
    "bool",
    "round",
    "JSONResponse",
    "ORJSONResponse",
    "UJSONResponse",
    "PlainTextResponse",
    "HTMLResponse",
    "Response",
    "jsonify",
    "make_response",
    "HttpResponse",
    "JsonResponse",
    "now",
    "utcnow",
    "today",
    "time",
    "monotonic",
    "isoformat",
];

/// Whether a route handler (a `function_definition`) answers without
/// touching anything: its parameters are only the request or response,
/// its body has no `await`, no branch, loop, `try`, `with` or `raise`, and
/// every call in it is a constructor (a capitalised name, such as a
/// response model) or one of [`PURE_CALLS`].
pub fn shallow_handler(text: &str, definition: Node<'_>) -> bool {
    if definition.kind_name() != "function_definition" {
        return false;
    }
    if let Some(parameters) = definition.field("parameters") {
        let mut cursor = parameters.walk();
        for parameter in parameters.named_children(&mut cursor) {
            let ok = match parameter.kind_name() {
                "identifier" => matches!(&text[parameter.byte_range()], "request" | "response"),
                "typed_parameter" => parameter
                    .field("type")
                    .is_some_and(|kind| matches!(&text[kind.byte_range()], "Request" | "Response")),
                _ => false,
            };
            if !ok {
                return false;
            }
        }
    }
    let Some(body) = definition.field("body") else {
        return false;
    };
    let mut cursor = body.walk();
    loop {
        let node = cursor.node();
        match node.kind_name() {
            "await"
            | "if_statement"
            | "for_statement"
            | "while_statement"
            | "try_statement"
            | "with_statement"
            | "raise_statement"
            | "conditional_expression"
            | "lambda"
            | "function_definition"
            | "class_definition"
            | "yield"
            | "match_statement"
            | "global_statement"
            | "nonlocal_statement"
            | "ERROR" => return false,
            "call" => {
                let Some(function) = node.field("function") else {
                    return false;
                };
                let name = match function.kind_name() {
                    "identifier" => &text[function.byte_range()],
                    "attribute" => function
                        .field("attribute")
                        .map_or("", |name| &text[name.byte_range()]),
                    _ => return false,
                };
                let constructor = function.kind_name() == "identifier"
                    && name.starts_with(|c: char| c.is_ascii_uppercase());
                if !constructor && !PURE_CALLS.contains(&name) {
                    return false;
                }
            }
            _ => {}
        }
        if cursor.goto_first_child() {
            continue;
        }
        loop {
            if cursor.node() == body {
                return true;
            }
            if cursor.goto_next_sibling() {
                break;
            }
            if !cursor.goto_parent() {
                return true;
            }
        }
    }
}

/// Constructors of clients and pools that hold connections until closed.
const CLIENT_CONSTRUCTORS: [&str; 27] = [
    "httpx.AsyncClient",
    "redis.Redis.from_url",
    "redis.asyncio.Redis.from_url",
    "httpx.Client",
    "aiohttp.ClientSession",
    "sqlalchemy.create_engine",
    "sqlalchemy.ext.asyncio.create_async_engine",
    "redis.Redis",
    "redis.from_url",
    "redis.asyncio.Redis",
    "redis.asyncio.from_url",
    "redis.asyncio.ConnectionPool",
    "redis.asyncio.ConnectionPool.from_url",
    "aioredis.from_url",
    "aioredis.Redis",
    "asyncpg.create_pool",
    "motor.motor_asyncio.AsyncIOMotorClient",
    "pymongo.MongoClient",
    "pymongo.AsyncMongoClient",
    "qdrant_client.AsyncQdrantClient",
    "qdrant_client.QdrantClient",
    "elasticsearch.AsyncElasticsearch",
    "aiokafka.AIOKafkaProducer",
    "aiokafka.AIOKafkaConsumer",
    "arq.create_pool",
    "psycopg_pool.AsyncConnectionPool",
    "psycopg_pool.ConnectionPool",
];

/// Start-up code and the shutdown code that goes with it: a lifespan
/// (an `@asynccontextmanager` function passed as `lifespan=` or named so)
/// before and after its `yield`, and `on_event("startup")` handlers with
/// the `on_event("shutdown")` handlers of the same file.
fn unclosed_clients(text: &str, root: Node<'_>, module: &Module, facts: &mut PythonFacts) {
    // Start-up code is found by its decorators' text: without either word
    // the walk below finds none (most modules).
    if facts.is_test || !(contains(text, "asynccontextmanager") || contains(text, "on_event(")) {
        return;
    }
    let mut startup: Vec<(Node<'_>, Range<usize>)> = Vec::new();
    let mut shutdown_text = String::new();
    let mut cursor = root.walk();
    let mut stack = vec![root];
    while let Some(node) = stack.pop() {
        if node.kind_name() == "decorated_definition"
            && let Some(definition) = node.field("definition")
            && definition.kind_name() == "function_definition"
            && let Some(body) = definition.field("body")
        {
            let name = definition
                .field("name")
                .map_or("", |name| &text[name.byte_range()]);
            let decorators: Vec<&str> = node
                .named_children(&mut cursor)
                .filter(|child| child.kind_name() == "decorator")
                .map(|decorator| &text[decorator.byte_range()])
                .collect();
            if decorators
                .iter()
                .any(|decorator| decorator.ends_with("asynccontextmanager"))
                && (name.contains("lifespan") || text.contains(&format!("lifespan={name}")))
                && let Some(at) = first_yield(body)
            {
                startup.push((body, body.start_byte()..at.start));
                shutdown_text.push_str(&text[at.end..body.end_byte()]);
            }
            for decorator in &decorators {
                if decorator.contains("on_event(") {
                    if decorator.contains("startup") {
                        startup.push((body, body.byte_range()));
                    } else if decorator.contains("shutdown") {
                        shutdown_text.push_str(&text[body.byte_range()]);
                    }
                }
            }
        }
        stack.extend(node.named_children(&mut cursor).filter(|child| {
            matches!(
                child.kind_name(),
                "decorated_definition"
                    | "function_definition"
                    | "class_definition"
                    | "block"
                    | "if_statement"
                    | "else_clause"
            )
        }));
    }
    // Shutdown wired by hand: not judged.
    if contains(text, "add_event_handler(\"shutdown\"") || contains(text, "on_shutdown=") {
        return;
    }
    for (body, part) in startup {
        let mut walk = body.walk();
        let mut nodes = vec![body];
        while let Some(node) = nodes.pop() {
            if node.start_byte() >= part.end || node.end_byte() <= part.start {
                continue;
            }
            if node.kind_name() == "assignment"
                && let (Some(left), Some(mut right)) = (node.field("left"), node.field("right"))
            {
                if right.kind_name() == "await"
                    && let Some(inner) = right.named_child(0)
                {
                    right = inner;
                }
                let constructor = (right.kind_name() == "call")
                    .then(|| right.field("function"))
                    .flatten()
                    .and_then(|function| module.qualified_name(text, function));
                if let Some(constructor) = constructor
                    && CLIENT_CONSTRUCTORS.contains(&constructor.as_str())
                {
                    let target = &text[left.byte_range()];
                    let last = target
                        .rsplit(['.', '[', '"', '\''])
                        .find(|part| !part.is_empty() && *part != "]")
                        .unwrap_or(target);
                    let mentioned = Regex::new(&format!(r"\b{}\b", regex::escape(last)))
                        .is_ok_and(|pattern| pattern.is_match(&shutdown_text));
                    if !mentioned {
                        facts
                            .unclosed_clients
                            .push((constructor, right.byte_range()));
                    }
                }
            }
            if !matches!(
                node.kind_name(),
                "function_definition" | "lambda" | "class_definition"
            ) || node == body
            {
                nodes.extend(node.named_children(&mut walk));
            }
        }
    }
}

/// Where the first `yield` of a function body is (nested functions aside).
fn first_yield(body: Node<'_>) -> Option<Range<usize>> {
    let mut cursor = body.walk();
    let mut nodes = vec![body];
    let mut found: Option<Range<usize>> = None;
    while let Some(node) = nodes.pop() {
        if node.kind_name() == "yield" {
            if found.as_ref().is_none_or(|at| node.start_byte() < at.start) {
                found = Some(node.byte_range());
            }
            continue;
        }
        if node == body
            || !matches!(
                node.kind_name(),
                "function_definition" | "lambda" | "class_definition"
            )
        {
            nodes.extend(node.named_children(&mut cursor));
        }
    }
    found
}

/// `index=True`, `unique=True` or `primary_key=True` among a column's
/// arguments (or a nested `sa_column=Column(...)`'s).
static INDEXED_ARGUMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(index|unique|primary_key)\s*=\s*True\b").expect("indexed regex")
});

/// The last name of a callee: `Column` for `sa.Column` and `Column`.
fn last_name<'a>(text: &'a str, function: Node<'_>) -> &'a str {
    match function.kind_name() {
        "identifier" => &text[function.byte_range()],
        "attribute" => function
            .field("attribute")
            .map_or("", |name| &text[name.byte_range()]),
        _ => "",
    }
}

/// `Note.created_at` (or `models.Note.created_at`) as (model, column): a
/// capitalised class name and a column that is not a constant.
fn model_column(text: &str, attribute: Node<'_>) -> Option<(String, String)> {
    let object = attribute.field("object")?;
    let column = &text[attribute.field("attribute")?.byte_range()];
    let model = match object.kind_name() {
        "identifier" => &text[object.byte_range()],
        "attribute" => &text[object.field("attribute")?.byte_range()],
        _ => return None,
    };
    let capitalised = model.starts_with(|c: char| c.is_ascii_uppercase());
    let constant = column
        .chars()
        .all(|c| c.is_ascii_uppercase() || c == '_' || c.is_ascii_digit());
    (capitalised && !constant && !column.starts_with('_'))
        .then(|| (model.to_string(), column.to_string()))
}

/// The start of the function a query is built in, or of its top-level
/// statement.
fn query_scope(mut node: Node<'_>) -> usize {
    while let Some(parent) = node.parent() {
        if matches!(parent.kind_name(), "function_definition" | "module") {
            return node.start_byte();
        }
        node = parent;
    }
    node.start_byte()
}

/// Whether a model column inside a query's condition is compared where an
/// index on it could serve the query: `Note.day > d`, `Note.id == x`,
/// `Note.id.in_(ids)`, `Note.slug.like("abc%")`, a boolean column alone,
/// SQLModel's `col(Note.id)` for the column. Not: a column compared with
/// another of the same row (`A.amount > A.used`), inside arithmetic or a
/// function (`A.created + A.delay <= now()`, `func.lower(A.email)`), a null
/// check (`is_(None)`, `== None`), `!=`, or a pattern with a leading
/// wildcard (`ilike(f"%{q}%")`): no plain index serves those.
fn indexable_use(text: &str, column: Node<'_>, model: &str) -> bool {
    let mut operand = column;
    if let Some(call) = column
        .parent()
        .filter(|arguments| {
            arguments.kind_name() == "argument_list" && arguments.named_child_count() == 1
        })
        .and_then(|arguments| arguments.parent())
        .filter(|call| {
            call.kind_name() == "call"
                && call
                    .field("function")
                    .is_some_and(|function| last_name(text, function) == "col")
        })
    {
        operand = call;
    }
    let Some(parent) = operand.parent() else {
        return false;
    };
    match parent.kind_name() {
        "comparison_operator" => {
            let mut cursor = parent.walk();
            let operands: Vec<Node<'_>> = parent
                .named_children(&mut cursor)
                .filter(|node| node.kind_name() != "comment")
                .collect();
            let operator = parent
                .field("operators")
                .map_or("", |operator| &text[operator.byte_range()]);
            let Some(other) = operands.iter().find(|node| **node != operand) else {
                return false;
            };
            operands.len() == 2
                && matches!(operator, "==" | "<" | ">" | "<=" | ">=")
                && other.kind_name() != "none"
                && !(other.kind_name() == "attribute"
                    && model_column(text, *other).is_some_and(|(other, _)| other == model))
        }
        "attribute" if parent.field("object") == Some(operand) => {
            let method = parent
                .field("attribute")
                .map_or("", |name| &text[name.byte_range()]);
            let pattern = parent
                .parent()
                .filter(|call| call.kind_name() == "call")
                .and_then(|call| call.field("arguments"))
                .and_then(|arguments| arguments.named_child(0));
            match method {
                "in_" | "between" | "startswith" | "istartswith" => true,
                "like" | "ilike" => pattern.is_some_and(|pattern| {
                    !text[pattern.byte_range()]
                        .trim_start_matches(|c: char| c == '(' || c.is_ascii_alphabetic())
                        .trim_start_matches(['"', '\''])
                        .starts_with('%')
                }),
                _ => false,
            }
        }
        // A boolean column as a condition of its own.
        "argument_list" => parent
            .parent()
            .and_then(|call| call.field("function"))
            .is_some_and(|function| {
                matches!(
                    last_name(text, function),
                    "where" | "filter" | "and_" | "or_"
                )
            }),
        _ => false,
    }
}

/// The model a `filter_by` applies to, from the query it is called on:
/// `session.query(Note)`, `select(Note)`, Flask-SQLAlchemy's `Note.query`,
/// through the calls chained between.
fn queried_model(text: &str, mut node: Node<'_>) -> Option<String> {
    for _ in 0..12 {
        match node.kind_name() {
            "call" => {
                let function = node.field("function")?;
                if matches!(last_name(text, function), "query" | "select") {
                    let first = node.field("arguments")?.named_child(0)?;
                    let name = match first.kind_name() {
                        "identifier" => &text[first.byte_range()],
                        "attribute" => &text[first.field("attribute")?.byte_range()],
                        _ => return None,
                    };
                    return name
                        .starts_with(|c: char| c.is_ascii_uppercase())
                        .then(|| name.to_string());
                }
                node = function;
            }
            "attribute" => {
                let object = node.field("object")?;
                let attribute = &text[node.field("attribute")?.byte_range()];
                if attribute == "query" && object.kind_name() == "identifier" {
                    let name = &text[object.byte_range()];
                    return name
                        .starts_with(|c: char| c.is_ascii_uppercase())
                        .then(|| name.to_string());
                }
                node = object;
            }
            _ => return None,
        }
    }
    None
}

/// The column names of `Index("ix", "a", "b")`, `UniqueConstraint("a")`,
/// `PrimaryKeyConstraint("id")` calls found in `node` (a `__table_args__`
/// tuple, one call, a list), an index's own name left out.
fn constraint_columns(text: &str, node: Node<'_>, out: &mut Vec<String>) {
    if node.kind_name() == "call" {
        let Some(function) = node.field("function") else {
            return;
        };
        let name = last_name(text, function);
        if !matches!(name, "Index" | "UniqueConstraint" | "PrimaryKeyConstraint") {
            return;
        }
        let Some(arguments) = node.field("arguments") else {
            return;
        };
        let mut cursor = arguments.walk();
        let skip = usize::from(name == "Index");
        for argument in arguments
            .named_children(&mut cursor)
            .filter(|argument| argument.kind_name() != "keyword_argument")
            .skip(skip)
        {
            if let Some(column) = string_value(text, argument) {
                out.push(column);
            }
        }
        return;
    }
    if matches!(
        node.kind_name(),
        "tuple" | "list" | "parenthesized_expression"
    ) {
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            constraint_columns(text, child, out);
        }
    }
}

/// Whether a settings field's annotation is a nested model (read from
/// `PARENT__FIELD` variables, not from one variable of its own) or a
/// `ClassVar`.
fn is_nested_settings(annotation: &str) -> bool {
    let base = annotation
        .split(['|', '['])
        .next()
        .unwrap_or(annotation)
        .trim();
    base.starts_with("ClassVar")
        || ["Settings", "Config", "Model"]
            .iter()
            .any(|suffix| base.ends_with(suffix) && base != "Model")
}

/// The name a call is assigned to (`app = FastAPI()`), if any.
fn assigned_name(text: &str, call: Node<'_>) -> Option<String> {
    let parent = call.parent()?;
    let assignment = match parent.kind_name() {
        "assignment" => parent,
        "type" => parent
            .parent()
            .filter(|node| node.kind_name() == "assignment")?,
        _ => return None,
    };
    if assignment.field("right")? != call {
        return None;
    }
    let left = assignment.field("left")?;
    (left.kind_name() == "identifier").then(|| text[left.byte_range()].to_string())
}

/// The first method that changes data in a Flask `methods=[...]` argument
/// (`["GET", "POST"]` is `post`).
fn flask_write_method(methods: &str) -> Option<&'static str> {
    let methods = methods.to_ascii_lowercase();
    ["post", "put", "patch", "delete"]
        .into_iter()
        .find(|method| {
            methods.contains(&format!("\"{method}\"")) || methods.contains(&format!("'{method}'"))
        })
}

/// A name that says a dependency, decorator or middleware authenticates:
/// `get_current_user`, `CurrentUser`, `verify_api_key`, `require_admin`,
/// a guard (`check_admin`, `ensure_owner`),
/// `oauth2_scheme`, `HTTPBearer`, `login_required`, `AuthMiddleware`.
pub fn is_auth_name(name: &str) -> bool {
    static AUTH: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(
            "(?i)auth|current_?(active_?)?(user|admin|superuser|account|member|principal)|logged_?in|login_required|api_?key|jwt|bearer|oauth|token|verif(y|ied)_?(key|user|signature|access|webhook|request|caller|client|secret|token)|require_?(user|admin|role|scope|permission|login|key|token|staff|access)|(^|[._])(check|ensure)_|permission|super_?user|admin|principal|credential",
        )
        .expect("valid regex")
    });
    AUTH.is_match(name)
}

/// Whether code naming dependencies (a handler's parameters, a
/// `dependencies=[...]` list) names one that authenticates: any
/// `Security(...)`, or `Depends(X)` with an auth name
/// ([`is_auth_name`]).
pub fn names_auth_dependency(code: &str) -> bool {
    static DEPENDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b(Security|Depends)\s*\(\s*([A-Za-z_][\w.]*)?").expect("valid regex")
    });
    DEPENDS.captures_iter(code).any(|found| {
        &found[1] == "Security" || found.get(2).is_some_and(|name| is_auth_name(name.as_str()))
    })
}

/// The dependencies code names (`Depends(X)`, `Security(X)`), by the last
/// dotted segment of `X`.
pub fn dependency_names(code: &str) -> Vec<String> {
    static DEPENDS: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"\b(?:Security|Depends)\s*\(\s*([A-Za-z_][\w.]*)").expect("valid regex")
    });
    let mut names: Vec<String> = DEPENDS
        .captures_iter(code)
        .map(|found| last_dotted(&found[1]).to_string())
        .collect();
    names.sort();
    names.dedup();
    names
}

fn last_dotted(name: &str) -> &str {
    name.rsplit('.').next().unwrap_or(name)
}

/// What a router's or include's `dependencies=[...]` says: whether it
/// names an auth dependency, else the dependencies it names.
fn declared_dependencies(text: &str, arguments: Node<'_>) -> (bool, Vec<String>) {
    match keyword_argument(text, arguments, "dependencies") {
        Some(argument) if names_auth_dependency(&text[argument.byte_range()]) => (true, Vec::new()),
        Some(argument) => (false, dependency_names(&text[argument.byte_range()])),
        None => (false, Vec::new()),
    }
}

/// The plain names parameters are annotated with (`caller: Caller`,
/// `user: deps.CurrentUser`), by their last dotted segment: aliases a
/// module may define as `Annotated[..., Depends(...)]`.
fn annotation_names(text: &str, parameters: Node<'_>) -> Vec<String> {
    let mut cursor = parameters.walk();
    parameters
        .named_children(&mut cursor)
        .filter_map(|parameter| parameter.field("type"))
        .map(|annotation| &text[annotation.byte_range()])
        .filter(|annotation| {
            annotation
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'.')
        })
        .map(|annotation| last_dotted(annotation).to_string())
        .collect()
}

/// The dependencies a route handler names (its decorator's
/// `dependencies=`, its parameters' `Depends(X)` and annotations), for a
/// handler that does not authenticate by name.
fn handler_dependencies(text: &str, decorated: Node<'_>, definition: Node<'_>) -> Vec<String> {
    let mut names = Vec::new();
    let mut cursor = decorated.walk();
    for decorator in decorated.named_children(&mut cursor) {
        if decorator.kind_name() == "decorator"
            && let Some(arguments) = decorator
                .named_child(0)
                .filter(|call| call.kind_name() == "call")
                .and_then(|call| call.field("arguments"))
            && let Some(argument) = keyword_argument(text, arguments, "dependencies")
        {
            names.extend(dependency_names(&text[argument.byte_range()]));
        }
    }
    if let Some(parameters) = definition.field("parameters") {
        names.extend(dependency_names(&text[parameters.byte_range()]));
        names.extend(annotation_names(text, parameters));
    }
    names.sort();
    names.dedup();
    names
}

/// A module-level function or alias routes may depend on (see
/// [`DependencyFact`]), when it names any dependency.
fn dependency_fact(text: &str, statement: Node<'_>) -> Option<DependencyFact> {
    let definition = match statement.kind_name() {
        "decorated_definition" => statement.field("definition")?,
        _ => statement,
    };
    if definition.kind_name() == "function_definition" {
        let name = &text[definition.field("name")?.byte_range()];
        let parameters = definition.field("parameters")?;
        let code = &text[parameters.byte_range()];
        let annotations = annotation_names(text, parameters);
        let authenticated = names_auth_dependency(code)
            || annotations
                .iter()
                .any(|annotation| is_auth_name(annotation));
        let mut depends_on = dependency_names(code);
        depends_on.extend(annotations);
        depends_on.sort();
        depends_on.dedup();
        return (authenticated || !depends_on.is_empty()).then(|| DependencyFact {
            name: name.to_string(),
            authenticated,
            depends_on: if authenticated {
                Vec::new()
            } else {
                depends_on
            },
        });
    }
    // `Caller = Annotated[User, Depends(load_caller)]`, `Caller: TypeAlias = ...`.
    let assignment = statement.named_child(0).filter(|node| {
        statement.kind_name() == "expression_statement" && node.kind_name() == "assignment"
    })?;
    let left = assignment.field("left")?;
    let right = assignment.field("right")?;
    if left.kind_name() != "identifier" {
        return None;
    }
    let code = &text[right.byte_range()];
    // A security scheme: `scheme = OAuth2PasswordBearer(tokenUrl=...)`,
    // `bearer = HTTPBearer()`, `header = APIKeyHeader(name="X-Key")`.
    let scheme = right.kind_name() == "call"
        && right
            .field("function")
            .is_some_and(|function| is_auth_name(last_dotted(&text[function.byte_range()])));
    let authenticated = scheme || names_auth_dependency(code);
    let depends_on = if authenticated {
        Vec::new()
    } else {
        dependency_names(code)
    };
    (authenticated || !depends_on.is_empty()).then(|| DependencyFact {
        name: text[left.byte_range()].to_string(),
        authenticated,
        depends_on,
    })
}

/// Whether a route handler requires authentication itself: an auth
/// decorator (`@login_required`, `@jwt_required()`, `@requires(...)`), a
/// check of its own (`is_authenticated`), an auth dependency in
/// its route decorator's `dependencies=` or in its parameters, or a
/// parameter annotated with an alias of one (`user: CurrentUser`,
/// `_: AdminDep`).
fn authenticated_handler(text: &str, decorated: Node<'_>, definition: Node<'_>) -> bool {
    let mut cursor = decorated.walk();
    for decorator in decorated.named_children(&mut cursor) {
        if decorator.kind_name() != "decorator" {
            continue;
        }
        let mut expression = decorator.named_child(0);
        if let Some(call) = expression.filter(|e| e.kind_name() == "call") {
            if let Some(arguments) = call.field("arguments")
                && keyword_argument(text, arguments, "dependencies")
                    .is_some_and(|argument| names_auth_dependency(&text[argument.byte_range()]))
            {
                return true;
            }
            expression = call.field("function");
        }
        // Starlette's `@requires("authenticated")` names no auth word.
        if let Some(expression) = expression
            && let Some(last) = text[expression.byte_range()].rsplit('.').next()
            && (is_auth_name(last) || last == "requires")
        {
            return true;
        }
    }
    // The handler checks the caller itself (`request.user.is_authenticated`).
    if text[definition.byte_range()].contains("is_authenticated") {
        return true;
    }
    let Some(parameters) = definition.field("parameters") else {
        return false;
    };
    if names_auth_dependency(&text[parameters.byte_range()]) {
        return true;
    }
    let mut cursor = parameters.walk();
    parameters.named_children(&mut cursor).any(|parameter| {
        parameter.field("type").is_some_and(|annotation| {
            let annotation = &text[annotation.byte_range()];
            annotation
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'.')
                && is_auth_name(annotation.rsplit('.').next().unwrap_or(annotation))
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{kind::FileKind, parse::parse};

    fn facts(path: &str, text: &str) -> PythonFacts {
        let tree = parse(FileKind::Python, text, None).unwrap();
        extract(Path::new(path), text, &tree)
    }

    #[test]
    fn settings_record_development_defaults_of_production_only_fields() {
        let text = "class Settings(BaseSettings):\n    debug: bool = True\n    reload: bool = Field(True, description=\"x\")\n    cors_origins: list[str] = [\"*\"]\n    allowed_hosts: str = \"*\"\n    log_level: str = \"DEBUG\"\n    session_cookie_secure: bool = Field(default=False)\n    environment_name: str = \"x\"\n    # safe or not production-only:\n    verbose: bool = True\n    allowed_origins: list[str] = [\"https://app.example.com\"]\n    log_level_ui: str = \"DEBUG\"\n    secure_cookies: bool = True\n    debug_sql: bool = False\n";
        let facts = facts("app/config.py", text);
        let settings = &facts.settings[0];
        let fields: Vec<&str> = settings
            .development_defaults
            .iter()
            .map(|(field, _)| field.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "debug",
                "reload",
                "cors_origins",
                "allowed_hosts",
                "log_level",
                "session_cookie_secure"
            ]
        );
        assert!(
            settings
                .fields
                .iter()
                .any(|field| field == "environment_name")
        );
    }

    #[test]
    fn pages_are_templates_html_responses_and_mounted_uis() {
        for text in [
            "templates = Jinja2Templates(directory=\"templates\")\n",
            "return render_template(\"index.html\")\n",
            "@app.get(\"/\", response_class=HTMLResponse)\ndef index(): ...\n",
            "app.mount(\"/\", StaticFiles(directory=\"site\", html=True))\n",
            "app = gr.mount_gradio_app(app, demo, path=\"/app\")\n",
            "grlogin.mount_gradio_app(app, demo, \"/app\")\n",
        ] {
            assert!(facts("app/main.py", text).serves_pages, "{text}");
        }
        for text in [
            "app.mount(\"/static\", StaticFiles(directory=\"static\"))\n",
            "return JSONResponse({\"ok\": True})\n",
        ] {
            assert!(!facts("app/main.py", text).serves_pages, "{text}");
        }
    }

    #[test]
    fn local_state_is_sqlite_files_vector_stores_and_upload_folders() {
        let found = |text: &str| -> Vec<&'static str> {
            facts("app/store.py", text)
                .local_state
                .iter()
                .map(|state| state.what)
                .collect()
        };
        assert_eq!(
            found("DATABASE_URL = \"sqlite+aiosqlite:///./data/app.db\"\n"),
            ["a SQLite database file"]
        );
        assert_eq!(
            found("DATABASES = {\"default\": {\"ENGINE\": \"django.db.backends.sqlite3\"}}\n"),
            ["a SQLite database file"]
        );
        assert_eq!(
            found("import sqlite3\nconnection = sqlite3.connect(\"notes.db\")\n"),
            ["a SQLite database file"]
        );
        assert_eq!(
            found("import chromadb\nclient = chromadb.PersistentClient(path=\"./chroma\")\n"),
            ["a local Chroma store"]
        );
        assert_eq!(
            found(
                "from qdrant_client import QdrantClient\nclient = QdrantClient(path=\"./qdrant\")\n"
            ),
            ["a local Qdrant store"]
        );
        assert_eq!(
            found("index.storage_context.persist(persist_dir=\"./storage\")\n"),
            ["a LlamaIndex store on disk"]
        );
        assert_eq!(
            found("store.save_local(\"faiss_index\")\n"),
            ["a FAISS index on disk"]
        );
        assert_eq!(
            found("class Settings(BaseSettings):\n    upload_dir: str = \"uploads\"\n"),
            ["an uploads folder"]
        );
        // Not local state: memory, a server, a comparison, a docstring, a
        // plain `persist()`.
        for text in [
            "engine = create_engine(\"sqlite:///:memory:\")\n",
            "import sqlite3\nconnection = sqlite3.connect(\":memory:\")\n",
            "from qdrant_client import QdrantClient\nclient = QdrantClient(url=QDRANT_URL)\n",
            "if url.startswith(\"sqlite:///\"):\n    pass\n",
            "def f():\n    \"sqlite:///./app.db is the default\"\n",
            "session.persist()\n",
            "UPLOAD_DIR = None\n",
        ] {
            assert_eq!(found(text), Vec::<&str>::new(), "{text}");
        }
    }

    #[test]
    fn metrics_and_tracing_are_seen_in_imports_and_code() {
        let has = |text: &str, capability| {
            facts("app/main.py", text)
                .capabilities
                .contains(&capability)
        };
        assert!(has(
            "from prometheus_client import Counter\n",
            Capability::Metrics
        ));
        assert!(has(
            "from prometheus_fastapi_instrumentator import Instrumentator as I\n",
            Capability::Metrics
        ));
        assert!(has(
            "from opentelemetry.sdk.metrics import MeterProvider\n",
            Capability::Metrics
        ));
        assert!(has(
            "from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor\n",
            Capability::Tracing
        ));
        assert!(has(
            "import sentry_sdk\nsentry_sdk.init(dsn=DSN, traces_sample_rate=0.1)\n",
            Capability::Tracing
        ));
        assert!(has(
            "import sentry_sdk\nsentry_sdk.init(dsn=str(settings.SENTRY_DSN), enable_tracing=True)\n",
            Capability::Tracing
        ));
        assert!(has(
            "os.environ[\"LANGCHAIN_TRACING_V2\"] = \"true\"\n",
            Capability::Tracing
        ));
        // Sentry without performance tracing is error reporting, not tracing;
        // a name that merely starts like a package is not the package.
        assert!(!has(
            "import sentry_sdk\nsentry_sdk.init(dsn=DSN)\n",
            Capability::Tracing
        ));
        assert!(!has("import prometheus_clientele\n", Capability::Metrics));
        assert!(!has(
            "import logging\nlogging.basicConfig()\n",
            Capability::Metrics
        ));
    }

    #[test]
    fn apps_routers_routes_and_includes() {
        let facts = facts(
            "app/main.py",
            "from fastapi import FastAPI, APIRouter\nfrom app.routers import users\n\napp = FastAPI()\nrouter = APIRouter(prefix=\"/v1\")\n\n@router.get(\"/health\")\ndef health():\n    return {}\n\napp.include_router(router, prefix=\"/api\")\napp.include_router(users.router)\n",
        );
        assert_eq!(facts.module, "app.main");
        assert_eq!(facts.apps.len(), 1);
        assert_eq!(facts.apps[0].var.as_deref(), Some("app"));
        assert_eq!(facts.routers[0].prefix, "/v1");
        assert_eq!(facts.routes[0].path, "/health");
        assert_eq!(facts.routes[0].owner, "router");
        assert_eq!(facts.includes[0].prefix, "/api");
        assert_eq!(facts.includes[1].target, "app.routers.users.router");
    }

    #[test]
    fn settings_env_reads_and_models() {
        let facts = facts(
            "app/config.py",
            "import os\nfrom pydantic_settings import BaseSettings, SettingsConfigDict\nfrom sqlalchemy.orm import DeclarativeBase\n\nclass Settings(BaseSettings):\n    model_config = SettingsConfigDict(env_prefix=\"NOTES_\")\n    database_url: str\n    db: DatabaseSettings = DatabaseSettings()\n    token: str = Field(alias=\"API_TOKEN\")\n\nclass Note(Base):\n    __tablename__ = \"notes\"\n\nPORT = os.getenv(\"PORT\", \"8000\")\nKEY = os.environ[\"KEY\"]\n",
        );
        assert_eq!(
            facts.settings[0].variables,
            ["NOTES_DATABASE_URL", "API_TOKEN"]
        );
        let reads: Vec<_> = facts
            .env_reads
            .iter()
            .map(|read| read.name.as_str())
            .collect();
        assert_eq!(reads, ["PORT", "KEY"]);
        assert_eq!(facts.models[0].name, "Note");
    }

    #[test]
    fn settings_defaults_setting_uses_and_config_constants() {
        let text = "from pydantic_settings import BaseSettings\n\nclass Settings(BaseSettings):\n    DEBUG: bool = Field(default=True)\n    DATABASE_URL: str\n    CORS_ORIGINS: list[str] = [\"*\"]\n\nRELOAD = os.getenv(\"RELOAD\", \"true\")\napp = FastAPI(debug=settings.DEBUG, title=settings.NAME)\napp.add_middleware(CORSMiddleware, allow_origins=get_settings().CORS_ORIGINS)\napp.add_middleware(GZipMiddleware, allow_origins=settings.X)\nuvicorn.run(app, reload=conf.RELOAD, debug=get_settings(1).DEBUG)\nother(debug=settings.DEBUG)\napp.run(debug=args.debug)\napp.run(debug=self.debug)\napp.run(debug=compute().debug)\n";
        let config = facts("app/config.py", text);
        assert_eq!(
            config.settings[0].defaults,
            [Some("True".to_string()), None, Some("[\"*\"]".to_string())]
        );
        let uses: Vec<(&str, &str)> = config
            .setting_uses
            .iter()
            .map(|use_| (use_.keyword.as_str(), use_.written.as_str()))
            .collect();
        // Not `title=`, not a middleware other than CORS, not a call with
        // arguments, not a call that is no application or server, not an
        // object that is not named as configuration.
        assert_eq!(
            uses,
            [
                ("debug", "settings.DEBUG"),
                ("allow_origins", "get_settings().CORS_ORIGINS"),
                ("reload", "conf.RELOAD"),
            ]
        );
        let constants: Vec<&str> = config
            .config_constants
            .iter()
            .map(|(name, _)| name.as_str())
            .collect();
        assert_eq!(constants, ["RELOAD", "app"]);
        // Only configuration modules list their constants.
        assert!(facts("app/main.py", text).config_constants.is_empty());
    }

    #[test]
    fn shallow_health_handlers_and_backends() {
        let shallow = |handler: &str| {
            let text = format!(
                "from fastapi import FastAPI\napp = FastAPI()\n\n@app.get(\"/health\")\n{handler}"
            );
            let facts = facts("app/main.py", &text);
            facts.routes[0].shallow
        };
        assert!(shallow("def health():\n    return {\"status\": \"ok\"}\n"));
        assert!(shallow(
            "async def health(request: Request) -> Health:\n    \"\"\"Up.\"\"\"\n    return Health(status=\"ok\", at=datetime.now(timezone.utc).isoformat())\n"
        ));
        assert!(shallow(
            "def health():\n    return JSONResponse({\"ok\": True}, status_code=200)\n"
        ));
        // Anything that may touch a backend is not shallow.
        assert!(!shallow(
            "async def health():\n    await redis.ping()\n    return {}\n"
        ));
        assert!(!shallow(
            "def health(session: SessionDep):\n    return {}\n"
        ));
        assert!(!shallow("def health(db=Depends(get_db)):\n    return {}\n"));
        assert!(!shallow(
            "def health():\n    return {\"db\": check_database()}\n"
        ));
        assert!(!shallow(
            "def health():\n    if not READY:\n        raise HTTPException(503)\n    return {}\n"
        ));
        assert!(!shallow(
            "def health():\n    return {\"n\": client.count(\"docs\")}\n"
        ));
        let backends = facts(
            "app/db.py",
            "import redis.asyncio as redis\nfrom qdrant_client import QdrantClient\nimport faiss\n",
        )
        .backends;
        assert_eq!(
            backends.keys().copied().collect::<Vec<_>>(),
            [Backend::Cache, Backend::VectorStore]
        );
        // Two packages of one backend: the table's first names it, whatever
        // the order of the imports and of the map that holds them (each
        // derivation hashes differently; found by the project-model
        // property test).
        for text in [
            "from sqlmodel import Session\nfrom sqlalchemy import text\n",
            "from sqlalchemy import text\nfrom sqlmodel import Session\nimport sqlmodel\n",
        ] {
            for _ in 0..16 {
                assert_eq!(
                    facts("app/models.py", text)
                        .backends
                        .get(&Backend::Database),
                    Some(&"sqlalchemy".to_string()),
                    "{text}"
                );
            }
        }
    }

    #[test]
    fn cors_and_frontend_origins() {
        let cors = |text: &str| {
            facts("app/main.py", text)
                .capabilities
                .contains(&Capability::Cors)
        };
        assert!(cors("from fastapi.middleware.cors import CORSMiddleware\n"));
        assert!(cors("from flask_cors import CORS\n"));
        assert!(cors("INSTALLED_APPS = [\"corsheaders\"]\n"));
        assert!(cors(
            "response.headers[\"Access-Control-Allow-Origin\"] = ORIGIN\n"
        ));
        assert!(!cors("from fastapi import FastAPI\n"));
        let origins = facts(
            "app/config.py",
            "FRONTEND = \"http://localhost:5173\"\nAPI = \"http://localhost:8000\"\n",
        )
        .browser_origins;
        assert_eq!(origins.len(), 1);
        assert_eq!(origins[0].0, "http://localhost:5173");
        assert!(
            facts("tests/test_cors.py", "ORIGIN = \"http://localhost:3000\"\n")
                .browser_origins
                .is_empty()
        );
    }

    #[test]
    fn model_columns_indexes_and_lookups() {
        let models = facts(
            "app/models.py",
            "class Note(Base):\n    __tablename__ = \"notes\"\n    __table_args__ = (Index(\"ix_notes_owner_day\", \"owner_id\", \"day\"),)\n    id: Mapped[int] = mapped_column(primary_key=True)\n    owner_id: Mapped[int] = mapped_column(ForeignKey(\"users.id\"))\n    day: Mapped[date]\n    body = Column(Text)\n    email = Column(String, unique=True)\n    items: Mapped[list[\"Item\"]] = relationship()\n\nclass Item(ItemBase, table=True):\n    id: int | None = Field(default=None, primary_key=True)\n    note_id: int = Field(foreign_key=\"notes.id\")\n    title: str\n    slug: str = Field(sa_column=Column(String, index=True))\n",
        );
        let columns = |model: &ModelFact| {
            model
                .columns
                .iter()
                .map(|column| format!("{}:{}:{}", column.name, column.indexed, column.foreign_key))
                .collect::<Vec<_>>()
        };
        assert_eq!(models.models[0].table.as_deref(), Some("notes"));
        assert_eq!(
            columns(&models.models[0]),
            [
                "id:true:false",
                "owner_id:true:true",
                "day:true:false",
                "body:false:false",
                "email:true:false"
            ]
        );
        assert_eq!(models.models[1].table.as_deref(), Some("item"));
        assert_eq!(
            columns(&models.models[1]),
            [
                "id:true:false",
                "note_id:false:true",
                "title:false:false",
                "slug:true:false"
            ]
        );
        // private-gpt's `__table_args__` is a `@declared_attr` method.
        let declared = facts(
            "app/models.py",
            "class SkillVersion(Base):\n    __tablename__ = \"skill_versions\"\n\n    @declared_attr.directive\n    def __table_args__(cls):\n        return (UniqueConstraint(\"skill_id\", \"version\", name=\"uq\"), {\"schema\": \"app\"})\n\n    version: Mapped[str] = mapped_column(String(255))\n    body: Mapped[str]\n",
        );
        assert_eq!(
            columns(&declared.models[0]),
            ["version:true:false", "body:false:false"]
        );
        let code = facts(
            "app/crud.py",
            "rows = session.exec(select(Note).where(Note.body == x, col(Item.title).in_(titles)).order_by(Note.day))\nNote.query.filter_by(email=e)\nsession.query(Note).filter(Note.day > d).filter_by(body=b)\nq.where(Status.ACTIVE == s)\nIndex(\"ix_item_title\", Item.title)\nq.where(Note.owner_id.in_(ids), Note.archived, Note.body.like(\"ab%\"))\nq.where(Note.a > Note.b, Note.c + Note.delay <= func.now(), func.lower(Note.email) == e, Note.d.is_(None), Note.e == None, Note.f != 1, Note.g.ilike(f\"%{q}%\"), Note.h.in_(x) | (Note.i >= Other.j))\n",
        );
        let lookups: Vec<String> = code
            .lookups
            .iter()
            .map(|lookup| format!("{}.{} {}", lookup.model, lookup.column, lookup.method))
            .collect();
        assert_eq!(
            lookups,
            [
                "Note.body where",
                "Item.title where",
                "Note.email filter_by",
                "Note.body filter_by",
                "Note.day filter",
                "Note.owner_id where",
                "Note.archived where",
                "Note.body where",
                "Note.h where",
                "Note.i where",
                "Other.j where",
            ]
        );
        assert_eq!(
            code.model_indexes,
            [("Item".to_string(), "title".to_string())]
        );
        let migration = facts(
            "alembic/versions/0001.py",
            "op.create_table(\"notes\", sa.Column(\"email\", sa.String(), unique=True), sa.Column(\"body\", sa.Text()), sa.UniqueConstraint(\"slug\"))\nop.create_index(op.f(\"ix_notes_day\"), \"notes\", [\"day\"], unique=False)\n",
        );
        let pairs: Vec<String> = migration
            .table_indexes
            .iter()
            .map(|(table, column)| format!("{table}.{column}"))
            .collect();
        assert_eq!(pairs, ["notes.email", "notes.slug", "notes.day"]);
    }

    #[test]
    fn clients_opened_at_start_up_and_never_closed() {
        let unclosed = |text: &str| {
            facts("app/main.py", text)
                .unclosed_clients
                .into_iter()
                .map(|(constructor, _)| constructor)
                .collect::<Vec<_>>()
        };
        let lifespan = "import httpx\nfrom contextlib import asynccontextmanager\nfrom sqlalchemy.ext.asyncio import create_async_engine\n\n@asynccontextmanager\nasync def lifespan(app):\n    app.state.http = httpx.AsyncClient()\n    engine = create_async_engine(URL)\n    yield\n    await engine.dispose()\n";
        assert_eq!(unclosed(lifespan), ["httpx.AsyncClient"]);
        let events = "import asyncpg\n\n@app.on_event(\"startup\")\nasync def start():\n    global pool\n    pool = await asyncpg.create_pool(DSN)\n\n@app.on_event(\"shutdown\")\nasync def stop():\n    await pool.close()\n";
        assert!(unclosed(events).is_empty());
        let never = "import asyncpg\n\n@app.on_event(\"startup\")\nasync def start():\n    app.state.pool = await asyncpg.create_pool(DSN)\n";
        assert_eq!(unclosed(never), ["asyncpg.create_pool"]);
        // A context manager that is not the app's lifespan is not start-up code.
        let helper = "import httpx\nfrom contextlib import asynccontextmanager\n\n@asynccontextmanager\nasync def session():\n    client = httpx.AsyncClient()\n    yield client\n";
        assert!(unclosed(helper).is_empty());
    }

    #[test]
    fn modules_match_by_suffix() {
        assert!(same_module("src.app.main", "app.main"));
        assert!(!same_module("app.main", "main2"));
        assert_eq!(module_name(Path::new("app/__init__.py")), "app");
    }

    #[test]
    fn auth_dependencies_are_told_by_their_names() {
        assert!(names_auth_dependency(
            "current_user: Annotated[User, Depends(get_current_user)]"
        ));
        assert!(names_auth_dependency(
            "[Depends(deps.get_current_active_superuser)]"
        ));
        assert!(names_auth_dependency("key: str = Security(api_key_header)"));
        assert!(names_auth_dependency("token: str = Depends(oauth2_scheme)"));
        assert!(!names_auth_dependency("session: Session = Depends(get_db)"));
        assert!(!names_auth_dependency(
            "form: Annotated[OAuth2PasswordRequestForm, Depends()]"
        ));
        assert!(is_auth_name("CurrentUser"));
        assert!(is_auth_name("login_required"));
        assert!(is_auth_name("get_verified_user"));
        assert!(is_auth_name("check_super_user"));
        assert!(is_auth_name("check_account_id_exists"));
        assert!(is_auth_name("deps.check_extension_builder"));
        assert!(!is_auth_name("SessionDep"));
        assert!(!is_auth_name("get_settings"));
    }
}
