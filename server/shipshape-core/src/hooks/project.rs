//! The project rules: each looks at the whole project model and reports
//! where a person would act (the app creation, the final `FROM`, the
//! `[project]` table, the file that lacks an entry). Each entry of
//! [`HOOKS`] names the fact kinds its rule reads, so that an editor re-runs
//! only the rules whose facts changed.

// A hook's view type spells out the kinds it reads (`reads![...]`): that is
// the point, not complexity to factor away.
#![allow(clippy::type_complexity)]

use std::{
    collections::{BTreeMap, BTreeSet},
    ops::Range,
    path::{Path, PathBuf},
};

use crate::rule::{RuleId, ids};
use crate::{
    check::{ProjectCx, ProjectEmit, ProjectHookFn},
    fix::{FileChange, line_break, line_indent, next_line_start},
    kind::FileKind,
    parse::parse,
    project::{
        AppFact, Capability, FactKind, Framework, LocalStateFact, Orm, Process, Project,
        ProjectFile, ServedRoute, command_port,
        django::{DjangoSettings, SettingFact, SettingsRole, settings_role},
        ignore_text_matches, route_matches, service_folder,
        value::{self, Value},
        view::{Has, kinds},
    },
    reads,
    text::TextEdit,
};

/// A project rule's hook and the fact kinds it reads.
pub struct ProjectHook {
    pub id: RuleId,
    pub run: ProjectHookFn,
    pub reads: &'static [FactKind],
}

/// A hook table entry: the rule's declared kinds become both its `reads`
/// and the type of the view its hook gets, so the two cannot disagree.
macro_rules! hook {
    ($id:expr, $run:ident, [$($kind:ident),*]) => {
        ProjectHook {
            id: $id,
            run: {
                fn run(
                    project: &Project,
                    rule: &'static crate::rule::Rule,
                    out: &mut Vec<ProjectEmit>,
                ) {
                    $run(&ProjectCx::<reads![$($kind),*]>::new(project, rule), out)
                }
                run
            },
            reads: &[$(FactKind::$kind),*],
        }
    };
}

pub static HOOKS: &[ProjectHook] = &[
    hook!(
        ids::MISSING_RATE_LIMITING,
        missing_rate_limiting,
        [Python, Dependencies]
    ),
    hook!(
        ids::MISSING_AUTHENTICATION,
        missing_authentication,
        [Python, Dependencies]
    ),
    hook!(
        ids::MISSING_HEALTH_ENDPOINT,
        missing_health_endpoint,
        [Python, Dependencies]
    ),
    hook!(
        ids::MISSING_EXCEPTION_HANDLER,
        missing_exception_handler,
        [Python, Dependencies]
    ),
    hook!(
        ids::MISSING_REQUEST_ID,
        missing_request_id,
        [Python, Dependencies]
    ),
    hook!(
        ids::MISSING_SECURITY_HEADERS,
        missing_security_headers,
        [Python, Dependencies]
    ),
    hook!(
        ids::UNSTRUCTURED_LOGGING,
        unstructured_logging,
        [Python, Dependencies]
    ),
    hook!(
        ids::METRICS_MISSING,
        metrics_missing,
        [Python, Dependencies]
    ),
    hook!(ids::API_NOT_VERSIONED, api_not_versioned, [Python]),
    hook!(
        ids::SETTING_DEFAULT_INSECURE,
        setting_default_insecure,
        [Python]
    ),
    hook!(
        ids::SETTINGS_NOT_ENVIRONMENT_AWARE,
        settings_not_environment_aware,
        [Python]
    ),
    hook!(
        ids::TRACING_MISSING,
        tracing_missing,
        [Python, Dependencies]
    ),
    hook!(ids::HEALTH_CHECK_SHALLOW, health_check_shallow, [Python]),
    hook!(
        ids::ROUTE_WITHOUT_AUTHENTICATION,
        route_without_authentication,
        [Python]
    ),
    hook!(
        ids::DB_FILTER_COLUMN_WITHOUT_INDEX,
        db_filter_column_without_index,
        [Python]
    ),
    hook!(
        ids::GRACEFUL_SHUTDOWN_MISSING,
        graceful_shutdown_missing,
        [Python, Dockerfile, Compose, Deploy]
    ),
    hook!(
        ids::CORS_NOT_CONFIGURED,
        cors_not_configured,
        [Python, Dependencies, DotEnv]
    ),
    hook!(
        ids::ENV_FILE_NOT_IGNORED,
        env_file_not_ignored,
        [DotEnv, Ignore]
    ),
    hook!(
        ids::ENV_EXAMPLE_MISSING,
        env_example_missing,
        [DotEnv, Python, Compose, Dependencies, Paths]
    ),
    hook!(
        ids::ENV_EXAMPLE_DRIFT,
        env_example_drift,
        [DotEnv, Python, Compose]
    ),
    hook!(
        ids::ENV_EXAMPLE_REAL_SECRET,
        env_example_real_secret,
        [DotEnv]
    ),
    hook!(
        ids::GITIGNORE_MISSING,
        gitignore_missing,
        [Ignore, Python, Dependencies, Paths]
    ),
    hook!(
        ids::REQUIREMENTS_UNPINNED,
        requirements_unpinned,
        [Dependencies]
    ),
    hook!(
        ids::PYPROJECT_NO_LOCKFILE,
        pyproject_no_lockfile,
        [Dependencies, Python, Paths]
    ),
    hook!(
        ids::RAILWAY_NO_HEALTHCHECK,
        railway_no_healthcheck,
        [Deploy, Python]
    ),
    hook!(
        ids::RAILWAY_NO_RESTART_POLICY,
        railway_no_restart_policy,
        [Deploy]
    ),
    hook!(ids::FLY_NO_HEALTHCHECK, fly_no_healthcheck, [Deploy]),
    hook!(
        ids::PROCFILE_DJANGO_RUNSERVER,
        procfile_django_runserver,
        [Deploy]
    ),
    hook!(ids::PROCFILE_RELOAD, procfile_reload, [Deploy]),
    hook!(ids::RAILWAY_NO_VOLUME, railway_no_volume, [Deploy, Python]),
    hook!(
        ids::RAILWAY_NO_RESOURCE_LIMITS,
        railway_no_resource_limits,
        [Deploy]
    ),
    hook!(
        ids::CI_MISSING,
        ci_missing,
        [Ci, Python, Dependencies, Paths]
    ),
    hook!(ids::CI_RUNS_NO_TESTS, ci_runs_no_tests, [Ci]),
    hook!(
        ids::TESTS_MISSING,
        tests_missing,
        [Python, Dependencies, Paths]
    ),
    hook!(ids::MIGRATIONS_MISSING, migrations_missing, [Python, Paths]),
    hook!(
        ids::DOCKERIGNORE_MISSING,
        dockerignore_missing,
        [Dockerfile, Ignore, Paths]
    ),
    hook!(
        ids::HEALTHCHECK_PATH_NOT_SERVED,
        healthcheck_path_not_served,
        [Python, Dockerfile, Compose, Deploy]
    ),
    hook!(
        ids::PORT_MISMATCH,
        port_mismatch,
        [Dockerfile, Compose, Python]
    ),
    hook!(
        ids::PYTHON_VERSION_MISMATCH,
        python_version_mismatch,
        [Dockerfile, Dependencies]
    ),
    hook!(
        ids::DJANGO_COOKIES_NOT_SECURE,
        django_cookies_not_secure,
        [Python, Dockerfile, Compose]
    ),
    hook!(
        ids::DJANGO_HTTPS_NOT_ENFORCED,
        django_https_not_enforced,
        [Python, Dockerfile, Compose]
    ),
    hook!(
        ids::DJANGO_BASE_SETTING_NOT_OVERRIDDEN,
        django_base_setting_not_overridden,
        [Python, Dockerfile, Compose]
    ),
    hook!(
        ids::COMPOSE_ENV_UNDEFINED,
        compose_env_undefined,
        [Compose, DotEnv]
    ),
];

/// The fact kinds a project rule reads (empty for unknown ids).
pub fn depends_on(id: &str) -> &'static [FactKind] {
    HOOKS
        .iter()
        .find(|hook| id == hook.id)
        .map_or(&[], |hook| hook.reads)
}

/// The project rules to run again after the given fact kinds changed.
pub fn rules_reading(changed: &BTreeSet<FactKind>) -> Vec<&'static str> {
    HOOKS
        .iter()
        .filter(|hook| hook.reads.iter().any(|kind| changed.contains(kind)))
        .map(|hook| hook.id.as_str())
        .collect()
}

// ---------------------------------------------------------------------------
// Application rules

/// The app a project-wide finding about the application points at: the
/// first app creation (by path), preferring apps assigned to a name.
fn main_app<'a, R, I>(project: &ProjectCx<'a, R>) -> Option<(&'a ProjectFile, &'a AppFact)>
where
    R: Has<kinds::Python, I>,
{
    let apps = project.apps();
    apps.iter()
        .find(|(_, app)| app.var.is_some())
        .or(apps.first())
        .copied()
}

