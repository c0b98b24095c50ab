//! The routing of a project's Python modules: which includes point at which
//! router, app or `urlpatterns`, and so the full path of every route.
//!
//! Indexes are built once per question (one pass over the modules), so
//! resolving a route costs the includes that lead to it, not a scan of every
//! module: a workspace where each of N modules creates its own app costs
//! O(N), not O(N²). The fact entries touched (modules, routers, apps,
//! routes, includes and index candidates) are counted as `facts` of the
//! engine's work counter (`crate::work`), which tests hold linear.

use std::{
    collections::{HashMap, HashSet},
    ops::Range,
    path::{Path, PathBuf},
};

use super::{IncludeFact, PythonFacts, python_facts::same_module};

/// A route with its full path.
#[derive(Clone, Debug, PartialEq)]
pub struct ServedRoute {
    /// The `module:variable` of the app serving it (the top of its include
    /// chain: a router never included is its own top).
    pub app: String,
    pub path: String,
    pub file: PathBuf,
    pub range: Range<usize>,
    /// Its handler answers without touching anything (`RouteFact::shallow`).
    pub shallow: bool,
    /// The `module:variable` of the router or app it is registered on.
    pub owner: String,
    /// Its decorator's method (`RouteFact::method`).
    pub method: String,
    /// It requires authentication: its own (`RouteFact::authenticated`),
    /// its router's, an include's on the way (`include_router(...,
    /// dependencies=[...])`) or its app's.
    pub authenticated: bool,
}

/// Joins route prefixes the way the frameworks do (`/api` + `/users/` is
/// `/api/users/`; `""` + `""` is `/`).
pub fn join_paths(prefix: &str, path: &str) -> String {
    let prefix = prefix.trim_end_matches('/');
    let joined = if path.is_empty() {
        prefix.to_string()
    } else if path.starts_with('/') {
        format!("{prefix}{path}")
    } else {
        format!("{prefix}/{path}")
    };
    if joined.is_empty() {
        "/".to_string()
    } else {
        joined
    }
}

/// The names of the module-level dependencies (outside tests) that
/// authenticate: their own parameters or value name an auth dependency, or
/// they depend on one that authenticates, in any module. One pass over the
/// dependencies to index who depends on what, then each name is reached
/// once from the ones that authenticate (`def load_caller(token =
/// Depends(oauth2_scheme))` makes `Caller = Annotated[User,
/// Depends(load_caller)]` authenticate, and then `def
/// common_parameters(caller: Caller)`).
fn authenticating<'a>(python: &[(&'a Path, &'a PythonFacts)]) -> HashSet<&'a str> {
    let mut dependents: HashMap<&'a str, Vec<&'a str>> = HashMap::new();
    let mut found = HashSet::new();
    let mut queue = Vec::new();
    let mut touched = 0;
    for (_, facts) in python.iter().filter(|(_, facts)| !facts.is_test) {
        for dependency in &facts.dependencies {
            touched += 1 + dependency.depends_on.len();
            if dependency.authenticated {
                if found.insert(dependency.name.as_str()) {
                    queue.push(dependency.name.as_str());
                }
            } else {
                for name in &dependency.depends_on {
                    dependents
                        .entry(name.as_str())
                        .or_default()
                        .push(dependency.name.as_str());
                }
            }
        }
    }
    while let Some(name) = queue.pop() {
        for &dependent in dependents.get(name).map(Vec::as_slice).unwrap_or_default() {
            touched += 1;
            if found.insert(dependent) {
                queue.push(dependent);
            }
        }
    }
    crate::work::facts(touched);
    found
}

/// The last dotted segment of a module name: two modules that are the same
/// by [`same_module`] always share it.
fn last_segment(module: &str) -> &str {
    let module = module.trim_start_matches('.');
    module.rsplit('.').next().unwrap_or(module)
}