fn app_rule<R, I, J>(cx: &ProjectCx<'_, R>, out: &mut Vec<ProjectEmit>, capability: Capability)
where
    R: Has<kinds::Python, I> + Has<kinds::Dependencies, J>,
{
    let Some((file, app)) = main_app(cx) else {
        return;
    };
    if cx.has_capability(capability) {
        return;
    }
    out.push(cx.emit(
        file.path.clone(),
        app.range.clone(),
        &[("framework", app.framework.name())],
        None,
    ));
}

fn missing_rate_limiting(
    cx: &ProjectCx<'_, reads![Python, Dependencies]>,
    out: &mut Vec<ProjectEmit>,
) {
    app_rule(cx, out, Capability::RateLimiting);
}

/// The methods of routes that change data.
const WRITE_METHODS: [&str; 4] = ["post", "put", "patch", "delete"];

/// Whether the project authenticates requests in middleware (see
/// [`is_auth_middleware`]), outside its tests.
fn has_auth_middleware<I>(cx: &ProjectCx<'_, impl Has<kinds::Python, I>>) -> bool {
    cx.python()
        .filter(|(_, facts)| !facts.is_test)
        .any(|(_, facts)| facts.middleware.iter().any(|name| is_auth_middleware(name)))
}

/// One finding on the app, and one on each route that changes data (the
/// same cause, so one rule: the report deducts it once), when nothing in
/// the project authenticates: no auth library or dependency, no auth
/// middleware, no route that requires authentication.
fn missing_authentication(
    cx: &ProjectCx<'_, reads![Python, Dependencies]>,
    out: &mut Vec<ProjectEmit>,
) {
    let routes = cx.served_routes();
    // An app that serves only health checks, documentation and the like
    // has nothing to authenticate.
    if routes.iter().all(|route| is_public_route_path(&route.path))
        || routes.iter().any(|route| route.authenticated)
        || cx.has_capability(Capability::Authentication)
        || has_auth_middleware(cx)
    {
        return;
    }
    let Some((app_file, app)) = main_app(cx) else {
        return;
    };
    let subject = format!("This {} app serves routes", app.framework.name());
    out.push(cx.emit(
        app_file.path.clone(),
        app.range.clone(),
        &[("subject", &subject)],
        None,
    ));
    let tests: BTreeSet<&Path> = cx
        .python()
        .filter(|(_, facts)| facts.is_test)
        .map(|(file, _)| file.path.as_path())
        .collect();
    // Each route once (a router included twice is served twice).
    let mut seen = BTreeSet::new();
    for route in &routes {
        if !WRITE_METHODS.contains(&route.method.as_str())
            || is_public_route_path(&route.path)
            || tests.contains(route.file.as_path())
            || !seen.insert((route.file.clone(), route.range.start))
        {
            continue;
        }
        let subject = format!(
            "`{} {}` changes data",
            route.method.to_ascii_uppercase(),
            route.path
        );
        out.push(
            cx.emit(
                route.file.clone(),
                route.range.clone(),
                &[("subject", &subject)],
                None,
            )
            .related(
                app_file.path.clone(),
                app.range.clone(),
                "the app: nothing in the project authenticates its requests",
            ),
        );
    }
}

/// Whether a route is meant to be public: signing in and up, tokens,
/// password resets, OAuth callbacks, webhooks (their signature is their
/// authentication), and infrastructure (health, docs, metrics).
fn is_public_route_path(path: &str) -> bool {
    const PUBLIC_WORDS: [&str; 20] = [
        "login", "logout", "signin", "signup", "register", "token", "refresh", "password",
        "forgot", "reset", "verify", "callback", "oauth", "auth", "webhook", "public", "ping",
        "version", "invite", "confirm",
    ];
    is_infrastructure_path(path)
        || path.split('/').any(|segment| {
            let segment = segment.to_ascii_lowercase().replace(['-', '_'], "");
            !segment.starts_with('{')
                && !segment.starts_with('<')
                && PUBLIC_WORDS.iter().any(|word| segment.contains(word))
        })
}

/// Whether a middleware name says it authenticates every request.
/// Starlette's and Django's `AuthenticationMiddleware` only say who the
/// caller is (`request.user`); routes still require it themselves
/// (`@requires("authenticated")`, `@login_required`).
fn is_auth_middleware(name: &str) -> bool {
    let name = name.strip_prefix("http:").unwrap_or(name);
    let last = name.rsplit('.').next().unwrap_or(name);
    last != "AuthenticationMiddleware" && crate::project::is_auth_name(last)
}

fn route_without_authentication(cx: &ProjectCx<'_, reads![Python]>, out: &mut Vec<ProjectEmit>) {
    if has_auth_middleware(cx) {
        return;
    }
    // Each route once (a router included twice is served twice), grouped
    // by the router or app it is registered on.
    let mut seen = BTreeSet::new();
    let mut groups: BTreeMap<String, Vec<ServedRoute>> = BTreeMap::new();
    for route in cx.served_routes() {
        if route.method.is_empty()
            || route.method == "websocket"
            || !seen.insert((route.file.clone(), route.range.start))
        {
            continue;
        }
        groups.entry(route.owner.clone()).or_default().push(route);
    }
    for (owner, routes) in groups {
        let eligible: Vec<&ServedRoute> = routes
            .iter()
            .filter(|route| !is_public_route_path(&route.path))
            .collect();
        let authenticated = eligible.iter().filter(|route| route.authenticated).count();
        let total = eligible.len();
        if authenticated < 2 || authenticated * 2 <= total || authenticated == total {
            continue;
        }
        let owner = owner.rsplit(':').next().unwrap_or(&owner);
        // A public read among authenticated routes is often meant (option
        // lists, shared pages); a public write rarely is.
        for route in eligible
            .iter()
            .filter(|route| !route.authenticated && WRITE_METHODS.contains(&route.method.as_str()))
        {
            let method = route.method.to_ascii_uppercase();
            out.push(cx.emit(
                route.file.clone(),
                route.range.clone(),
                &[
                    ("method", method.as_str()),
                    ("path", route.path.as_str()),
                    ("authenticated", &authenticated.to_string()),
                    ("total", &(total - 1).to_string()),
                    ("owner", owner),
                ],
                None,
            ));
        }
    }
}

fn missing_request_id(
    cx: &ProjectCx<'_, reads![Python, Dependencies]>,
    out: &mut Vec<ProjectEmit>,
) {
    app_rule(cx, out, Capability::RequestId);
}

fn missing_security_headers(
    cx: &ProjectCx<'_, reads![Python, Dependencies]>,
    out: &mut Vec<ProjectEmit>,
) {
    app_rule(cx, out, Capability::SecurityHeaders);
}

fn unstructured_logging(
    cx: &ProjectCx<'_, reads![Python, Dependencies]>,
    out: &mut Vec<ProjectEmit>,
) {
    app_rule(cx, out, Capability::StructuredLogging);
}

fn metrics_missing(cx: &ProjectCx<'_, reads![Python, Dependencies]>, out: &mut Vec<ProjectEmit>) {
    app_rule(cx, out, Capability::Metrics);
}

fn tracing_missing(cx: &ProjectCx<'_, reads![Python, Dependencies]>, out: &mut Vec<ProjectEmit>) {
    app_rule(cx, out, Capability::Tracing);
}

/// Whether a route path is infrastructure, not the API: health checks,
/// the API's documentation, metrics, static files.
fn is_infrastructure_path(path: &str) -> bool {
    const FIRST_SEGMENTS: [&str; 9] = [
        "docs",
        "redoc",
        "openapi.json",
        "metrics",
        "static",
        "favicon.ico",
        "robots.txt",
        "swagger",
        "",
    ];
    let first = path.trim_start_matches('/').split('/').next().unwrap_or("");
    crate::project::is_health_path(path)
        || FIRST_SEGMENTS.contains(&first.to_ascii_lowercase().as_str())
}

/// Whether a route path has a version segment (`/v1/`, `/api/v2.1/`).
fn has_version_segment(path: &str) -> bool {
    path.split('/').any(|segment| {
        let segment = segment.to_ascii_lowercase();
        segment.strip_prefix('v').is_some_and(|number| {
            !number.is_empty()
                && number.starts_with(|c: char| c.is_ascii_digit())
                && number.chars().all(|c| c.is_ascii_digit() || c == '.')
        })
    })
}

fn api_not_versioned(cx: &ProjectCx<'_, reads![Python]>, out: &mut Vec<ProjectEmit>) {
    let Some((file, app)) = main_app(cx) else {
        return;
    };
    if app.framework == Framework::Django
        || cx
            .python()
            .any(|(_, facts)| !facts.is_test && facts.serves_pages)
        || !cx.routes_fully_known()
    {
        return;
    }
    let public: Vec<String> = cx
        .served_routes()
        .into_iter()
        .map(|route| route.path)
        .filter(|path| !is_infrastructure_path(path))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if public.is_empty() || public.iter().any(|path| has_version_segment(path)) {
        return;
    }
    let mut examples: Vec<String> = public
        .iter()
        .take(3)
        .map(|path| format!("`{path}`"))
        .collect();
    if public.len() > 3 {
        examples.push("...".to_string());
    }
    out.push(cx.emit(
        file.path.clone(),
        app.range.clone(),
        &[
            ("framework", app.framework.name()),
            ("count", &public.len().to_string()),
            ("examples", &examples.join(", ")),
        ],
        None,
    ));
}

/// A settings field, environment variable or settings class name that says
/// which environment the service runs in.
fn names_an_environment(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let last = lower.rsplit('_').next().unwrap_or(&lower);
    matches!(last, "environment" | "env" | "stage")
        || matches!(
            lower.as_str(),
            "app_mode" | "run_mode" | "deploy_mode" | "deployment_mode"
        )
}

/// `os.getenv("NAME", default)`, `os.environ.get("NAME", default)` (and
/// `.split(",")` after it): the variable and its default as written.
static ENV_READ_WITH_DEFAULT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r#"^(?:os\.getenv|os\.environ\.get|getenv|environ\.get)\(\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*,\s*(?:default\s*=\s*)?(.+?)\s*,?\s*\)(?:\.split\([^()]*\))?$"#,
    )
    .unwrap()
});

/// Whether a default, as written, turns on the switch a keyword sets:
/// every origin for `allow_origins`, `True` for `debug` and `reload` (a
/// string default of an environment read: a true word).
fn turns_on(keyword: &str, default: &str, from_environment: bool) -> bool {
    let default = default.trim();
    match keyword {
        "allow_origins" => {
            let inner = default
                .strip_prefix(['[', '(', '{'])
                .and_then(|rest| rest.strip_suffix([']', ')', '}']))
                .map(|inner| inner.trim().trim_end_matches(',').trim())
                .unwrap_or(default);
            matches!(inner, "\"*\"" | "'*'")
        }
        _ if from_environment => {
            let word = default.trim_matches(['"', '\'']).to_ascii_lowercase();
            default == "True" || matches!(word.as_str(), "true" | "1" | "yes" | "on")
        }
        _ => default == "True",
    }
}

/// A settings attribute given to a switch that must be off in production
/// (`allow_origins=settings.CORS_ORIGINS`), whose every definition in the
/// project (a `BaseSettings` field's default, a configuration module's
/// constant) turns it on.
fn setting_default_insecure(cx: &ProjectCx<'_, reads![Python]>, out: &mut Vec<ProjectEmit>) {
    // Each definition of a name: where it is said, and whether it turns a
    // switch on for a keyword (`None`: it does not, or its value is not
    // known).
    struct Definition<'p> {
        path: &'p Path,
        owner: Option<&'p str>,
        default: Option<&'p str>,
        variable: Option<&'p str>,
    }
    let uses: Vec<_> = cx
        .python()
        .filter(|(_, facts)| !facts.is_test)
        .flat_map(|(file, facts)| facts.setting_uses.iter().map(move |use_| (file, use_)))
        .collect();
    if uses.is_empty() {
        return;
    }
    let mut definitions: BTreeMap<&str, Vec<Definition<'_>>> = BTreeMap::new();
    for (file, facts) in cx.python() {
        if facts.is_test {
            continue;
        }
        for settings in &facts.settings {
            for (index, field) in settings.fields.iter().enumerate() {
                definitions.entry(field).or_default().push(Definition {
                    path: &file.path,
                    owner: Some(&settings.name),
                    default: settings.defaults.get(index).and_then(Option::as_deref),
                    variable: settings.variables.get(index).map(String::as_str),
                });
            }
        }
        for (name, value) in &facts.config_constants {
            let (default, variable) = match ENV_READ_WITH_DEFAULT.captures(value) {
                Some(found) => (
                    found.get(2).map(|default| default.as_str()),
                    found.get(1).map(|variable| variable.as_str()),
                ),
                None => (Some(value.as_str()), None),
            };
            definitions.entry(name).or_default().push(Definition {
                path: &file.path,
                owner: None,
                default,
                variable,
            });
        }
    }
    for (file, use_) in uses {
        let Some(found) = definitions.get(use_.attribute.as_str()) else {
            continue;
        };
        let all_on = found.iter().all(|definition| {
            definition.default.is_some_and(|default| {
                turns_on(
                    &use_.keyword,
                    default,
                    definition.variable.is_some() && definition.owner.is_none(),
                )
            })
        });
        let Some(first) = found.first().filter(|_| all_on) else {
            continue;
        };
        let default = first.default.unwrap_or_default();
        let name = match first.owner {
            Some(owner) => format!("`{owner}.{}`", use_.attribute),
            None => format!("`{}`", use_.attribute),
        };
        let origin = match first.variable {
            Some(variable) => format!(
                "{name} defaults to `{default}` (`{}`), which production gets unless its environment sets `{variable}`",
                first.path.display()
            ),
            None => format!("{name} is `{default}` (`{}`)", first.path.display()),
        };
        let consequence = match use_.keyword.as_str() {
            "allow_origins" => {
                "CORS allows every origin: any website can call the API with a user's browser"
            }
            "debug" => "debug mode is on: tracebacks and settings go to whoever triggers an error",
            _ => "the server runs its development reloader, watching files and restarting",
        };
        out.push(cx.emit(
            file.path.clone(),
            use_.range.clone(),
            &[
                ("keyword", &use_.keyword),
                ("written", &use_.written),
                ("origin", &origin),
                ("consequence", consequence),
            ],
            None,
        ));
    }
}

fn settings_not_environment_aware(cx: &ProjectCx<'_, reads![Python]>, out: &mut Vec<ProjectEmit>) {
    // `DevSettings`, `ProductionConfig`, `staging_settings`: a class per
    // environment (whole words, so `DeviceSettings` is not one).
    let per_environment_class = |name: &str| {
        let mut words = Vec::new();
        let mut word = String::new();
        for c in name.chars() {
            if (c.is_ascii_uppercase() || c == '_') && !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            if c != '_' {
                word.push(c.to_ascii_lowercase());
            }
        }
        words.push(word);
        words.iter().any(|word| {
            matches!(
                word.as_str(),
                "dev" | "development" | "prod" | "production" | "staging" | "local"
            )
        })
    };
    let aware = cx.python().any(|(_, facts)| {
        facts
            .env_reads
            .iter()
            .any(|read| names_an_environment(&read.name))
            || facts.settings.iter().any(|settings| {
                per_environment_class(&settings.name)
                    || settings
                        .fields
                        .iter()
                        .any(|field| names_an_environment(field))
            })
    });
    if aware {
        return;
    }
    for (file, facts) in cx.python() {
        if facts.is_test {
            continue;
        }
        for settings in &facts.settings {
            if settings.development_defaults.is_empty() {
                continue;
            }
            let defaults: Vec<String> = settings
                .development_defaults
                .iter()
                .map(|(field, value)| format!("`{field} = {value}`"))
                .collect();
            out.push(cx.emit(
                file.path.clone(),
                settings.range.clone(),
                &[
                    ("class", &settings.name),
                    ("defaults", &defaults.join(", ")),
                ],
                None,
            ));
        }
    }
}

fn missing_exception_handler(
    cx: &ProjectCx<'_, reads![Python, Dependencies]>,
    out: &mut Vec<ProjectEmit>,
) {
    let Some((file, app)) = cx
        .apps()
        .into_iter()
        .find(|(_, app)| app.framework.is_starlette_family())
    else {
        return;
    };
    let handled = cx.python().any(|(_, facts)| {
        facts.catch_all_middleware
            || facts.exception_handlers.iter().any(|handler| {
                let handler = handler.trim();
                handler == "Exception"
                    || handler == "BaseException"
                    || handler == "500"
                    || handler.ends_with("HTTP_500_INTERNAL_SERVER_ERROR")
            })
    });
    if !handled {
        out.push(cx.emit(
            file.path.clone(),
            app.range.clone(),
            &[("framework", app.framework.name())],
            None,
        ));
    }
}

fn missing_health_endpoint(
    cx: &ProjectCx<'_, reads![Python, Dependencies]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    let Some((file, app)) = main_app(project) else {
        return;
    };
    if !project.health_routes().is_empty() {
        return;
    }
    let fix = match (&app.var, app.framework) {
        (Some(var), Framework::FastApi | Framework::Flask) => {
            let facts = project.python().find(|(other, _)| other.path == file.path);
            let taken = facts.map(|(_, facts)| &facts.top_level_names);
            let name = if taken.is_some_and(|names| names.contains("health")) {
                "health_check"
            } else {
                "health"
            };
            let newline = line_break(&file.text);
            let indent = &app.indent;
            let blank = if indent.is_empty() {
                newline.repeat(2)
            } else {
                newline.to_string()
            };
            let at = next_line_start(&file.text, app.statement_end);
            let needs_break = at == file.text.len() && !file.text.ends_with(['\n', '\r']);
            let mut route = String::new();
            if needs_break {
                route.push_str(newline);
            }
            route.push_str(&blank);
            route.push_str(&format!(
                "{indent}@{var}.get(\"/health\"){newline}{indent}def {name}() -> dict[str, str]:{newline}{indent}    return {{\"status\": \"ok\"}}{newline}"
            ));
            if at < file.text.len() {
                route.push_str(&blank);
            }
            cx.fix(vec![TextEdit::insert(at, route)], Vec::new())
        }
        _ => None,
    };
    out.push(cx.emit(
        file.path.clone(),
        app.range.clone(),
        &[("framework", app.framework.name())],
        fix,
    ));
}

fn db_filter_column_without_index(cx: &ProjectCx<'_, reads![Python]>, out: &mut Vec<ProjectEmit>) {
    let python: Vec<_> = cx.python().collect();
    // Model name → its file and facts; a name declared twice is ambiguous.
    let mut models: BTreeMap<&str, Option<(&ProjectFile, &crate::project::ModelFact)>> =
        BTreeMap::new();
    let mut model_indexes: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut table_indexes: BTreeSet<(&str, &str)> = BTreeSet::new();
    let mut mysql = false;
    for (file, facts) in &python {
        for model in facts
            .models
            .iter()
            .filter(|model| model.orm == Orm::SqlAlchemy)
        {
            models
                .entry(model.name.as_str())
                .and_modify(|found| *found = None)
                .or_insert(Some((file, model)));
        }
        model_indexes.extend(
            facts
                .model_indexes
                .iter()
                .map(|(model, column)| (model.as_str(), column.as_str())),
        );
        table_indexes.extend(
            facts
                .table_indexes
                .iter()
                .map(|(table, column)| (table.as_str(), column.as_str())),
        );
        mysql |= facts.mysql;
    }
    // (model, column) → where it is looked up.
    let mut lookups: BTreeMap<(&str, &str), Vec<(&ProjectFile, &crate::project::LookupFact)>> =
        BTreeMap::new();
    for (file, facts) in &python {
        if facts.is_test || crate::python::is_script_path(&file.path) {
            continue;
        }
        for lookup in &facts.lookups {
            lookups
                .entry((lookup.model.as_str(), lookup.column.as_str()))
                .or_default()
                .push((file, lookup));
        }
    }
    // Whether a column of a model is indexed (`None`: not a known model column).
    let indexed = |model_name: &str, column_name: &str| {
        let Some(Some((_, model))) = models.get(model_name) else {
            return None;
        };
        let column = model
            .columns
            .iter()
            .find(|column| column.name == column_name)?;
        let indexed_by_table = model
            .table
            .as_deref()
            .is_some_and(|table| table_indexes.contains(&(table, column_name)));
        Some(
            column.indexed
                || (column.foreign_key && mysql)
                || model_indexes.contains(&(model_name, column_name))
                || indexed_by_table,
        )
    };
    // A query that also looks rows up by an indexed column of the model is
    // served by that index (`where(Order.org_id == o, Order.status == s)`):
    // the scopes (file, function, model) with such a lookup.
    let served: BTreeSet<(&std::path::Path, usize, &str)> = lookups
        .iter()
        .filter(|((model, column), _)| indexed(model, column) == Some(true))
        .flat_map(|((model, _), places)| {
            places
                .iter()
                .map(|(file, lookup)| (file.path.as_path(), lookup.scope, *model))
        })
        .collect();
    for ((model_name, column_name), places) in lookups {
        let Some(Some((file, model))) = models.get(model_name) else {
            continue;
        };
        let Some(column) = model
            .columns
            .iter()
            .find(|column| column.name == column_name)
        else {
            continue;
        };
        if indexed(model_name, column_name) != Some(false) {
            continue;
        }
        let places: Vec<_> = places
            .into_iter()
            .filter(|(file, lookup)| {
                !served.contains(&(file.path.as_path(), lookup.scope, model_name))
            })
            .collect();
        if places.is_empty() {
            continue;
        }
        let (first_file, first) = places[0];
        let first_line = crate::text::LineIndex::new(&ropey::Rope::from_str(&first_file.text))
            .position(first.range.start, crate::text::Encoding::Utf8)
            .line
            + 1;
        let mut methods: Vec<String> = places
            .iter()
            .map(|(_, lookup)| format!("`{}`", lookup.method))
            .collect();
        methods.sort();
        methods.dedup();
        let count = places.len();
        let where_text = format!(
            "{} at {}:{first_line}{}",
            methods.join("/"),
            first_file.path.display(),
            if count > 1 {
                format!(
                    " and {} more place{}",
                    count - 1,
                    if count == 2 { "" } else { "s" }
                )
            } else {
                String::new()
            }
        );
        let foreign = if column.foreign_key {
            " (a foreign key: PostgreSQL and SQLite do not index those by themselves)"
        } else {
            ""
        };
        let mut emit = cx.emit(
            file.path.clone(),
            column.range.clone(),
            &[
                ("model", model_name),
                ("column", column_name),
                ("lookups", &where_text),
                ("foreign", foreign),
            ],
            None,
        );
        for (place_file, lookup) in places {
            emit = emit.related(
                place_file.path.clone(),
                lookup.range.clone(),
                format!("`{model_name}.{column_name}` looked up here"),
            );
        }
        out.push(emit);
    }
}

/// Last path segments of routes that are liveness probes by name: meant
/// to stay shallow.
const LIVENESS_SEGMENTS: [&str; 4] = ["live", "livez", "liveness", "ping"];

fn health_check_shallow(cx: &ProjectCx<'_, reads![Python]>, out: &mut Vec<ProjectEmit>) {
    let mut backends: BTreeMap<crate::project::Backend, &str> = BTreeMap::new();
    for (_, facts) in cx.python().filter(|(_, facts)| !facts.is_test) {
        for (backend, package) in &facts.backends {
            backends.entry(*backend).or_insert(package);
        }
    }
    let Some((first, _)) = backends.first_key_value() else {
        return;
    };
    // `/jobs/{id}/status` reports on a job, not on the service.
    let routes: Vec<_> = cx
        .health_routes()
        .into_iter()
        .filter(|route| !route.path.contains(['{', '<']))
        .collect();
    // An app with one health route that checks something: its shallow ones
    // are liveness.
    let checked: BTreeSet<&str> = routes
        .iter()
        .filter(|route| !route.shallow)
        .map(|route| route.app.as_str())
        .collect();
    let named = backends
        .iter()
        .map(|(backend, package)| format!("{} (`{package}`)", backend.name()))
        .collect::<Vec<_>>();
    let named = match named.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => return,
    };
    let mut seen = BTreeSet::new();
    for route in &routes {
        let path = route.path.trim_end_matches('/');
        let last = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
        if LIVENESS_SEGMENTS.contains(&last.as_str())
            || checked.contains(route.app.as_str())
            || !seen.insert((route.file.clone(), route.range.start))
        {
            continue;
        }
        out.push(cx.emit(
            route.file.clone(),
            route.range.clone(),
            &[("backends", &named), ("first", first.name())],
            None,
        ));
    }
}

/// Whether an environment variable names the origin of a browser app
/// that calls the service (`FRONTEND_URL`, `NOTES_CORS_ORIGINS`, ...).
fn is_frontend_origin_variable(name: &str) -> bool {
    let name = name.to_ascii_uppercase();
    let words: Vec<&str> = name.split('_').filter(|word| !word.is_empty()).collect();
    let Some((last, rest)) = words.split_last() else {
        return false;
    };
    let Some(before) = rest.last() else {
        return false;
    };
    match *last {
        "ORIGIN" | "ORIGINS" => {
            matches!(
                *before,
                "CORS" | "ALLOWED" | "FRONTEND" | "CLIENT" | "WEB" | "UI" | "SPA"
            )
        }
        "URL" | "HOST" | "DOMAIN" => matches!(*before, "FRONTEND" | "WEBAPP" | "SPA"),
        _ => false,
    }
}

fn cors_not_configured(
    cx: &ProjectCx<'_, reads![Python, Dependencies, DotEnv]>,
    out: &mut Vec<ProjectEmit>,
) {
    let Some((file, app)) = main_app(cx) else {
        return;
    };
    if cx.has_capability(Capability::Cors) {
        return;
    }
    // Where the project shows a browser app on another origin.
    let mut evidence: Option<(PathBuf, Range<usize>, String)> = None;
    for (file, facts) in cx.python().filter(|(_, facts)| !facts.is_test) {
        if evidence.is_some() {
            break;
        }
        if let Some((origin, range)) = facts.browser_origins.first() {
            evidence = Some((file.path.clone(), range.clone(), format!("`{origin}`")));
        } else if let Some(read) = facts
            .env_reads
            .iter()
            .find(|read| is_frontend_origin_variable(&read.name))
        {
            evidence = Some((
                file.path.clone(),
                read.range.clone(),
                format!("`{}`", read.name),
            ));
        } else if let Some((settings, name)) = facts.settings.iter().find_map(|settings| {
            settings
                .variables
                .iter()
                .find(|name| is_frontend_origin_variable(name))
                .map(|name| (settings, name))
        }) {
            evidence = Some((
                file.path.clone(),
                settings.range.clone(),
                format!("`{name}` in `{}`", settings.name),
            ));
        }
    }
    if evidence.is_none() {
        evidence = cx.env_files().find_map(|(file, entries)| {
            entries
                .iter()
                .find(|entry| is_frontend_origin_variable(&entry.key))
                .map(|entry| {
                    (
                        file.path.clone(),
                        entry.range.clone(),
                        format!("`{}`", entry.key),
                    )
                })
        });
    }
    let Some((path, range, what)) = evidence else {
        return;
    };
    let emit = cx
        .emit(
            file.path.clone(),
            app.range.clone(),
            &[("framework", app.framework.name()), ("evidence", &what)],
            None,
        )
        .related(
            path,
            range,
            format!("{what}: a browser app on another origin"),
        );
    out.push(emit);
}

// ---------------------------------------------------------------------------
// Environment files

/// Variables that the platform or the shell sets, never documented in an
/// example file.
const AMBIENT_VARIABLES: [&str; 15] = [
    "HOME",
    "PATH",
    "USER",
    "PWD",
    "HOSTNAME",
    "TERM",
    "SHELL",
    "LANG",
    "PYTHONPATH",
    "PYTHONUNBUFFERED",
    "CI",
    "GITHUB_ACTIONS",
    "DJANGO_SETTINGS_MODULE",
    "UID",
    // Set by Railway when a volume is attached: no one writes it down.
    "RAILWAY_VOLUME_MOUNT_PATH",
];

/// Every environment variable the project uses, in first-seen order:
/// `.env` keys, settings class fields (with `env_prefix`), reads in code,
/// and `${VAR}` references in compose files without a default.
fn used_variables<R, I, J, K>(project: &ProjectCx<'_, R>) -> Vec<String>
where
    R: Has<kinds::DotEnv, I> + Has<kinds::Python, J> + Has<kinds::Compose, K>,
{
    let mut seen = BTreeSet::new();
    let mut ordered = Vec::new();
    let mut add = |name: &str| {
        let upper = name.to_ascii_uppercase();
        if !AMBIENT_VARIABLES.contains(&upper.as_str()) && seen.insert(upper) {
            ordered.push(name.to_string());
        }
    };
    for (_, entries) in project.real_env_files() {
        for entry in entries {
            add(&entry.key);
        }
    }
    for (_, facts) in project.python() {
        for settings in &facts.settings {
            for variable in &settings.variables {
                add(variable);
            }
        }
        for read in &facts.env_reads {
            add(&read.name);
        }
    }
    for (_, facts) in project.compose_files() {
        for interpolation in &facts.interpolations {
            if !interpolation.handled {
                add(&interpolation.name);
            }
        }
    }
    ordered
}

/// The first line that is neither blank nor a comment (where a finding
/// about a whole file points), or the empty range at the start.
fn first_line(text: &str) -> Range<usize> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if !trimmed.is_empty() && !trimmed.starts_with('#') {
            let start = offset + content.len() - trimmed.len();
            return start..offset + content.len();
        }
        offset += line.len();
    }
    0..0
}

fn env_example_missing(
    cx: &ProjectCx<'_, reads![DotEnv, Python, Compose, Dependencies, Paths]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    if project.env_example().is_some() || project.outer_env_example().is_some() {
        return;
    }
    let real_env: Vec<_> = project
        .real_env_files()
        .filter(|(file, _)| file.path.parent() == Some(Path::new("")))
        .collect();
    if !project.is_service() && real_env.is_empty() {
        return;
    }
    let variables = used_variables(project);
    if variables.is_empty() {
        return;
    }
    let anchor = if let Some((file, _)) = real_env.first() {
        Some((file.path.clone(), first_line(&file.text)))
    } else {
        project.python().find_map(|(file, facts)| {
            facts
                .settings
                .first()
                .map(|settings| (file.path.clone(), settings.range.clone()))
                .or_else(|| {
                    facts
                        .env_reads
                        .first()
                        .map(|read| (file.path.clone(), read.range.clone()))
                })
        })
    };
    let Some((path, range)) = anchor.or_else(|| project.anchor()) else {
        return;
    };
    let mut text = String::from(
        "# The environment variables of this service. Copy to .env and fill in the values.\n",
    );
    for variable in &variables {
        text.push_str(&format!("{variable}=\n"));
    }
    let fix = cx.fix(
        Vec::new(),
        vec![FileChange::Create {
            path: PathBuf::from(".env.example"),
            text,
        }],
    );
    let count = variables.len().to_string();
    out.push(cx.emit(path, range, &[("count", &count)], fix));
}