pub(super) struct Routing<'a> {
    python: Vec<(&'a Path, &'a PythonFacts)>,
    /// Module name → its first position in `python`.
    by_module: HashMap<&'a str, usize>,
    /// Last module segment → positions of the modules ending with it.
    by_segment: HashMap<&'a str, Vec<usize>>,
    /// (last module segment, variable) → positions of the modules holding a
    /// router or app assigned to that variable.
    holders: HashMap<(&'a str, &'a str), Vec<usize>>,
    /// (module, variable) an include resolves to → (position of the
    /// including module, the include), in module then include order.
    included_by: HashMap<(String, String), Vec<(usize, &'a IncludeFact)>>,
    /// The names of the module-level dependencies that authenticate, their
    /// own or through what they depend on, in any module
    /// (`PythonFacts::dependencies`, resolved by name).
    authenticating: HashSet<&'a str>,
}

impl<'a> Routing<'a> {
    pub(super) fn new(python: Vec<(&'a Path, &'a PythonFacts)>) -> Routing<'a> {
        let mut routing = Routing {
            python,
            by_module: HashMap::new(),
            by_segment: HashMap::new(),
            holders: HashMap::new(),
            included_by: HashMap::new(),
            authenticating: HashSet::new(),
        };
        let mut touched = 0;
        for (at, (_, facts)) in routing.python.iter().enumerate() {
            touched += 1;
            routing.by_module.entry(facts.module.as_str()).or_insert(at);
            let segment = last_segment(&facts.module);
            routing.by_segment.entry(segment).or_default().push(at);
            let vars: HashSet<&str> = facts
                .routers
                .iter()
                .map(|router| router.var.as_str())
                .chain(facts.apps.iter().filter_map(|app| app.var.as_deref()))
                .collect();
            touched += facts.routers.len() + facts.apps.len();
            for var in vars {
                routing.holders.entry((segment, var)).or_default().push(at);
            }
        }
        crate::work::facts(touched);
        let mut included_by: HashMap<(String, String), Vec<(usize, &'a IncludeFact)>> =
            HashMap::new();
        for (at, (_, facts)) in routing.python.iter().enumerate() {
            for include in &facts.includes {
                let targets = routing.resolve(&facts.module, include);
                let mut seen = HashSet::new();
                for target in targets {
                    if seen.insert(target.clone()) {
                        included_by.entry(target).or_default().push((at, include));
                    }
                }
            }
        }
        routing.included_by = included_by;
        routing.authenticating = authenticating(&routing.python);
        routing
    }

    /// Whether one of these dependency names authenticates.
    fn authenticates(&self, names: &[String]) -> bool {
        self.touch(names.len());
        names
            .iter()
            .any(|name| self.authenticating.contains(name.as_str()))
    }

    fn touch(&self, entries: usize) {
        crate::work::facts(entries);
    }

    /// The (module, variable or `urlpatterns`) an include of `module`
    /// points at, in module order.
    pub(super) fn resolve(&self, module: &str, include: &IncludeFact) -> Vec<(String, String)> {
        self.touch(1);
        if include.module_include {
            let candidates = self
                .by_segment
                .get(last_segment(&include.target))
                .map(Vec::as_slice)
                .unwrap_or_default();
            self.touch(candidates.len());
            return candidates
                .iter()
                .map(|&at| &self.python[at].1.module)
                .filter(|candidate| same_module(candidate, &include.target))
                .map(|candidate| (candidate.clone(), "urlpatterns".to_string()))
                .collect();
        }
        let (target_module, var) = match include.target.rsplit_once('.') {
            Some((target_module, var)) => (target_module, var),
            None => (module, include.target.as_str()),
        };
        let candidates = self
            .holders
            .get(&(last_segment(target_module), var))
            .map(Vec::as_slice)
            .unwrap_or_default();
        self.touch(candidates.len());
        candidates
            .iter()
            .map(|&at| &self.python[at].1.module)
            .filter(|candidate| same_module(candidate, target_module))
            .map(|candidate| (candidate.clone(), var.to_string()))
            .collect()
    }