fn env_example_drift(
    cx: &ProjectCx<'_, reads![DotEnv, Python, Compose]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    let Some((file, entries)) = project.env_example() else {
        return;
    };
    let listed: BTreeSet<String> = entries
        .iter()
        .map(|entry| entry.key.to_ascii_uppercase())
        .collect();
    let missing: Vec<String> = used_variables(project)
        .into_iter()
        .filter(|name| !listed.contains(&name.to_ascii_uppercase()))
        .collect();
    if missing.is_empty() {
        return;
    }
    let newline = line_break(&file.text);
    let mut addition = String::new();
    if !file.text.is_empty() && !file.text.ends_with(['\n', '\r']) {
        addition.push_str(newline);
    }
    for name in &missing {
        addition.push_str(&format!("{name}={newline}"));
    }
    let fix = cx.fix(
        vec![TextEdit::insert(file.text.len(), addition)],
        Vec::new(),
    );
    let shown = if missing.len() > 6 {
        format!("{} and {} more", missing[..6].join(", "), missing.len() - 6)
    } else {
        missing.join(", ")
    };
    out.push(cx.emit(
        file.path.clone(),
        first_line(&file.text),
        &[("missing", &shown)],
        fix,
    ));
}

const SECRET_NAME_PARTS: [&str; 9] = [
    "SECRET",
    "PASSWORD",
    "PASSWD",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIALS",
];

const KEY_PREFIXES: [&str; 10] = [
    "AKIA",
    "sk-",
    "ghp_",
    "github_pat_",
    "xoxb-",
    "xoxp-",
    "gsk_",
    "AIza",
    "sk_live_",
    "-----BEGIN",
];

const PLACEHOLDER_WORDS: [&str; 14] = [
    "your",
    "change",
    "example",
    "replace",
    "placeholder",
    "dummy",
    "xxx",
    "fake",
    "test",
    "sample",
    "here",
    "todo",
    "<",
    "...",
];

/// Whether an example value looks like a real secret: a well-known key
/// format, or a long, random-looking value for a secret-like name.
pub fn looks_like_real_secret(key: &str, value: &str) -> bool {
    let lower = value.to_ascii_lowercase();
    if value.is_empty() || PLACEHOLDER_WORDS.iter().any(|word| lower.contains(word)) {
        return false;
    }
    if KEY_PREFIXES
        .iter()
        .any(|prefix| value.starts_with(prefix) && value.len() >= prefix.len() + 12)
    {
        return true;
    }
    let upper = key.to_ascii_uppercase();
    let secret_name = SECRET_NAME_PARTS.iter().any(|part| upper.contains(part));
    let random_looking = value.len() >= 16
        && !value.contains(' ')
        && value.chars().any(|c| c.is_ascii_digit())
        && value.chars().any(|c| c.is_ascii_alphabetic())
        && !value.contains("://");
    secret_name && random_looking
}

fn env_example_real_secret(cx: &ProjectCx<'_, reads![DotEnv]>, out: &mut Vec<ProjectEmit>) {
    for (file, entries) in cx.env_files() {
        let is_example = file
            .path
            .file_name()
            .and_then(|name| name.to_str())
            .is_some_and(crate::project::is_env_example_name);
        if !is_example {
            continue;
        }
        for entry in entries {
            if looks_like_real_secret(&entry.key, &entry.value) {
                let fix = cx.fix(
                    vec![TextEdit::replace(entry.value_range.clone(), "")],
                    Vec::new(),
                );
                out.push(cx.emit(
                    file.path.clone(),
                    entry.range.clone(),
                    &[("name", &entry.key)],
                    fix,
                ));
            }
        }
    }
}

fn env_file_not_ignored(cx: &ProjectCx<'_, reads![DotEnv, Ignore]>, out: &mut Vec<ProjectEmit>) {
    let project = cx;
    for (file, _) in project.real_env_files() {
        if project.git_ignores(&file.path, false) {
            continue;
        }
        let name = file
            .path
            .file_name()
            .and_then(|name| name.to_str())
            .unwrap_or(".env")
            .to_string();
        let change = match project.file_of::<kinds::Ignore, _>(Path::new(".gitignore")) {
            Some(gitignore) => {
                let newline = line_break(&gitignore.text);
                let mut addition = String::new();
                if !gitignore.text.is_empty() && !gitignore.text.ends_with(['\n', '\r']) {
                    addition.push_str(newline);
                }
                addition.push_str(&format!("{name}{newline}"));
                FileChange::Edit {
                    path: PathBuf::from(".gitignore"),
                    edits: vec![TextEdit::insert(gitignore.text.len(), addition)],
                }
            }
            None => FileChange::Create {
                path: PathBuf::from(".gitignore"),
                text: format!("# Environment files hold secrets: never commit them.\n{name}\n"),
            },
        };
        let fix = cx.fix(Vec::new(), vec![change]);
        let path = file.path.to_string_lossy().replace('\\', "/");
        out.push(cx.emit(
            file.path.clone(),
            first_line(&file.text),
            &[("path", &path)],
            fix,
        ));
    }
}

/// The `.gitignore` a Python service starts with.
pub const GITIGNORE_TEMPLATE: &str = "# Environment files hold secrets: never commit them.
.env
.env.*
!.env.example

# Python
__pycache__/
*.py[cod]
.venv/
venv/
*.egg-info/
build/
dist/

# Tools
.pytest_cache/
.mypy_cache/
.ruff_cache/
.coverage
htmlcov/
";

fn gitignore_missing(
    cx: &ProjectCx<'_, reads![Ignore, Python, Dependencies, Paths]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    if !project.is_service() || project.has_gitignore() {
        return;
    }
    let Some((path, range)) = project.anchor() else {
        return;
    };
    let fix = cx.fix(
        Vec::new(),
        vec![FileChange::Create {
            path: PathBuf::from(".gitignore"),
            text: GITIGNORE_TEMPLATE.to_string(),
        }],
    );
    out.push(cx.emit(path, range, &[], fix));
}

// ---------------------------------------------------------------------------
// Dependencies

fn requirements_unpinned(cx: &ProjectCx<'_, reads![Dependencies]>, out: &mut Vec<ProjectEmit>) {
    let project = cx;
    let locked = project.locked_versions();
    for (file, facts) in project.requirements_files() {
        let name = file.path.to_string_lossy().to_ascii_lowercase();
        let constrained = file.text.lines().any(|line| {
            line.trim_start().starts_with("-c ") || line.trim_start().starts_with("--constraint")
        });
        // Development requirements do not reach production.
        let development = [
            "dev", "test", "lint", "docs", "doc", "ci", "local", "typing",
        ]
        .iter()
        .any(|word| {
            let file = name.rsplit('/').next().unwrap_or(&name);
            file.contains(&format!("-{word}"))
                || file.contains(&format!("_{word}"))
                || file.contains(&format!(".{word}."))
                || file.contains(&format!("{word}-requirements"))
        });
        if facts.hashed || facts.compiled || name.ends_with(".in") || constrained || development {
            continue;
        }
        for requirement in &facts.requirements {
            if requirement.pinned {
                continue;
            }
            let fix = locked.get(&requirement.name).and_then(|version| {
                cx.fix(
                    vec![TextEdit::replace(
                        requirement.specifier_range.clone(),
                        format!("=={version}"),
                    )],
                    Vec::new(),
                )
            });
            let written = &file.text[requirement.name_range.start..requirement.specifier_range.end];
            out.push(cx.emit(
                file.path.clone(),
                requirement.name_range.start..requirement.specifier_range.end,
                &[("requirement", written.trim())],
                fix,
            ));
        }
    }
}

fn pyproject_no_lockfile(
    cx: &ProjectCx<'_, reads![Dependencies, Python, Paths]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    let Some((file, facts)) = project.pyproject() else {
        return;
    };
    if !project.is_service() || facts.open_dependencies.is_empty() || project.has_lock_file() {
        return;
    }
    // A fully pinned requirements file is the lock of many deployments.
    let pinned_requirements = project.requirements_files().any(|(_, requirements)| {
        !requirements.requirements.is_empty()
            && requirements.requirements.iter().all(|req| req.pinned)
    });
    if pinned_requirements {
        return;
    }
    let Some(header) = facts.header.clone() else {
        return;
    };
    let count = facts.open_dependencies.len().to_string();
    out.push(cx.emit(file.path.clone(), header, &[("count", &count)], None));
}

// ---------------------------------------------------------------------------
// Deployment platforms

/// The health route to suggest: the shortest health-looking path served.
fn suggested_health_path<R, I>(project: &ProjectCx<'_, R>) -> Option<String>
where
    R: Has<kinds::Python, I>,
{
    project
        .health_routes()
        .into_iter()
        .map(|route| route.path)
        .filter(|path| !path.contains(['{', '<']))
        .min_by_key(|path| (path.len(), path.clone()))
}

/// Edits adding keys to the `deploy` section of a railway file. `json` is
/// the entries as JSON (`"key": value`), `toml` as TOML lines.
fn railway_add(file: &ProjectFile, json: &[String], toml: &[String]) -> Option<Vec<TextEdit>> {
    let text = &file.text;
    let newline = line_break(text);
    if file.path.extension().is_some_and(|ext| ext == "toml") {
        let body: String = toml.iter().map(|line| format!("{line}{newline}")).collect();
        return Some(match crate::project::header_range_of(text, "[deploy]") {
            Some(header) => vec![TextEdit::insert(next_line_start(text, header.end), body)],
            None => {
                let mut addition = String::new();
                if !text.is_empty() && !text.ends_with(['\n', '\r']) {
                    addition.push_str(newline);
                }
                if !text.is_empty() {
                    addition.push_str(newline);
                }
                addition.push_str(&format!("[deploy]{newline}{body}"));
                vec![TextEdit::insert(text.len(), addition)]
            }
        });
    }
    let tree = parse(FileKind::Json, text, None)?;
    let root = value::from_json(tree.root_node(), text)?;
    if !root.is_map() {
        return None;
    }
    let insert_into = |object: &Value, entries: &[String]| -> TextEdit {
        match object.entries().first() {
            Some((_, key_range, _)) => {
                let indent = line_indent(text, key_range.start);
                let same_line = text[object.range.start..key_range.start].contains(['\n', '\r']);
                let separator = if same_line {
                    format!(",{newline}{indent}")
                } else {
                    ", ".to_string()
                };
                let mut inserted = entries.join(&separator);
                inserted.push_str(&separator);
                TextEdit::insert(key_range.start, inserted)
            }
            None => TextEdit::replace(
                object.range.clone(),
                format!("{{ {} }}", entries.join(", ")),
            ),
        }
    };
    Some(match root.get("deploy") {
        Some(deploy) if deploy.is_map() => vec![insert_into(deploy, json)],
        Some(_) => return None,
        None => vec![insert_into(
            &root,
            &[format!("\"deploy\": {{ {} }}", json.join(", "))],
        )],
    })
}

fn railway_anchor(file: &ProjectFile, deploy: Option<&Range<usize>>) -> Range<usize> {
    deploy.cloned().unwrap_or_else(|| first_line(&file.text))
}

fn railway_no_healthcheck(cx: &ProjectCx<'_, reads![Deploy, Python]>, out: &mut Vec<ProjectEmit>) {
    for (file, facts) in cx.railway() {
        if !facts.parsed || facts.healthcheck_path.is_some() {
            continue;
        }
        let fix = suggested_health_path(cx).and_then(|path| {
            let edits = railway_add(
                file,
                &[format!("\"healthcheckPath\": \"{path}\"")],
                &[format!("healthcheckPath = \"{path}\"")],
            )?;
            cx.fix(edits, Vec::new())
        });
        out.push(cx.emit(
            file.path.clone(),
            railway_anchor(file, facts.deploy.as_ref()),
            &[],
            fix,
        ));
    }
}

fn railway_no_restart_policy(cx: &ProjectCx<'_, reads![Deploy]>, out: &mut Vec<ProjectEmit>) {
    for (file, facts) in cx.railway() {
        if !facts.parsed || facts.restart_policy {
            continue;
        }
        let fix = railway_add(
            file,
            &[
                "\"restartPolicyType\": \"ON_FAILURE\"".to_string(),
                "\"restartPolicyMaxRetries\": 10".to_string(),
            ],
            &[
                "restartPolicyType = \"ON_FAILURE\"".to_string(),
                "restartPolicyMaxRetries = 10".to_string(),
            ],
        )
        .and_then(|edits| cx.fix(edits, Vec::new()));
        out.push(cx.emit(
            file.path.clone(),
            railway_anchor(file, facts.deploy.as_ref()),
            &[],
            fix,
        ));
    }
}

fn fly_no_healthcheck(cx: &ProjectCx<'_, reads![Deploy]>, out: &mut Vec<ProjectEmit>) {
    for (file, facts) in cx.fly() {
        if let Some(service) = &facts.service
            && !facts.has_checks
        {
            out.push(cx.emit(file.path.clone(), service.clone(), &[], None));
        }
    }
}

/// The processes a platform runs: a process type written twice is the
/// last of its lines (the platforms read the file into a map of types).
fn effective_processes(processes: &[Process]) -> impl Iterator<Item = &Process> {
    processes.iter().enumerate().filter_map(|(index, process)| {
        (!processes[index + 1..]
            .iter()
            .any(|later| later.name == process.name))
        .then_some(process)
    })
}

/// A `Procfile` process that runs Django's development server, reported at
/// the `runserver` word (whatever the process type: the platform starts
/// every process as written).
fn procfile_django_runserver(cx: &ProjectCx<'_, reads![Deploy]>, out: &mut Vec<ProjectEmit>) {
    for (file, processes) in cx.procfiles() {
        for process in effective_processes(processes) {
            let Some((_, range)) = process
                .words
                .iter()
                .find(|(word, _)| matches!(word.as_str(), "runserver" | "runserver_plus"))
            else {
                continue;
            };
            out.push(cx.emit(
                file.path.clone(),
                range.clone(),
                &[("process", &process.name)],
                None,
            ));
        }
    }
}

/// A `Procfile` process that starts its server with development flags
/// (`--reload`, `flask run --debug`), reported at the first; the fix
/// deletes them all, each with the blanks before it.
fn procfile_reload(cx: &ProjectCx<'_, reads![Deploy]>, out: &mut Vec<ProjectEmit>) {
    for (file, processes) in cx.procfiles() {
        for process in effective_processes(processes) {
            let words: Vec<&str> = process
                .words
                .iter()
                .map(|(word, _)| word.as_str())
                .collect();
            let flags = crate::compose::dev_flags(&words);
            let Some(&(first, _)) = flags.first() else {
                continue;
            };
            let edits = flags
                .iter()
                .map(|&(index, count)| {
                    let last = (index + count - 1).min(words.len() - 1);
                    let start = process.words[index].1.start;
                    let from = file.text[..start].trim_end_matches([' ', '\t']).len();
                    TextEdit::delete(from..process.words[last].1.end)
                })
                .collect();
            out.push(cx.emit(
                file.path.clone(),
                process.words[first].1.clone(),
                &[("process", &process.name), ("flag", words[first])],
                cx.fix(edits, Vec::new()),
            ));
        }
    }
}

/// The first place service code keeps state on the local disk (tests and
/// scripts do not count), and whether the code reads the path of a Railway
/// volume (`RAILWAY_VOLUME_MOUNT_PATH`, set only when one is attached).
fn local_state<'a>(
    cx: &ProjectCx<'a, reads![Deploy, Python]>,
) -> (Option<(&'a ProjectFile, &'a LocalStateFact)>, bool) {
    const VOLUME_PATH: &str = "RAILWAY_VOLUME_MOUNT_PATH";
    let mut first = None;
    let mut reads_volume = false;
    for (file, facts) in cx.python() {
        reads_volume |= facts.env_reads.iter().any(|read| read.name == VOLUME_PATH)
            || facts
                .settings
                .iter()
                .any(|settings| settings.variables.iter().any(|name| name == VOLUME_PATH));
        if first.is_none() && !facts.is_test && !crate::python::is_script_path(&file.path) {
            first = facts.local_state.first().map(|state| (file, state));
        }
    }
    (first, reads_volume)
}

fn railway_no_volume(cx: &ProjectCx<'_, reads![Deploy, Python]>, out: &mut Vec<ProjectEmit>) {
    let (Some((state_file, state)), reads_volume) = local_state(cx) else {
        return;
    };
    let path = state_file.path.to_string_lossy().replace('\\', "/");
    let related = |emit: ProjectEmit| {
        emit.related(
            state_file.path.clone(),
            state.range.clone(),
            format!("{} is written here", state.what),
        )
    };
    if !reads_volume {
        for (file, facts) in cx.railway() {
            if !facts.parsed {
                continue;
            }
            out.push(related(cx.emit(
                file.path.clone(),
                railway_anchor(file, facts.deploy.as_ref()),
                &[
                    ("what", state.what),
                    ("path", &path),
                    ("platform", "Railway"),
                    (
                        "remedy",
                        "Attach a volume at the data folder (dashboard or `railway volume add`) and build the paths from `RAILWAY_VOLUME_MOUNT_PATH`, or keep the data in a managed database.",
                    ),
                ],
                None,
            )));
        }
    }
    for (file, facts) in cx.fly() {
        if facts.mounts {
            continue;
        }
        let Some(service) = &facts.service else {
            continue;
        };
        out.push(related(cx.emit(
            file.path.clone(),
            service.clone(),
            &[
                ("what", state.what),
                ("path", &path),
                ("platform", "Fly"),
                (
                    "remedy",
                    "Create a volume (`fly volumes create data`) and mount it with a `[mounts]` section at the data folder, or keep the data in a managed database.",
                ),
            ],
            None,
        )));
    }
}

fn railway_no_resource_limits(cx: &ProjectCx<'_, reads![Deploy]>, out: &mut Vec<ProjectEmit>) {
    for (file, facts) in cx.railway() {
        if !facts.parsed || facts.limits {
            continue;
        }
        out.push(cx.emit(
            file.path.clone(),
            railway_anchor(file, facts.deploy.as_ref()),
            &[
                ("platform", "Railway"),
                (
                    "missing",
                    "no `numReplicas`, `multiRegionConfig` or `limitOverride`",
                ),
            ],
            None,
        ));
    }
    for (file, facts) in cx.fly() {
        if facts.limits {
            continue;
        }
        let Some(service) = &facts.service else {
            continue;
        };
        out.push(cx.emit(
            file.path.clone(),
            service.clone(),
            &[
                ("platform", "Fly"),
                (
                    "missing",
                    "no machine size (`[[vm]]`) and no concurrency limit",
                ),
            ],
            None,
        ));
    }
}

// ---------------------------------------------------------------------------
// CI, tests, migrations

fn ci_missing(
    cx: &ProjectCx<'_, reads![Ci, Python, Dependencies, Paths]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    if !project.is_service()
        || project.ci_files().next().is_some()
        || !project.outer_ci().is_empty()
    {
        return;
    }
    if let Some((path, range)) = project.anchor() {
        out.push(cx.emit(path, range, &[], None));
    }
}

fn ci_runs_no_tests(cx: &ProjectCx<'_, reads![Ci]>, out: &mut Vec<ProjectEmit>) {
    let files: Vec<_> = cx.ci_files().collect();
    if files.is_empty()
        || files.iter().any(|(_, facts)| facts.runs_tests)
        || cx.outer_ci().iter().any(|facts| facts.runs_tests)
    {
        return;
    }
    let (file, facts) = files[0];
    let count = files.len().to_string();
    out.push(cx.emit(
        file.path.clone(),
        facts.anchor.clone(),
        &[("count", &count)],
        None,
    ));
}

fn tests_missing(
    cx: &ProjectCx<'_, reads![Python, Dependencies, Paths]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    if !project.is_service() || project.has_tests() {
        return;
    }
    if let Some((path, range)) = project.anchor() {
        out.push(cx.emit(path, range, &[], None));
    }
}