    /// Every full prefix under which the routes registered on `owner` in
    /// `module` are served, each with the `module:variable` at the top of
    /// its include chain (the app that serves it, or the router never
    /// included) and whether a router, include or app on the chain
    /// authenticates every route under it.
    fn prefixes_of(&self, module: &str, owner: &str, depth: usize) -> Vec<(String, String, bool)> {
        self.touch(1);
        let holder = self.by_module.get(module).map(|&at| self.python[at].1);
        let router = holder.and_then(|facts| {
            self.touch(facts.routers.len());
            facts.routers.iter().find(|router| router.var == owner)
        });
        let own_prefix = router
            .map(|router| router.prefix.clone())
            .unwrap_or_default();
        let own_auth = router
            .is_some_and(|router| router.authenticated || self.authenticates(&router.depends_on))
            || holder.is_some_and(|facts| {
                facts.authenticated_apps.iter().any(|app| app == owner)
                    || facts
                        .app_dependencies
                        .iter()
                        .any(|(app, names)| app == owner && self.authenticates(names))
            });
        if depth > 8 {
            return vec![(own_prefix, format!("{module}:{owner}"), own_auth)];
        }
        let mut prefixes = Vec::new();
        let includers = self
            .included_by
            .get(&(module.to_string(), owner.to_string()))
            .map(Vec::as_slice)
            .unwrap_or_default();
        self.touch(includers.len());
        for &(at, include) in includers {
            let local = if include.replaces_prefix {
                include.prefix.clone()
            } else {
                join_paths(&include.prefix, &own_prefix)
            };
            let includer = &self.python[at].1.module;
            for (outer, top, outer_auth) in self.prefixes_of(includer, &include.owner, depth + 1) {
                prefixes.push((
                    join_paths(&outer, &local).trim_end_matches('/').to_string(),
                    top,
                    outer_auth
                        || own_auth
                        || include.authenticated
                        || self.authenticates(&include.depends_on),
                ));
            }
        }
        if prefixes.is_empty() {
            prefixes.push((own_prefix, format!("{module}:{owner}"), own_auth));
        }
        prefixes
    }

    /// Every route the apps serve, with full paths (see
    /// `Project::served_routes`).
    pub(super) fn served_routes(&self) -> Vec<ServedRoute> {
        let mut served = Vec::new();
        for (file, facts) in &self.python {
            self.touch(facts.routes.len() + facts.includes.len());
            for route in &facts.routes {
                for (prefix, app, covered) in self.prefixes_of(&facts.module, &route.owner, 0) {
                    served.push(ServedRoute {
                        app,
                        path: join_paths(&prefix, &route.path),
                        file: file.to_path_buf(),
                        range: route.range.clone(),
                        shallow: route.shallow,
                        owner: format!("{}:{}", facts.module, route.owner),
                        method: route.method.clone(),
                        authenticated: covered
                            || route.authenticated
                            || self.authenticates(&route.depends_on),
                    });
                }
            }
            // Whole libraries of health routes (`django-health-check`).
            for include in &facts.includes {
                if include.module_include && include.target.starts_with("health_check") {
                    for (prefix, app, covered) in self.prefixes_of(&facts.module, &include.owner, 0)
                    {
                        served.push(ServedRoute {
                            app,
                            path: join_paths(&prefix, &include.prefix),
                            file: file.to_path_buf(),
                            range: 0..0,
                            shallow: false,
                            owner: format!("{}:{}", facts.module, include.owner),
                            method: String::new(),
                            authenticated: covered,
                        });
                    }
                }
            }
        }
        served
    }

    /// Whether every include resolves to a router or module of the project.
    pub(super) fn routes_fully_known(&self) -> bool {
        if self.python.iter().any(|(_, facts)| facts.computed_paths) {
            return false;
        }
        self.python.iter().all(|(_, facts)| {
            facts.includes.iter().all(|include| {
                include.module_include && include.target.starts_with("health_check")
                    || !self.resolve(&facts.module, include).is_empty()
            })
        })
    }
}