fn migrations_missing(cx: &ProjectCx<'_, reads![Python, Paths]>, out: &mut Vec<ProjectEmit>) {
    let project = cx;
    let has_alembic = project.has_alembic();
    let mut reported_sqlalchemy = false;
    let mut reported_dirs = BTreeSet::new();
    for (file, facts) in project.python() {
        for model in &facts.models {
            match model.orm {
                Orm::SqlAlchemy if !has_alembic && !reported_sqlalchemy => {
                    reported_sqlalchemy = true;
                    out.push(cx.emit(
                        file.path.clone(),
                        model.range.clone(),
                        &[("model", &model.name), ("tool", "Alembic")],
                        None,
                    ));
                }
                Orm::Django => {
                    let dir = file.path.parent().unwrap_or(Path::new("")).to_path_buf();
                    if !project.has_django_migrations(&dir) && reported_dirs.insert(dir) {
                        out.push(cx.emit(
                            file.path.clone(),
                            model.range.clone(),
                            &[("model", &model.name), ("tool", "Django migrations")],
                            None,
                        ));
                    }
                }
                Orm::SqlAlchemy => {}
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Containers

/// The `.dockerignore` a Python service starts with.
pub const DOCKERIGNORE_TEMPLATE: &str =
    "# Keep secrets, history and local junk out of the build context.
.git
.env
.env.*
!.env.example
.venv
venv
__pycache__
*.py[cod]
.pytest_cache
.mypy_cache
.ruff_cache
.coverage
htmlcov
Dockerfile*
docker-compose*.yml
compose*.yaml
";

fn dockerignore_missing(
    cx: &ProjectCx<'_, reads![Dockerfile, Ignore, Paths]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    for (file, facts) in project.dockerfiles() {
        let Some(copy) = facts
            .stages
            .iter()
            .find_map(|stage| stage.copies_context.clone())
        else {
            continue;
        };
        let dir = file.path.parent().unwrap_or(Path::new(""));
        let specific = PathBuf::from(format!("{}.dockerignore", file.path.to_string_lossy()));
        let ignore_file = project
            .file_of::<kinds::Ignore, _>(&specific)
            .or_else(|| project.file_of::<kinds::Ignore, _>(&dir.join(".dockerignore")));
        match ignore_file {
            None => {
                let fix = cx.fix(
                    Vec::new(),
                    vec![FileChange::Create {
                        path: dir.join(".dockerignore"),
                        text: DOCKERIGNORE_TEMPLATE.to_string(),
                    }],
                );
                out.push(cx.emit(
                    file.path.clone(),
                    copy,
                    &[("missing", "no `.dockerignore`")],
                    fix,
                ));
            }
            Some(ignore) => {
                let mut missing = Vec::new();
                if !ignore_text_matches(&ignore.text, Path::new(".env"), false) {
                    missing.push(".env");
                }
                if !ignore_text_matches(&ignore.text, Path::new(".git"), true) {
                    missing.push(".git");
                }
                if missing.is_empty() {
                    continue;
                }
                let newline = line_break(&ignore.text);
                let mut addition = String::new();
                if !ignore.text.is_empty() && !ignore.text.ends_with(['\n', '\r']) {
                    addition.push_str(newline);
                }
                for entry in &missing {
                    addition.push_str(&format!("{entry}{newline}"));
                }
                let fix = cx.fix(
                    vec![TextEdit::insert(ignore.text.len(), addition)],
                    Vec::new(),
                );
                let shown = format!(
                    "a `.dockerignore` that does not exclude {}",
                    missing
                        .iter()
                        .map(|entry| format!("`{entry}`"))
                        .collect::<Vec<_>>()
                        .join(" and ")
                );
                out.push(
                    cx.emit(
                        ignore.path.clone(),
                        first_line(&ignore.text),
                        &[("missing", &shown)],
                        fix,
                    )
                    .related(
                        file.path.clone(),
                        copy,
                        "the `COPY` that sends the build context",
                    ),
                );
            }
        }
    }
}

/// The Dockerfile a compose service builds, if it is in the project.
fn built_dockerfile<'a, R, I>(
    project: &ProjectCx<'a, R>,
    compose_file: &Path,
    build: &(String, String),
) -> Option<&'a ProjectFile>
where
    R: Has<kinds::Dockerfile, I>,
{
    let base = compose_file.parent().unwrap_or(Path::new(""));
    let context = build.0.trim_start_matches("./");
    let context = if context == "." { "" } else { context };
    let path = base.join(context).join(build.1.trim_start_matches("./"));
    project.file_of::<kinds::Dockerfile, _>(&normalize(&path))
}

fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// An HTTP health probe of the deployment config: the file, the probed
/// path and its range, and the folder (relative to the root) of the
/// nested project that serves it when a compose service builds from one
/// (`build: ./services/api` in a monorepo's root compose file).
struct Probe {
    file: PathBuf,
    path: String,
    range: Range<usize>,
    linked: Option<PathBuf>,
}

/// The nested project a compose service of `compose_file` builds from (see
/// [`service_folder`]), as its folder, the Dockerfile's path in it, and the
/// rule's context over its model.
fn linked_service<'a, R>(
    project: &ProjectCx<'a, R>,
    compose_file: &Path,
    build: &(String, String),
) -> Option<(PathBuf, Option<PathBuf>, ProjectCx<'a, R>)> {
    let linked: BTreeSet<&Path> = project.linked_folders().collect();
    let (folder, dockerfile) =
        service_folder(compose_file, build, &|folder| linked.contains(folder))?;
    let cx = project.linked(&folder)?;
    Some((folder, dockerfile, cx))
}

/// Every HTTP health probe of the deployment config.
fn health_probes<R, I, J, K>(project: &ProjectCx<'_, R>) -> Vec<Probe>
where
    R: Has<kinds::Dockerfile, I> + Has<kinds::Compose, J> + Has<kinds::Deploy, K>,
{
    let mut probes = Vec::new();
    let mut probe = |file: &Path, (path, range): &(String, Range<usize>), linked| {
        probes.push(Probe {
            file: file.to_path_buf(),
            path: path.clone(),
            range: range.clone(),
            linked,
        });
    };
    for (file, facts) in project.dockerfiles() {
        if let Some(stage) = facts.final_stage()
            && let Some(health) = &stage.healthcheck
            && let Some(path) = &health.path
        {
            probe(&file.path, path, None);
        }
    }
    for (file, facts) in project.compose_files() {
        for service in &facts.services {
            let Some(build) = &service.build else {
                continue;
            };
            if let Some(health) = &service.healthcheck
                && let Some(path) = &health.path
            {
                let linked =
                    linked_service(project, &file.path, build).map(|(folder, _, _)| folder);
                probe(&file.path, path, linked);
            }
        }
    }
    for (file, facts) in project.railway() {
        if let Some(path) = &facts.healthcheck_path {
            probe(&file.path, path, None);
        }
    }
    for (file, facts) in project.fly() {
        for path in &facts.check_paths {
            probe(&file.path, path, None);
        }
    }
    probes
}

fn healthcheck_path_not_served(
    cx: &ProjectCx<'_, reads![Python, Dockerfile, Compose, Deploy]>,
    out: &mut Vec<ProjectEmit>,
) {
    let mut by_server: BTreeMap<Option<PathBuf>, Vec<Probe>> = BTreeMap::new();
    for probe in health_probes(cx) {
        by_server
            .entry(probe.linked.clone())
            .or_default()
            .push(probe);
    }
    for (linked, probes) in by_server {
        // The probes of a service built from a nested project ask that
        // project's app; the others this project's.
        let owned;
        let (server, folder) = match &linked {
            Some(folder) => {
                let Some(server) = cx.linked(folder) else {
                    continue;
                };
                owned = server;
                (&owned, folder.clone())
            }
            None => (cx, PathBuf::new()),
        };
        probes_not_served(cx, server, &folder, probes, out);
    }
}

/// Reports the `probes` of `cx`'s files that no route of `server` (the
/// project at `folder` under the root) serves.
fn probes_not_served<R, I>(
    cx: &ProjectCx<'_, R>,
    server: &ProjectCx<'_, R>,
    folder: &Path,
    probes: Vec<Probe>,
    out: &mut Vec<ProjectEmit>,
) where
    R: Has<kinds::Python, I>,
{
    if server.apps().is_empty() || !server.routes_fully_known() {
        return;
    }
    let served = server.served_routes();
    if served.is_empty() {
        return;
    }
    let suggestion = suggested_health_path(server);
    for Probe {
        file, path, range, ..
    } in probes
    {
        if served.iter().any(|route| route_matches(&route.path, &path)) {
            continue;
        }
        let fix = suggestion.as_ref().and_then(|health| {
            cx.fix(
                vec![TextEdit::replace(range.clone(), health.clone())],
                Vec::new(),
            )
        });
        let routes = server.health_routes();
        let mut health: Vec<String> = routes
            .iter()
            .map(|route| format!("`{}`", route.path))
            .collect();
        health.dedup();
        let served_text = if health.is_empty() {
            "the app serves no health route".to_string()
        } else {
            format!("the app's health route is {}", health.join(", "))
        };
        let mut emit = cx.emit(
            file,
            range,
            &[("path", &path), ("served", &served_text)],
            fix,
        );
        for route in routes {
            let message = format!("the health route `{}` the app serves", route.path);
            emit = emit.related(folder.join(route.file), route.range, message);
        }
        out.push(emit);
    }
}

fn port_mismatch(
    cx: &ProjectCx<'_, reads![Dockerfile, Compose, Python]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    let mut dockerfile_ports: BTreeMap<PathBuf, Option<u16>> = BTreeMap::new();
    for (file, facts) in project.dockerfiles() {
        let Some(stage) = facts.final_stage() else {
            continue;
        };
        let (listen, effective) = dockerfile_port(project, facts);
        let exposed: Vec<u16> = stage.expose.iter().map(|(port, _)| *port).collect();
        dockerfile_ports.insert(file.path.clone(), effective);
        if let Some(listen) = listen
            && !exposed.is_empty()
            && !exposed.contains(&listen)
        {
            let declared = format!("`EXPOSE {}`", join_ports(&exposed));
            out.push(cx.emit(
                file.path.clone(),
                stage.expose[0].1.clone(),
                &[("listen", &listen.to_string()), ("declared", &declared)],
                None,
            ));
        }
        if let Some(port) = effective
            && let Some(probe) = &stage.healthcheck
            && let Some(probed) = probe.port
            && probed != port
        {
            let declared = format!("the `HEALTHCHECK` probing port {probed}");
            out.push(cx.emit(
                file.path.clone(),
                probe.range.clone(),
                &[("listen", &port.to_string()), ("declared", &declared)],
                None,
            ));
        }
    }
    for (file, facts) in project.compose_files() {
        for service in &facts.services {
            let Some(build) = &service.build else {
                continue;
            };
            // A service built from a nested project (a monorepo's root
            // compose file) listens where that project's Dockerfile says;
            // unless the service sets the port the image reads.
            let sets_port = service.environment.iter().any(|name| name == "PORT");
            let from_dockerfile = match linked_service(project, &file.path, build) {
                Some((_, dockerfile, linked)) => dockerfile.and_then(|dockerfile| {
                    linked
                        .dockerfiles()
                        .find(|(file, _)| file.path == dockerfile)
                        .filter(|(_, facts)| !(sets_port && reads_port_variable(facts)))
                        .and_then(|(_, facts)| dockerfile_port(&linked, facts).1)
                }),
                None => built_dockerfile(project, &file.path, build).and_then(|dockerfile| {
                    dockerfile_ports.get(&dockerfile.path).copied().flatten()
                }),
            };
            let listen = service
                .command
                .as_deref()
                .and_then(|command| command_port(command, &[]))
                .or(from_dockerfile);
            let Some(listen) = listen else { continue };
            if !service.ports.is_empty() && !service.ports.iter().any(|(port, _)| *port == listen) {
                let ports: Vec<u16> = service.ports.iter().map(|(port, _)| *port).collect();
                let declared = format!(
                    "the container port{} {} of service `{}`",
                    if ports.len() == 1 { "" } else { "s" },
                    join_ports(&ports),
                    service.name
                );
                out.push(cx.emit(
                    file.path.clone(),
                    service.ports[0].1.clone(),
                    &[("listen", &listen.to_string()), ("declared", &declared)],
                    None,
                ));
            }
            if let Some(probe) = &service.healthcheck
                && let Some(probed) = probe.port
                && probed != listen
            {
                let declared = format!(
                    "the healthcheck of `{}` probing port {probed}",
                    service.name
                );
                out.push(cx.emit(
                    file.path.clone(),
                    probe.range.clone(),
                    &[("listen", &listen.to_string()), ("declared", &declared)],
                    None,
                ));
            }
        }
    }
}

/// The port a Dockerfile's final stage listens on (its command's, or the
/// port its `python -m` module listens on), and the port it serves on: that
/// one, else its only `EXPOSE`d port.
fn dockerfile_port<R, I>(
    project: &ProjectCx<'_, R>,
    facts: &crate::project::DockerfileFacts,
) -> (Option<u16>, Option<u16>)
where
    R: Has<kinds::Python, I>,
{
    let Some(stage) = facts.final_stage() else {
        return (None, None);
    };
    let listen = facts
        .listen_port()
        .or_else(|| python_entry_port(project, &stage.command()));
    let exposed: Vec<u16> = stage.expose.iter().map(|(port, _)| *port).collect();
    let effective = listen.or(match exposed.as_slice() {
        [single] => Some(*single),
        _ => None,
    });
    (listen, effective)
}

/// Whether the final stage's port comes from a `PORT` variable (its
/// command reads `$PORT`, or it sets `ENV PORT`, which gunicorn reads): a
/// compose service that sets `PORT` moves it.
fn reads_port_variable(facts: &crate::project::DockerfileFacts) -> bool {
    let Some(stage) = facts.final_stage() else {
        return false;
    };
    stage.command().contains("PORT") || facts.env_of(stage).iter().any(|(name, _)| name == "PORT")
}

/// How a deployment command starts the service.
#[derive(Debug, PartialEq)]
enum Launch {
    /// The uvicorn command line (`bounded`: with `--timeout-graceful-shutdown`).
    Uvicorn { bounded: bool },
    /// `fastapi run`, which takes no graceful timeout.
    FastapiRun,
    /// `python -m module` / `python path.py`: the module (dotted).
    Python(String),
    /// Another server (gunicorn waits 30 s by default, hypercorn 3 s): its
    /// shutdown is bounded unless configured otherwise.
    OtherServer,
    /// A development server (`--reload`, `fastapi dev`) or a command not
    /// known (a script, a console entry point).
    Unknown,
}

fn launch_of(command: &str) -> Launch {
    let words: Vec<&str> = command
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']'))
        .filter(|word| !word.is_empty())
        .collect();
    let base = |word: &str| word.rsplit('/').next().unwrap_or(word).to_ascii_lowercase();
    if words.iter().any(|word| {
        matches!(
            base(word).as_str(),
            "gunicorn" | "hypercorn" | "granian" | "daphne"
        )
    }) {
        return Launch::OtherServer;
    }
    if words.contains(&"--reload") {
        return Launch::Unknown;
    }
    for (at, word) in words.iter().enumerate() {
        let word = base(word);
        let next = words.get(at + 1).copied();
        if word == "uvicorn" || (word == "-m" && next == Some("uvicorn")) {
            return Launch::Uvicorn {
                bounded: command.contains("--timeout-graceful-shutdown"),
            };
        }
        if word == "fastapi" {
            return if next == Some("run") {
                Launch::FastapiRun
            } else {
                Launch::Unknown
            };
        }
        if word.starts_with("python") {
            // `python -m uvicorn ...` and `python -m fastapi run`: the
            // command lines themselves.
            if next == Some("-m")
                && matches!(words.get(at + 2).copied(), Some("uvicorn" | "fastapi"))
            {
                continue;
            }
            let module = match next {
                Some("-m") => words.get(at + 2).map(|module| module.to_string()),
                Some(path) if path.ends_with(".py") => Some(crate::project::module_name(
                    Path::new(path.trim_start_matches("./")),
                )),
                _ => None,
            };
            return module.map_or(Launch::Unknown, Launch::Python);
        }
    }
    Launch::Unknown
}

/// A deployment file meant for development only (`Dockerfile.dev`,
/// `compose.override.yml`, `docker-compose.local.yml`).
fn is_development_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|name| name.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    ["dev", "local", "override", "test", "debug"]
        .iter()
        .any(|word| name.split(['.', '-', '_']).any(|part| part == *word))
}

fn graceful_shutdown_missing(
    cx: &ProjectCx<'_, reads![Python, Dockerfile, Compose, Deploy]>,
    out: &mut Vec<ProjectEmit>,
) {
    /// A deployment command: its file, where, its text and whether the
    /// environment it runs in sets `UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN`.
    struct Command {
        path: PathBuf,
        range: Range<usize>,
        text: String,
        env_bounded: bool,
    }
    const ENV: &str = "UVICORN_TIMEOUT_GRACEFUL_SHUTDOWN";
    let mut commands = Vec::new();
    let mut inherited = false;
    for (file, facts) in cx.dockerfiles() {
        if is_development_file(&file.path) {
            continue;
        }
        let Some(stage) = facts.final_stage() else {
            continue;
        };
        let Some((_, range)) = stage.cmd.as_ref().or(stage.entrypoint.as_ref()) else {
            // The base image's command starts the service (a server image
            // such as `tiangolo/uvicorn-gunicorn`): not ours to judge.
            inherited = true;
            continue;
        };
        let text = stage.command();
        commands.push(Command {
            path: file.path.clone(),
            range: range.clone(),
            text,
            env_bounded: facts
                .stages
                .iter()
                .any(|stage| stage.env.iter().any(|(name, _)| name == ENV)),
        });
    }
    for (file, facts) in cx.compose_files() {
        if is_development_file(&file.path) {
            continue;
        }
        for service in &facts.services {
            if let (Some(_), Some(text)) = (&service.build, &service.command) {
                commands.push(Command {
                    path: file.path.clone(),
                    range: service.name_range.clone(),
                    text: text.clone(),
                    env_bounded: service.environment.iter().any(|name| name == ENV),
                });
            }
        }
    }
    for (file, facts) in cx.railway() {
        if let Some(text) = &facts.start_command {
            commands.push(Command {
                path: file.path.clone(),
                range: facts
                    .deploy
                    .clone()
                    .unwrap_or_else(|| first_line(&file.text)),
                text: text.clone(),
                env_bounded: false,
            });
        }
    }
    let mut reported: BTreeSet<(PathBuf, usize)> = BTreeSet::new();
    const UNBOUNDED: &str = "on SIGTERM it waits for every open request and stream to finish, with no limit, until the platform kills it (Docker after 10 s, Kubernetes after 30 s); requests are then cut mid-response and the lifespan shutdown never runs. Bound it below the platform's stop timeout (`--timeout-graceful-shutdown 8`).";
    let mut push = |out: &mut Vec<ProjectEmit>, path: &Path, range: &Range<usize>, what: &str| {
        if reported.insert((path.to_path_buf(), range.start)) {
            out.push(cx.emit(
                path.to_path_buf(),
                range.clone(),
                &[("what", what), ("consequence", UNBOUNDED)],
                None,
            ));
        }
    };
    let mut launched_by_cli = inherited;
    // A launcher may well live in `cli/` or `__main__.py`: only tests,
    // examples and documentation are left out.
    let python: Vec<_> = cx
        .python()
        .filter(|(file, facts)| {
            !facts.is_test
                && !file.path.components().any(|part| {
                    matches!(
                        part.as_os_str().to_str(),
                        Some(
                            "examples" | "example" | "docs" | "docs_src" | "samples" | "benchmarks"
                        )
                    )
                })
        })
        .collect();
    let runs_in = |out: &mut Vec<ProjectEmit>,
                   push: &mut dyn FnMut(&mut Vec<ProjectEmit>, &Path, &Range<usize>, &str),
                   file: &ProjectFile,
                   runs: &[(Range<usize>, bool)]| {
        for (range, bounded) in runs {
            if !bounded {
                push(
                    out,
                    &file.path,
                    range,
                    "`uvicorn` is started here without `timeout_graceful_shutdown`",
                );
            }
        }
    };
    for command in &commands {
        match launch_of(&command.text) {
            Launch::Uvicorn { bounded } => {
                launched_by_cli = true;
                if !bounded && !command.env_bounded {
                    push(
                        out,
                        &command.path,
                        &command.range,
                        "`uvicorn` is started without `--timeout-graceful-shutdown`",
                    );
                }
            }
            Launch::FastapiRun => {
                launched_by_cli = true;
                if !command.env_bounded {
                    push(
                        out,
                        &command.path,
                        &command.range,
                        "`fastapi run` starts uvicorn with no graceful timeout (it takes no `--timeout-graceful-shutdown`)",
                    );
                }
            }
            Launch::OtherServer => launched_by_cli = true,
            Launch::Python(module) => {
                if let Some((file, facts)) = python
                    .iter()
                    .find(|(_, facts)| crate::project::same_module(&facts.module, &module))
                {
                    runs_in(out, &mut push, file, &facts.server_runs);
                }
            }
            Launch::Unknown => {}
        }
    }
    // Started some other way (a script, a console entry point, no
    // deployment file): every `uvicorn.run` of the service's code may be
    // the one that serves. With a server's command line in the deployment
    // files, they are development launchers.
    if !launched_by_cli {
        for (file, facts) in &python {
            runs_in(out, &mut push, file, &facts.server_runs);
        }
    }
    for (file, facts) in &python {
        for (constructor, range) in &facts.unclosed_clients {
            let what =
                format!("The `{constructor}` opened at start-up is never closed at shutdown");
            out.push(cx.emit(
                file.path.clone(),
                range.clone(),
                &[
                    ("what", &what),
                    (
                        "consequence",
                        "the process exits with its connections dropped instead of closed: buffered writes and pending requests are lost, the server sees aborted sessions, and every reload or test that runs the lifespan leaks its sockets. Close it after the lifespan's `yield` (`await client.aclose()`, `await engine.dispose()`, `await pool.close()`).",
                    ),
                ],
                None,
            ));
        }
    }
}

/// The port a `python -m module` / `python path.py` command listens on,
/// from the module's `uvicorn.run(port=...)` or `app.run(port=...)`.
fn python_entry_port<R, I>(project: &ProjectCx<'_, R>, command: &str) -> Option<u16>
where
    R: Has<kinds::Python, I>,
{
    let words: Vec<&str> = command
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ',' | '[' | ']'))
        .filter(|word| !word.is_empty())
        .collect();
    let python = words.iter().position(|word| {
        word.rsplit('/')
            .next()
            .is_some_and(|name| name.starts_with("python"))
    })?;
    let target = words.get(python + 1)?;
    let module = if *target == "-m" {
        words.get(python + 2)?.to_string()
    } else {
        crate::project::module_name(Path::new(target.trim_start_matches("./")))
    };
    project
        .python()
        .find(|(_, facts)| crate::project::same_module(&facts.module, &module))
        .and_then(|(_, facts)| facts.listen_ports.first().copied())
}

fn join_ports(ports: &[u16]) -> String {
    ports
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// `3.12` from `3.12.1`, `3.12-slim`, `3.12.1-bookworm`.
fn major_minor(text: &str) -> Option<(u32, u32)> {
    let digits: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    let mut parts = digits.split('.');
    let major = parts.next()?.parse().ok()?;
    let minor = parts.next()?.parse().ok()?;
    Some((major, minor))
}

/// Whether Python `version` satisfies a `requires-python` specifier
/// (`>=3.11`, `>=3.10,<3.13`, `~=3.11`, `==3.12.*`, poetry's `^3.11`),
/// compared on major.minor.
pub fn satisfies(version: (u32, u32), specifier: &str) -> bool {
    specifier.split(',').all(|clause| {
        let clause = clause.trim();
        let (operator, rest) = ["~=", "==", "!=", ">=", "<=", ">", "<", "^", "~"]
            .iter()
            .find_map(|op| clause.strip_prefix(op).map(|rest| (*op, rest.trim())))
            .unwrap_or(("==", clause));
        let Some(bound) = major_minor(rest).or_else(|| {
            rest.trim_end_matches(".*")
                .parse::<u32>()
                .ok()
                .map(|major| (major, 0))
        }) else {
            return true;
        };
        let wildcard = rest.ends_with(".*");
        match operator {
            ">=" | "~=" | "^" | "~" => {
                version >= bound && (operator != "^" || version.0 == bound.0)
            }
            ">" => version > bound || (rest.matches('.').count() >= 2 && version == bound),
            "<=" => version <= bound,
            "<" => version < bound,
            "!=" => version != bound || rest.matches('.').count() >= 2 && !wildcard,
            _ => version == bound,
        }
    })
}

fn python_version_mismatch(
    cx: &ProjectCx<'_, reads![Dockerfile, Dependencies]>,
    out: &mut Vec<ProjectEmit>,
) {
    let project = cx;
    let pinned = project
        .python_version_file()
        .and_then(|(_, version)| major_minor(version).map(|found| (found, ".python-version")));
    let requires = project
        .pyproject()
        .and_then(|(_, facts)| facts.requires_python.clone());
    if pinned.is_none() && requires.is_none() {
        return;
    }
    for (file, facts) in project.dockerfiles() {
        let Some(last) = facts.final_stage() else {
            continue;
        };
        let stage = facts.base_of(last);
        let is_python = stage.name == "python" || stage.name.ends_with("/python");
        let (Some(tag), Some(tag_range)) = (&stage.tag, &stage.tag_range) else {
            continue;
        };
        let Some(image) = major_minor(tag).filter(|_| is_python) else {
            continue;
        };
        let version_len = tag
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(tag.len());
        let version_range = tag_range.start..tag_range.start + version_len;
        let (wanted, source) = match (pinned, &requires) {
            (Some((wanted, source)), _) if wanted != image => (wanted, format!("`{source}`")),
            (None, Some(spec)) if !satisfies(image, spec) => {
                let Some(wanted) = (6..=14)
                    .map(|minor| (3, minor))
                    .filter(|candidate| satisfies(*candidate, spec))
                    .min_by_key(|candidate| candidate.1.abs_diff(image.1))
                else {
                    continue;
                };
                (wanted, format!("`requires-python = \"{spec}\"`"))
            }
            _ => continue,
        };
        let wanted_text = format!("{}.{}", wanted.0, wanted.1);
        let fix = cx.fix(
            vec![TextEdit::replace(
                version_range.clone(),
                wanted_text.clone(),
            )],
            Vec::new(),
        );
        out.push(cx.emit(
            file.path.clone(),
            version_range,
            &[
                ("image", &format!("{}.{}", image.0, image.1)),
                ("wanted", &wanted_text),
                ("source", &source),
            ],
            fix,
        ));
    }
}

fn compose_env_undefined(cx: &ProjectCx<'_, reads![Compose, DotEnv]>, out: &mut Vec<ProjectEmit>) {
    let project = cx;
    for (file, facts) in project.compose_files() {
        let dir = file.path.parent().unwrap_or(Path::new(""));
        let mut defined: BTreeSet<String> = BTreeSet::new();
        // The example file beside the compose file: where the variable should be listed.
        let mut examples: Vec<(PathBuf, Range<usize>)> = Vec::new();
        let mut sources: Vec<PathBuf> = vec![dir.join(".env")];
        for service in &facts.services {
            for env_file in &service.env_files {
                sources.push(normalize(&dir.join(env_file)));
            }
        }
        for (env_file, entries) in project.env_files() {
            let at_compose_dir = env_file.path.parent() == Some(dir);
            let example = env_file
                .path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(crate::project::is_env_example_name);
            if sources.contains(&env_file.path) || (at_compose_dir && example) {
                defined.extend(entries.iter().map(|entry| entry.key.clone()));
            }
            if at_compose_dir && example {
                examples.push((env_file.path.clone(), first_line(&env_file.text)));
            }
        }
        let mut seen = BTreeSet::new();
        for interpolation in &facts.interpolations {
            if interpolation.handled
                || defined.contains(&interpolation.name)
                || AMBIENT_VARIABLES.contains(&interpolation.name.as_str())
            {
                continue;
            }
            if !seen.insert((interpolation.name.clone(), interpolation.range.start)) {
                continue;
            }
            let mut emit = cx.emit(
                file.path.clone(),
                interpolation.range.clone(),
                &[("name", &interpolation.name)],
                None,
            );
            for (path, range) in &examples {
                let message = format!(
                    "`{}` does not list `{}`",
                    path.file_name()
                        .map(|name| name.to_string_lossy())
                        .unwrap_or_default(),
                    interpolation.name
                );
                emit = emit.related(path.clone(), range.clone(), message);
            }
            out.push(emit);
        }
    }
}

// ---------------------------------------------------------------------------
// Django settings

/// A settings module of the project, with its facts.
type SettingsModule<'a> = (
    &'a ProjectFile,
    &'a crate::project::PythonFacts,
    &'a DjangoSettings,
);

/// The value of `key` in `module` as one configuration: its own top-level
/// assignment, else the last star-imported module that has one (through
/// its own star imports); with the module that sets it.
fn django_effective<'a>(
    modules: &[SettingsModule<'a>],
    module: &SettingsModule<'a>,
    key: &str,
    depth: usize,
) -> Option<(&'a ProjectFile, &'a SettingFact)> {
    let (file, _, settings) = module;
    if let Some(fact) = settings.values.get(key) {
        return Some((file, fact));
    }
    if depth > 8 {
        return None;
    }
    settings.star_imports.iter().rev().find_map(|imported| {
        let target = modules
            .iter()
            .find(|(_, facts, _)| facts.module == *imported)
            .or_else(|| {
                modules
                    .iter()
                    .find(|(_, facts, _)| crate::project::same_module(&facts.module, imported))
            })?;
        django_effective(modules, target, key, depth + 1)
    })
}

/// The Django settings modules of the project, and those of them that
/// production runs: the modules a deployment file selects (a Dockerfile
/// `ENV DJANGO_SETTINGS_MODULE`, a compose service's environment) and the
/// modules named for production; only when there are neither, the modules
/// `wsgi.py`, `asgi.py` or `manage.py` select by default. Never a
/// development module, nor one that star-imports a development module
/// (`docker.py` doing `from .dev import *`).
fn django_production_modules<'a>(
    cx: &ProjectCx<'a, reads![Python, Dockerfile, Compose]>,
) -> (Vec<SettingsModule<'a>>, Vec<usize>) {
    let modules: Vec<SettingsModule<'a>> = cx
        .python()
        .filter_map(|(file, facts)| Some((file, facts, facts.django.as_ref()?)))
        .collect();
    if modules.is_empty() {
        return (modules, Vec::new());
    }
    let mut deployed: Vec<String> = Vec::new();
    for (_, dockerfile) in cx.dockerfiles() {
        for stage in &dockerfile.stages {
            for (name, value) in &stage.env {
                if name == "DJANGO_SETTINGS_MODULE" {
                    deployed.push(value.trim_matches(['"', '\'']).to_string());
                }
            }
        }
    }
    for (_, compose) in cx.compose_files() {
        for service in &compose.services {
            if let Some(module) = &service.django_settings_module {
                deployed.push(module.trim_matches(['"', '\'']).to_string());
            }
        }
    }
    let find = |name: &str| {
        modules
            .iter()
            .position(|(_, facts, _)| facts.module == name)
            .or_else(|| {
                modules
                    .iter()
                    .position(|(_, facts, _)| crate::project::same_module(&facts.module, name))
            })
    };
    let development = |index: usize| {
        let (file, _, settings) = modules[index];
        settings_role(&file.path) == SettingsRole::Development
            || settings.star_imports.iter().any(|imported| {
                find(imported).is_some_and(|target| {
                    settings_role(&modules[target].0.path) == SettingsRole::Development
                })
            })
    };
    let mut production: Vec<usize> = deployed.iter().filter_map(|name| find(name)).collect();
    production.extend(
        (0..modules.len())
            .filter(|index| settings_role(&modules[*index].0.path) == SettingsRole::Production),
    );
    if deployed.is_empty() && production.is_empty() {
        production = cx
            .python()
            .filter_map(|(_, facts)| find(&facts.django_settings_module.as_ref()?.0))
            .collect();
    }
    production.sort_unstable();
    production.dedup();
    production.retain(|index| !development(*index));
    (modules, production)
}

/// The production settings modules where some of `keys` are off or not
/// set (as one configuration): for each, the module and, per such key,
/// where it is set off (`None` when not set at all).
fn django_settings_off<'a>(
    cx: &ProjectCx<'a, reads![Python, Dockerfile, Compose]>,
    keys: &[&'static str],
) -> Vec<(
    SettingsModule<'a>,
    Vec<(&'static str, Option<(&'a ProjectFile, &'a SettingFact)>)>,
)> {
    let (modules, production) = django_production_modules(cx);
    production
        .into_iter()
        .filter_map(|index| {
            let module = modules[index];
            let off: Vec<_> = keys
                .iter()
                .filter_map(|key| match django_effective(&modules, &module, key, 0) {
                    None => Some((*key, None)),
                    Some((source, fact)) if fact.value.truthy() == Some(false) => {
                        Some((*key, Some((source, fact))))
                    }
                    Some(_) => None,
                })
                .collect();
            (!off.is_empty()).then_some((module, off))
        })
        .collect()
}

/// One finding per module for the keys found off: in the module, at its
/// first own off assignment (else its first statement), with the places in
/// other modules as related locations.
fn django_off_emit(
    cx: &ProjectCx<'_, reads![Python, Dockerfile, Compose]>,
    (file, facts, settings): SettingsModule<'_>,
    off: &[(&'static str, Option<(&ProjectFile, &SettingFact)>)],
    fix: Option<crate::fix::Fix>,
) -> ProjectEmit {
    let mut problems = Vec::new();
    let mut at = None;
    let mut related = Vec::new();
    for (key, place) in off {
        match place {
            None => problems.push(format!("`{key}` is not set")),
            Some((source, fact)) => {
                let written = file_snippet(&source.text, &fact.value_range);
                if std::ptr::eq(*source, file) {
                    problems.push(format!("`{key} = {written}`"));
                    at.get_or_insert(fact.range.clone());
                } else {
                    problems.push(format!(
                        "`{key} = {written}` (from `{}`)",
                        source.path.display()
                    ));
                    related.push((
                        source.path.clone(),
                        fact.range.clone(),
                        format!("`{key}` is set here"),
                    ));
                }
            }
        }
    }
    let mut emit = cx.emit(
        file.path.clone(),
        at.unwrap_or_else(|| settings.anchor.clone()),
        &[
            ("module", &facts.module),
            ("problems", &problems.join(", ")),
        ],
        fix,
    );
    for (path, range, message) in related {
        emit = emit.related(path, range, message);
    }
    emit
}

fn django_cookies_not_secure(
    cx: &ProjectCx<'_, reads![Python, Dockerfile, Compose]>,
    out: &mut Vec<ProjectEmit>,
) {
    let (modules, _) = django_production_modules(cx);
    for (module, mut off) in
        django_settings_off(cx, &["SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"])
    {
        // With `CSRF_USE_SESSIONS` the CSRF token lives in the session: there
        // is no CSRF cookie to secure.
        if django_effective(&modules, &module, "CSRF_USE_SESSIONS", 0)
            .is_some_and(|(_, fact)| fact.value.truthy() == Some(true))
        {
            off.retain(|(key, _)| *key != "CSRF_COOKIE_SECURE");
            if off.is_empty() {
                continue;
            }
        }
        let file = module.0;
        let break_ = line_break(&file.text);
        let end = file.text.len();
        let mut appended = String::new();
        if !file.text.is_empty() && !file.text.ends_with('\n') {
            appended.push_str(break_);
        }
        let mut edits = Vec::new();
        let mut fixable = true;
        for (key, place) in &off {
            match place {
                Some((source, fact)) if std::ptr::eq(*source, file) => {
                    if fact.literal {
                        edits.push(TextEdit {
                            range: fact.value_range.clone(),
                            new_text: "True".to_string(),
                        });
                    } else {
                        // The default of an environment read: the
                        // variable decides, a fix would hide it.
                        fixable = false;
                    }
                }
                _ => appended.push_str(&format!("{key} = True{break_}")),
            }
        }
        if appended.contains('=') {
            edits.push(TextEdit {
                range: end..end,
                new_text: appended,
            });
        }
        let fix = if fixable {
            cx.fix(edits, Vec::new())
        } else {
            None
        };
        out.push(django_off_emit(cx, module, &off, fix));
    }
}

fn django_https_not_enforced(
    cx: &ProjectCx<'_, reads![Python, Dockerfile, Compose]>,
    out: &mut Vec<ProjectEmit>,
) {
    for (module, off) in django_settings_off(cx, &["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS"]) {
        out.push(django_off_emit(cx, module, &off, None));
    }
}

fn django_base_setting_not_overridden(
    cx: &ProjectCx<'_, reads![Python, Dockerfile, Compose]>,
    out: &mut Vec<ProjectEmit>,
) {
    let (modules, production) = django_production_modules(cx);
    for index in production {
        let module = modules[index];
        let (file, facts, settings) = module;
        let mut problems = Vec::new();
        let mut related = Vec::new();
        // What a base module sets and production does not override; what a
        // production module writes itself is judged in place by the file
        // rules (`debug-enabled`, `django-allowed-hosts-wildcard`,
        // `cors-wildcard-origin`; a literal `SECRET_KEY` is
        // `hardcoded-secret`'s wherever it is).
        for key in [
            "DEBUG",
            "ALLOWED_HOSTS",
            "CORS_ALLOW_ALL_ORIGINS",
            "CORS_ORIGIN_ALLOW_ALL",
        ] {
            let Some((source, fact)) = django_effective(&modules, &module, key, 0) else {
                continue;
            };
            if std::ptr::eq(source, file) || settings_role(&source.path) != SettingsRole::Base {
                continue;
            }
            let insecure = match key {
                "ALLOWED_HOSTS" => fact.value.holds_wildcard(),
                _ => fact.value.truthy() == Some(true),
            };
            if insecure {
                let written = file_snippet(&source.text, &fact.value_range);
                problems.push(format!(
                    "`{key} = {written}` (from `{}`)",
                    source.path.display()
                ));
                related.push((
                    source.path.clone(),
                    fact.range.clone(),
                    format!("`{key}` is set here and not overridden"),
                ));
            }
        }
        if problems.is_empty() {
            continue;
        }
        let mut emit = cx.emit(
            file.path.clone(),
            settings.anchor.clone(),
            &[
                ("module", &facts.module),
                ("problems", &problems.join(", ")),
            ],
            None,
        );
        for (path, range, message) in related {
            emit = emit.related(path, range, message);
        }
        out.push(emit);
    }
}

/// A value as written, shortened for a message.
fn file_snippet(text: &str, range: &Range<usize>) -> String {
    let written = text.get(range.clone()).unwrap_or_default();
    let first_line = written.lines().next().unwrap_or_default();
    if first_line.chars().count() > 40 || first_line.len() < written.len() {
        let short: String = first_line.chars().take(24).collect();
        format!("{short}…")
    } else {
        first_line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_segments_and_infrastructure_paths() {
        for path in ["/v1/users", "/api/v2/chat", "/api/v2.1/x", "/V3/a"] {
            assert!(has_version_segment(path), "{path}");
        }
        for path in ["/videos", "/api/users", "/v/x", "/vx1", "/notes/{note_id}"] {
            assert!(!has_version_segment(path), "{path}");
        }
        for path in [
            "/health",
            "/api/healthz",
            "/docs",
            "/openapi.json",
            "/metrics",
            "/",
            "/static/app.js",
        ] {
            assert!(is_infrastructure_path(path), "{path}");
        }
        for path in ["/notes", "/chat/stream", "/documents"] {
            assert!(!is_infrastructure_path(path), "{path}");
        }
    }

    #[test]
    fn names_that_say_which_environment_runs() {
        for name in [
            "environment",
            "ENVIRONMENT",
            "APP_ENV",
            "FLASK_ENV",
            "stage",
            "app_mode",
            "deploy_environment",
        ] {
            assert!(names_an_environment(name), "{name}");
        }
        for name in [
            "env_file",
            "envelope",
            "DOTENV",
            "reader_mode",
            "debug",
            "stages_count",
        ] {
            assert!(!names_an_environment(name), "{name}");
        }
    }

    #[test]
    fn requires_python_specifiers() {
        assert!(satisfies((3, 12), ">=3.11"));
        assert!(!satisfies((3, 10), ">=3.11"));
        assert!(satisfies((3, 11), ">=3.10,<3.13"));
        assert!(!satisfies((3, 13), ">=3.10,<3.13"));
        assert!(satisfies((3, 12), "==3.12.*"));
        assert!(!satisfies((3, 11), "==3.12.*"));
        assert!(satisfies((3, 12), "^3.11"));
        assert!(satisfies((3, 11), "~=3.11"));
    }

    #[test]
    fn real_secrets_versus_placeholders() {
        assert!(looks_like_real_secret(
            "OPENAI_API_KEY",
            "sk-proj-abcdefghijklmnop1234"
        ));
        assert!(looks_like_real_secret(
            "JWT_SECRET",
            "9f8e7d6c5b4a39281706f5e4"
        ));
        assert!(!looks_like_real_secret(
            "JWT_SECRET",
            "change-me-in-production-123456"
        ));
        assert!(!looks_like_real_secret(
            "OPENAI_API_KEY",
            "sk-your-key-here"
        ));
        assert!(!looks_like_real_secret(
            "DATABASE_URL",
            "postgresql://u:p@localhost/db"
        ));
        assert!(!looks_like_real_secret("LOG_LEVEL", "info"));
    }

    #[test]
    fn launch_commands() {
        assert_eq!(
            launch_of("[\"uvicorn\", \"app.main:app\", \"--port\", \"8000\"]"),
            Launch::Uvicorn { bounded: false }
        );
        assert_eq!(
            launch_of("uv run uvicorn app.main:app --timeout-graceful-shutdown 8"),
            Launch::Uvicorn { bounded: true }
        );
        assert_eq!(
            launch_of("python -m uvicorn app.main:app"),
            Launch::Uvicorn { bounded: false }
        );
        assert_eq!(launch_of("fastapi run --workers 4"), Launch::FastapiRun);
        assert_eq!(launch_of("fastapi dev app/main.py"), Launch::Unknown);
        assert_eq!(launch_of("uvicorn app.main:app --reload"), Launch::Unknown);
        assert_eq!(
            launch_of("gunicorn -k uvicorn.workers.UvicornWorker app.main:app"),
            Launch::OtherServer
        );
        assert_eq!(
            launch_of("[\"python3\", \"src/khoj/main.py\"]"),
            Launch::Python("src.khoj.main".into())
        );
        assert_eq!(
            launch_of("python -m app.serve"),
            Launch::Python("app.serve".into())
        );
        assert_eq!(launch_of("sh /app/launch.sh"), Launch::Unknown);
        assert!(is_development_file(Path::new("Dockerfile.dev")));
        assert!(is_development_file(Path::new("compose.override.yml")));
        assert!(!is_development_file(Path::new("deploy/Dockerfile")));
    }

    #[test]
    fn frontend_origin_variables() {
        for name in [
            "FRONTEND_URL",
            "FRONTEND_HOST",
            "NOTES_CORS_ORIGINS",
            "BACKEND_CORS_ORIGINS",
            "allowed_origins",
            "WEBAPP_URL",
            "CLIENT_ORIGIN",
        ] {
            assert!(is_frontend_origin_variable(name), "{name}");
        }
        for name in [
            "ORIGIN",
            "DATABASE_URL",
            "CLIENT_URL",
            "ALLOWED_HOSTS",
            "FRONTEND_DIR",
            "OPENAI_BASE_URL",
        ] {
            assert!(!is_frontend_origin_variable(name), "{name}");
        }
    }

    #[test]
    fn every_hook_reads_some_facts() {
        for hook in HOOKS {
            assert!(!hook.reads.is_empty(), "{}", hook.id);
        }
        let changed: BTreeSet<_> = [FactKind::Ci].into_iter().collect();
        assert!(rules_reading(&changed).contains(&ids::CI_RUNS_NO_TESTS.as_str()));
        assert!(!rules_reading(&changed).contains(&ids::PORT_MISMATCH.as_str()));
    }

    fn fresh_and_incremental_agree(project: &mut Project, path: &str, text: Option<&str>) {
        let before = crate::check::check_project(project);
        let changed = match text {
            Some(text) => project.update_file(Path::new(path), text),
            None => project.remove_file(Path::new(path)),
        };
        let incremental = crate::check::recheck_project(project, &changed, before);
        let fresh = crate::check::check_project(project);
        let ids = |list: &[crate::check::ProjectFinding]| {
            list.iter()
                .map(|found| {
                    format!(
                        "{} {:?} {} {}",
                        found.path.display(),
                        found.finding.range,
                        found.finding.rule.id,
                        found.finding.message
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(
            ids(&incremental),
            ids(&fresh),
            "{} after changing {path}",
            project.root().display()
        );
    }

    /// `port-mismatch` reads the port a `python -m` command's module
    /// listens on: it declares `Python` (the view would not compile
    /// otherwise), so changing that module re-runs it.
    #[test]
    fn a_changed_listen_port_re_runs_port_mismatch() {
        let mut project = Project::from_files(
            "/service",
            [
                (
                    "Dockerfile",
                    "FROM python:3.12-slim\nEXPOSE 8000\nCMD [\"python\", \"-m\", \"app.main\"]\n",
                ),
                (
                    "app/main.py",
                    "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\nuvicorn.run(app, port=8000)\n",
                ),
            ],
        );
        assert!(
            !crate::check::check_project(&project)
                .iter()
                .any(|found| found.finding.rule.is(ids::PORT_MISMATCH))
        );
        fresh_and_incremental_agree(
            &mut project,
            "app/main.py",
            Some(
                "import uvicorn\nfrom fastapi import FastAPI\n\napp = FastAPI()\n\nuvicorn.run(app, port=9000)\n",
            ),
        );
        assert!(
            crate::check::check_project(&project)
                .iter()
                .any(|found| found.finding.rule.is(ids::PORT_MISMATCH))
        );
    }

    /// Removing any one file of the test projects re-runs exactly the rules
    /// that read what changed: the incremental findings equal a fresh
    /// check's.
    #[test]
    fn removing_any_file_of_the_test_projects_rechecks_like_a_fresh_check() {
        let projects = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/projects");
        let mut checked = 0;
        for entry in std::fs::read_dir(&projects).unwrap().flatten() {
            let root = entry.path();
            if !root.is_dir() {
                continue;
            }
            let loaded = Project::load_standalone(&root);
            let paths: Vec<PathBuf> = loaded.files().map(|file| file.path.clone()).collect();
            for path in paths {
                let mut project = loaded.clone();
                fresh_and_incremental_agree(&mut project, &path.to_string_lossy(), None);
                checked += 1;
            }
        }
        assert!(checked > 20, "{checked} files");
    }
}
