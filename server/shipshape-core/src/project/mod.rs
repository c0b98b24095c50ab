//! The project model: the facts of every file of a service that the
//! project-level rules need, kept per file so that a change to one file
//! re-derives only that file's facts.
//!
//! A [`Project`] is built per root ([`Project::load`] walks it with the
//! `ignore` crate, honouring `.gitignore`, but still sees `.env` files that
//! are ignored) or from texts ([`Project::from_files`]). Editors and tests
//! keep it current with [`Project::update_file`] and
//! [`Project::remove_file`], which say which [`FactKind`]s changed; the
//! project rules declare the kinds they read
//! (`hooks::project::depends_on`), so only the rules that read a changed
//! kind need to run again.
//!
//! Paths in the model are relative to the root, with `/` separators.

mod config;
mod container;
mod context;
mod disk;
pub mod django;
pub(crate) mod python_facts;
mod routing;
mod strengths;
pub mod value;
pub mod view;

use std::{
    collections::{BTreeMap, BTreeSet},
    fs,
    ops::Range,
    path::{Path, PathBuf},
};

use ignore::gitignore::GitignoreBuilder;

pub use config::header_range as header_range_of;
pub use config::{
    CiFacts, EnvEntry, FlyFacts, Process, PyprojectFacts, RailwayFacts, Requirement,
    RequirementsFacts, normalize_name,
};
pub use container::{
    ComposeFacts, DockerfileFacts, HealthProbe, Interpolation, Service, Stage, command_port,
};
pub use context::{Overlay, ProjectContext, ProjectFiles, SERVICE_FRAMEWORKS, frameworks_named_in};
pub use disk::{files_with_extension, read_regular_file};
pub use python_facts::{
    AppFact, Backend, Capability, ColumnFact, EnvRead, Framework, IncludeFact, LocalStateFact,
    LookupFact, ModelFact, Orm, PythonFacts, RouteFact, RouterFact, SettingsClass, WALKED_KINDS,
    is_auth_name, module_name, same_module,
};
pub use routing::{ServedRoute, join_paths};

use tree_sitter::{Node, Tree};

use crate::{
    check::SourceFile,
    kind::FileKind,
    parse::{input_edit, parse},
    pragmas::Suppressions,
    text::minimal_edit,
};

/// Folders never walked: virtual environments, caches, dependencies.
pub const SKIPPED_DIRS: [&str; 9] = [
    ".git",
    ".venv",
    "venv",
    "node_modules",
    "__pycache__",
    ".mypy_cache",
    ".pytest_cache",
    ".tox",
    "site-packages",
];

/// Whether a folder named `name` is one of the [`SKIPPED_DIRS`].
pub fn is_skipped_dir(name: &std::ffi::OsStr) -> bool {
    SKIPPED_DIRS.iter().any(|skip| name == *skip)
}

/// Whether the path `inside` (relative) goes through one of the
/// [`SKIPPED_DIRS`].
pub fn in_skipped_dir(inside: &Path) -> bool {
    inside
        .components()
        .any(|part| is_skipped_dir(part.as_os_str()))
}

/// The kinds of fact a file can contribute; rules declare which they read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FactKind {
    /// Python code: apps, routes, settings, env reads, models, capabilities.
    Python,
    Dockerfile,
    Compose,
    /// `.env`, `.env.example`, ...
    DotEnv,
    /// `.gitignore`, `.dockerignore`.
    Ignore,
    /// Requirements files, `pyproject.toml`, lock files, `.python-version`.
    Dependencies,
    /// `railway.json`/`railway.toml`, `fly.toml`, `Procfile`.
    Deploy,
    /// CI configuration.
    Ci,
    /// Which files exist at all (tests, migrations, `alembic.ini`).
    Paths,
}

/// What one file contributes.
#[derive(Clone, Debug, PartialEq)]
pub enum Facts {
    Python(Box<PythonFacts>),
    Dockerfile(DockerfileFacts),
    Compose(ComposeFacts),
    DotEnv(Vec<EnvEntry>),
    /// A `.gitignore` or `.dockerignore`: its text is the fact.
    Ignore,
    Requirements(RequirementsFacts),
    Pyproject(PyprojectFacts),
    /// A lock file with its package versions (empty when unreadable).
    Lock(BTreeMap<String, String>),
    /// `.python-version`: its first line.
    PythonVersion(String),
    Railway(RailwayFacts),
    Fly(FlyFacts),
    /// A `Procfile`: its processes.
    Procfile(Vec<Process>),
    Ci(CiFacts),
    /// A file whose presence matters (`alembic.ini`, a migration).
    Marker,
}

impl Facts {
    pub fn kind(&self) -> FactKind {
        match self {
            Facts::Python(_) => FactKind::Python,
            Facts::Dockerfile(_) => FactKind::Dockerfile,
            Facts::Compose(_) => FactKind::Compose,
            Facts::DotEnv(_) => FactKind::DotEnv,
            Facts::Ignore => FactKind::Ignore,
            Facts::Requirements(_)
            | Facts::Pyproject(_)
            | Facts::Lock(_)
            | Facts::PythonVersion(_) => FactKind::Dependencies,
            Facts::Railway(_) | Facts::Fly(_) | Facts::Procfile(_) => FactKind::Deploy,
            Facts::Ci(_) => FactKind::Ci,
            Facts::Marker => FactKind::Paths,
        }
    }
}

/// A file of the model: its text (findings and fixes need it) and facts.
#[derive(Clone, Debug)]
pub struct ProjectFile {
    pub path: PathBuf,
    pub kind: Option<FileKind>,
    pub text: String,
    pub facts: Facts,
    /// Its suppression comments: project findings in it honour them.
    pub suppressions: Suppressions,
    /// The syntax tree of a file changed since it was loaded (a document
    /// being edited), kept so that its next change parses incrementally.
    /// Files as loaded keep none: their trees would cost more memory than
    /// the texts.
    tree: Option<Tree>,
}

/// The suppressions of a file of the model, read from the tree its facts
/// came from; a file without one is parsed only if it may hold any.
fn suppressions(
    path: &Path,
    kind: Option<FileKind>,
    text: &str,
    tree: Option<&Tree>,
) -> Suppressions {
    // Files the model keeps without a kind take `#` comments.
    let kind = kind.unwrap_or(FileKind::DotEnv);
    if !Suppressions::possible(kind, text) {
        return Suppressions::default();
    }
    let parsed;
    let tree = match tree {
        Some(tree) => Some(tree),
        None => {
            parsed = parse(kind, text, None);
            parsed.as_ref()
        }
    };
    Suppressions::of(&SourceFile {
        path,
        kind,
        text,
        tree,
    })
}

/// The files of one project root and their facts.
#[derive(Clone, Debug, Default)]
pub struct Project {
    root: PathBuf,
    files: BTreeMap<PathBuf, ProjectFile>,
    /// `.gitignore` files above the root, up to the repository root, as
    /// (the root's path relative to that folder, text): a service in a
    /// monorepo is covered by the repository's `.gitignore`.
    outer_gitignores: Vec<(PathBuf, String)>,
    /// CI files of the repository above the root (a monorepo's services
    /// share the repository's workflows).
    outer_ci: Vec<CiFacts>,
    /// A uv workspace's lock file above the root locks this project (a
    /// member of the workspace), as the path of its folder relative to
    /// the lock's folder: the member has no lock of its own.
    outer_lock: Option<PathBuf>,
    /// An example env file (`.env.example`, ...) in a folder above the
    /// root, up to the repository's root: a monorepo documents its
    /// services' variables once, at the top.
    outer_env_example: Option<PathBuf>,
    /// The models of the project roots inside this root that its compose
    /// files build services from (`build: ./services/api`), by their
    /// folder relative to the root: a monorepo's root compose file probes
    /// and publishes what those services serve. They are nested project
    /// roots, so not files of this model.
    linked: BTreeMap<PathBuf, Project>,
}

/// Whether the model keeps a file (decided by name; YAML by content later).
fn is_relevant(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    let lower = name.to_ascii_lowercase();
    matches!(
        lower.as_str(),
        "jenkinsfile"
            | ".python-version"
            | "alembic.ini"
            | "uv.lock"
            | "poetry.lock"
            | "pdm.lock"
            | "pipfile.lock"
            | "requirements.lock"
    ) || lower.ends_with(".yml")
        || lower.ends_with(".yaml")
        || FileKind::from_path(path).is_some()
}

/// A file of a project model made from a text and tree that another pass
/// (the command line's file check) already has: the model neither reads
/// nor parses it again.
#[derive(Clone)]
pub struct Prepared {
    kind: Option<FileKind>,
    text: String,
    facts: Facts,
    suppressions: Suppressions,
}

impl Prepared {
    /// The text it was prepared from.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// What a model loader gets for a path from the caller instead of the disk.
pub enum Provided {
    /// The file, prepared (see [`prepare`]).
    Prepared(Prepared),
    /// Its text, read once by the caller.
    Text(String),
    /// Nothing: the file is not readable (the caller read it and failed).
    Unreadable,
}

/// Prepares the model's entry of a file at `relative` (to the project
/// root) from its `text` and the tree already parsed from it as `kind`
/// (used when the model would parse it with the same grammar), and the
/// Python module facts the file check already derived from that tree, if
/// it did (they are not derived again), with the nodes its query found for
/// the project facts, if it found them all (the tree is not walked for
/// them, see [`python_facts::extract_with`]). `None` for files the model
/// does not keep.
pub fn prepare(
    relative: &Path,
    text: &str,
    parsed: Option<(FileKind, &Tree)>,
    module: Option<(&crate::python::Module, Option<&[Node<'_>]>)>,
) -> Option<Prepared> {
    if !is_relevant(relative) {
        return None;
    }
    let path = PathBuf::from(display(relative));
    let derived = derive(&path, text, None, parsed, module)?;
    let tree = derived.tree.as_ref().or(match (parsed, derived.kind) {
        (Some((kind, tree)), Some(own)) if kind == own => Some(tree),
        _ => None,
    });
    let suppressions = suppressions(&path, derived.kind, text, tree);
    Some(Prepared {
        kind: derived.kind,
        text: text.to_string(),
        facts: derived.facts,
        suppressions,
    })
}

fn is_ci_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.contains(".github/workflows/")
        || lower.ends_with(".gitlab-ci.yml")
        || lower.ends_with(".circleci/config.yml")
        || lower.ends_with("azure-pipelines.yml")
        || lower.ends_with("bitbucket-pipelines.yml")
        || lower.ends_with(".travis.yml")
        || lower.ends_with("jenkinsfile")
}

/// What the model takes from one file's text.
struct Derived {
    kind: Option<FileKind>,
    facts: Facts,
    /// The syntax tree the facts were read from, if the file was parsed.
    tree: Option<Tree>,
}

impl Derived {
    fn new(kind: Option<FileKind>, facts: Facts) -> Derived {
        Derived {
            kind,
            facts,
            tree: None,
        }
    }
}

/// Parses a file's text: incrementally, from the tree of its previous text,
/// when the model kept that tree (a file being edited).
fn reparse(
    kind: FileKind,
    text: &str,
    previous: Option<&ProjectFile>,
    given: Option<(FileKind, &Tree)>,
) -> Option<Tree> {
    // A tree another pass already parsed from this text with this grammar.
    if let Some((given_kind, tree)) = given
        && given_kind == kind
    {
        return Some(tree.clone());
    }
    let old = previous
        .filter(|file| file.kind == Some(kind))
        .and_then(|file| Some((file.text.as_str(), file.tree.as_ref()?)));
    match old {
        Some((old_text, old_tree)) => {
            let mut tree = old_tree.clone();
            if let Some(edit) = minimal_edit(old_text, text) {
                tree.edit(&input_edit(old_text, edit.range, &edit.new_text));
            }
            let tree = parse(kind, text, Some(&tree))?;
            // Error recovery depends on the tree a re-parse starts from: a
            // tree with errors is parsed afresh, so that the model equals
            // one built from the same texts.
            if tree.root_node().has_error() {
                parse(kind, text, None)
            } else {
                Some(tree)
            }
        }
        None => parse(kind, text, None),
    }
}

/// Derives the facts of one file; `None` for files the model ignores.
/// `previous` is the file as the model held it before this text; `given`
/// a tree already parsed from this text, and `module` the Python module
/// facts already derived from that tree, with the nodes of the project
/// facts' kinds found in it, if known (used only with it).
fn derive(
    path: &Path,
    text: &str,
    previous: Option<&ProjectFile>,
    given: Option<(FileKind, &Tree)>,
    module: Option<(&crate::python::Module, Option<&[Node<'_>]>)>,
) -> Option<Derived> {
    let display = path.to_string_lossy().replace('\\', "/");
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    if is_ci_path(&display) {
        return Some(Derived::new(
            FileKind::detect(path, text),
            Facts::Ci(config::ci(text)),
        ));
    }
    match name.as_str() {
        ".python-version" => {
            let version = text.lines().next().unwrap_or_default().trim().to_string();
            return Some(Derived::new(None, Facts::PythonVersion(version)));
        }
        "alembic.ini" => return Some(Derived::new(None, Facts::Marker)),
        "uv.lock" | "poetry.lock" | "pdm.lock" => {
            return Some(Derived::new(
                Some(FileKind::Toml),
                Facts::Lock(config::lock_versions(text)),
            ));
        }
        "pipfile.lock" | "requirements.lock" => {
            return Some(Derived::new(None, Facts::Lock(BTreeMap::new())));
        }
        "pyproject.toml" => {
            return Some(Derived::new(
                Some(FileKind::Toml),
                Facts::Pyproject(config::pyproject(text)),
            ));
        }
        "railway.toml" => {
            return Some(Derived::new(
                Some(FileKind::Toml),
                Facts::Railway(config::railway_toml(text)),
            ));
        }
        "railway.json" => {
            let tree = reparse(FileKind::Json, text, previous, given);
            return Some(Derived {
                kind: Some(FileKind::Json),
                facts: Facts::Railway(config::railway_json(text, tree.as_ref())),
                tree,
            });
        }
        "fly.toml" => {
            return Some(Derived::new(
                Some(FileKind::Toml),
                Facts::Fly(config::fly(text)),
            ));
        }
        _ => {}
    }
    let kind = FileKind::detect(path, text)?;
    let (facts, tree) = match kind {
        FileKind::Python => {
            let tree = reparse(kind, text, previous, given)?;
            let shared = module.filter(|_| given.is_some_and(|(given, _)| given == kind));
            let facts = Facts::Python(Box::new(match shared {
                Some((module, walked)) => {
                    python_facts::extract_with(path, text, &tree, module, walked)
                }
                None => python_facts::extract(path, text, &tree),
            }));
            (facts, Some(tree))
        }
        FileKind::Dockerfile => {
            let tree = reparse(kind, text, previous, given)?;
            (
                Facts::Dockerfile(container::dockerfile(text, &tree)),
                Some(tree),
            )
        }
        FileKind::Compose => {
            let tree = reparse(kind, text, previous, given)?;
            (Facts::Compose(container::compose(text, &tree)), Some(tree))
        }
        FileKind::DotEnv => (Facts::DotEnv(config::dotenv(text)), None),
        FileKind::IgnoreFile => (Facts::Ignore, None),
        FileKind::Procfile => (Facts::Procfile(config::procfile(text)), None),
        FileKind::Requirements => (Facts::Requirements(config::requirements(text)), None),
        FileKind::Yaml | FileKind::Toml | FileKind::Json => return None,
    };
    Some(Derived {
        kind: Some(kind),
        facts,
        tree,
    })
}

/// Code that is not the service itself: scripts and command-line tools,
/// and the examples, docs and benchmarks of a library.
fn is_sample_path(path: &Path) -> bool {
    crate::python::is_script_path(path)
        || path.components().any(|component| {
            matches!(
                component.as_os_str().to_str(),
                Some("examples" | "example" | "docs" | "docs_src" | "benchmarks" | "samples")
            )
        })
}

/// The files a model of `root` reads, as the walk gives their paths (under
/// `root`): the walk honours `.gitignore`, skips virtual environments and
/// nested project roots, and still lists `.env` files that `.gitignore`
/// hides (whether they are ignored is itself a fact).
fn model_paths(root: &Path) -> Vec<PathBuf> {
    let own_root = root.to_path_buf();
    // The walk's threads fill both: the files it lists, and the `.env`
    // files of each folder it enters (read from the folder itself).
    let found: std::sync::Mutex<(Vec<PathBuf>, Vec<PathBuf>)> = Default::default();
    ignore::WalkBuilder::new(root)
        .hidden(false)
        .parents(false)
        .filter_entry(move |entry| {
            let is_dir = entry.file_type().is_some_and(|kind| kind.is_dir());
            // A nested project (a service of a monorepo) is its own model.
            !is_dir
                || entry.path() == own_root
                || !(is_skipped_dir(entry.file_name()) || is_project_root(entry.path()))
        })
        .build_parallel()
        .run(|| {
            let found = &found;
            Box::new(move |entry| {
                let Ok(entry) = entry else {
                    return ignore::WalkState::Continue;
                };
                let path = entry.path();
                let lock = || {
                    found
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                };
                if entry.file_type().is_some_and(|kind| kind.is_dir()) {
                    let env_files = env_files_in(path);
                    if !env_files.is_empty() {
                        lock().1.extend(env_files);
                    }
                } else if path.strip_prefix(root).is_ok_and(is_relevant) {
                    lock().0.push(path.to_path_buf());
                }
                ignore::WalkState::Continue
            })
        });
    let (mut paths, env_files) = found
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    // The same list whatever order the threads found it in.
    paths.sort();
    let listed: BTreeSet<PathBuf> = paths.iter().cloned().collect();
    let mut hidden: Vec<PathBuf> = env_files
        .into_iter()
        .filter(|path| !listed.contains(path))
        .collect();
    hidden.sort();
    paths.extend(hidden);
    paths
}

/// The `.env` files (real or examples) in the folder `dir`, listed from
/// the folder itself: `.gitignore` hides them from the walk.
fn env_files_in(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter(|entry| {
            entry
                .file_name()
                .to_str()
                .is_some_and(|name| is_real_env_file(name) || is_env_example_name(name))
        })
        .map(|entry| entry.path())
        .filter(|path| path.is_file())
        .collect()
}

/// The files that make a folder a project root.
pub const MANIFESTS: [&str; 3] = ["pyproject.toml", "requirements.txt", "setup.py"];

/// Whether a folder is the root of a Python project (it has a manifest).
pub fn is_project_root(dir: &Path) -> bool {
    MANIFESTS.iter().any(|name| dir.join(name).is_file())
}

/// The project roots strictly inside `root` (the services of a monorepo),
/// found by a walk that honours `.gitignore` and skips virtual
/// environments; sorted.
pub fn nested_project_roots(root: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let walker = ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(|entry| {
            !entry.file_type().is_some_and(|kind| kind.is_dir())
                || !is_skipped_dir(entry.file_name())
        })
        .build();
    for entry in walker.flatten() {
        if entry.depth() > 0
            && entry.file_type().is_some_and(|kind| kind.is_dir())
            && is_project_root(entry.path())
        {
            found.push(entry.into_path());
        }
    }
    found.sort();
    found
}

/// The name of a `.env` file that holds real values (not an example).
pub fn is_real_env_file(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    (lower == ".env" || lower.starts_with(".env.")) && !is_env_example_name(&lower)
}

/// `.env.example`, `.env.sample`, `.env.template`, `.env.dist`,
/// `example.env`.
pub fn is_env_example_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".example", ".sample", ".template", ".dist", ".defaults"]
        .iter()
        .any(|suffix| lower.starts_with(".env") && lower.ends_with(suffix))
        || lower == "example.env"
        || lower == "sample.env"
}

/// The folder, relative to the project root, a compose service at
/// `compose_file` (relative to the root) builds from with the build
/// `context`: `None` for a context above the root, an absolute path or a
/// URL.
pub fn build_folder(compose_file: &Path, context: &str) -> Option<PathBuf> {
    if context.contains("://") || context.starts_with("git@") || Path::new(context).has_root() {
        return None;
    }
    let joined = compose_file.parent().unwrap_or(Path::new("")).join(context);
    let mut out = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            std::path::Component::Normal(part) => out.push(part),
            _ => return None,
        }
    }
    Some(PathBuf::from(display(&out)))
}

/// Every (build context, Dockerfile) a YAML text may give a compose
/// service, read from its `build:`, `context:` and `dockerfile:` lines
/// without parsing it: each context with `Dockerfile` and with each
/// Dockerfile of the file, more than the services build (what a cache key
/// needs: the linked projects' files, never fewer).
fn build_lines(text: &str) -> Vec<(String, String)> {
    let mut contexts = vec![".".to_string()];
    let mut dockerfiles = vec!["Dockerfile".to_string()];
    for line in text.lines() {
        let line = line.trim_start().trim_start_matches("- ");
        for key in ["build:", "context:", "dockerfile:"] {
            if let Some(value) = line.strip_prefix(key) {
                let value = value.split(" #").next().unwrap_or_default().trim();
                let value = value.trim_matches(['"', '\'']);
                if value.is_empty() {
                    continue;
                }
                if key == "dockerfile:" {
                    dockerfiles.push(value.to_string());
                } else {
                    contexts.push(value.to_string());
                }
            }
        }
    }
    contexts
        .iter()
        .flat_map(|context| {
            dockerfiles
                .iter()
                .map(move |dockerfile| (context.clone(), dockerfile.clone()))
        })
        .collect()
}

/// The nested project a compose service at `compose_file` (relative to the
/// root) is built from, with its `build` (context, Dockerfile): the
/// deepest project root under the root that holds the build context
/// (`build: ./services/api`) or, for a context that is not inside one, the
/// Dockerfile (`context: .` with `dockerfile: backend/Dockerfile`, the
/// context a workspace lock at the root asks for). Returns that folder and
/// the Dockerfile's path in it, if it is in it; `is_root` says whether a
/// folder (relative to the root, never the root itself) is a project root.
pub fn service_folder(
    compose_file: &Path,
    build: &(String, String),
    is_root: &dyn Fn(&Path) -> bool,
) -> Option<(PathBuf, Option<PathBuf>)> {
    let context = build_folder(compose_file, &build.0)?;
    let dockerfile = build_folder(&context.join("Dockerfile"), &build.1);
    let deepest_root = |path: &Path| {
        path.ancestors()
            .filter(|folder| !folder.as_os_str().is_empty())
            .find(|folder| is_root(folder))
            .map(Path::to_path_buf)
    };
    let folder = deepest_root(&context).or_else(|| {
        let dockerfile = dockerfile.as_ref()?;
        deepest_root(dockerfile.parent()?).filter(|folder| folder.starts_with(&context))
    })?;
    let inside = dockerfile
        .as_ref()
        .and_then(|dockerfile| dockerfile.strip_prefix(&folder).ok())
        .map(Path::to_path_buf);
    Some((folder, inside))
}

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

impl Project {
    /// An empty project at `root`.
    pub fn new(root: impl Into<PathBuf>) -> Project {
        Project {
            root: root.into(),
            ..Project::default()
        }
    }

    /// Builds the model from files given as (relative path, text).
    pub fn from_files<'a>(
        root: impl Into<PathBuf>,
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Project {
        let mut project = Project::new(root);
        for (path, text) in files {
            project.update_file(Path::new(path), text);
        }
        project
    }

    /// Walks `root` (honouring `.gitignore`, skipping virtual environments)
    /// and reads every file the model needs. `.env` files are read even
    /// when ignored: whether they are ignored is itself a fact.
    pub fn load(root: &Path) -> Project {
        Project::load_with(root, &mut |_| None)
    }

    /// [`Project::load`], taking files from `provided` (by the path the
    /// walk gives, under `root`; or the absolute path of a file above the
    /// root) before reading them from disk: a caller that already read and
    /// parsed the files shares them instead of the model doing it again.
    pub fn load_with(root: &Path, provided: &mut dyn FnMut(&Path) -> Option<Provided>) -> Project {
        let mut project = Project::load_standalone_with(root, provided);
        project.read_outer(provided);
        project
    }

    /// Reads what the model takes from the folders above the root (see
    /// [`Project::load_with`]). Returns the fact kinds that changed.
    fn read_outer(
        &mut self,
        provided: &mut dyn FnMut(&Path) -> Option<Provided>,
    ) -> BTreeSet<FactKind> {
        let root = self.root.clone();
        let mut changed = BTreeSet::new();
        let gitignores = outer_gitignores(&root, provided);
        if gitignores != self.outer_gitignores {
            changed.insert(FactKind::Ignore);
            self.outer_gitignores = gitignores;
        }
        let ci = outer_ci(&root, provided);
        if ci != self.outer_ci {
            changed.insert(FactKind::Ci);
            self.outer_ci = ci;
        }
        let name = self
            .files
            .get(Path::new("pyproject.toml"))
            .and_then(|file| project_name(&file.text));
        let lock = outer_lock(&root, name.as_deref(), provided);
        if lock != self.outer_lock {
            changed.insert(FactKind::Dependencies);
            self.outer_lock = lock;
        }
        let env_example = outer_env_example(&root);
        if env_example != self.outer_env_example {
            changed.insert(FactKind::DotEnv);
            self.outer_env_example = env_example;
        }
        changed
    }

    /// Reads the files above the root again from disk (one of them was
    /// created, changed or deleted: see [`is_outer_input`]). Returns the
    /// fact kinds that changed.
    pub fn refresh_outer(&mut self) -> BTreeSet<FactKind> {
        self.read_outer(&mut |_| None)
    }

    /// The example env file above the root (see [`Project::load_with`]).
    pub fn outer_env_example(&self) -> Option<&Path> {
        self.outer_env_example.as_deref()
    }

    /// The folder of the workspace lock above the root that locks this
    /// project (the root's path relative to the lock's folder).
    pub fn outer_lock(&self) -> Option<&Path> {
        self.outer_lock.as_deref()
    }

    /// CI files of the repository above the root.
    pub fn outer_ci(&self) -> &[CiFacts] {
        &self.outer_ci
    }

    /// Like [`Project::load`], but as if `root` were the root of its
    /// repository: `.gitignore` files above it are not read (test fixtures
    /// inside another repository).
    pub fn load_standalone(root: &Path) -> Project {
        Project::load_standalone_with(root, &mut |_| None)
    }

    fn load_standalone_with(
        root: &Path,
        provided: &mut dyn FnMut(&Path) -> Option<Provided>,
    ) -> Project {
        let mut project = Project::load_files(root, provided);
        project.link(provided);
        project
    }

    /// The files of `root` only (no linked services).
    fn load_files(root: &Path, provided: &mut dyn FnMut(&Path) -> Option<Provided>) -> Project {
        let mut project = Project::new(root);
        for path in model_paths(root) {
            project.read(root, &path, provided);
        }
        project
    }

    /// The folders, relative to the root, of the nested project roots the
    /// compose files of the model build services from (see
    /// [`service_folder`]).
    fn build_folders(&self) -> BTreeSet<PathBuf> {
        let mut folders = BTreeSet::new();
        for (file, facts) in self.compose_files() {
            for service in &facts.services {
                if let Some(build) = &service.build
                    && let Some((folder, _)) = service_folder(&file.path, build, &|folder| {
                        is_project_root(&self.root.join(folder))
                    })
                {
                    folders.insert(folder);
                }
            }
        }
        folders
    }

    /// Loads the models of the nested projects the compose files build
    /// from (see [`Project::linked`]) that are not loaded yet, and forgets
    /// those no compose service builds from any more. Whether the set
    /// changed.
    fn link(&mut self, provided: &mut dyn FnMut(&Path) -> Option<Provided>) -> bool {
        let wanted = self.build_folders();
        let before = self.linked.len();
        self.linked.retain(|folder, _| wanted.contains(folder));
        let mut changed = self.linked.len() != before;
        for folder in wanted {
            if !self.linked.contains_key(&folder) {
                let model = Project::load_files(&self.root.join(&folder), provided);
                self.linked.insert(folder, model);
                changed = true;
            }
        }
        changed
    }

    /// The model of the nested project a compose service builds from, by
    /// its folder relative to the root (see [`build_folder`]).
    pub fn linked(&self, folder: &Path) -> Option<&Project> {
        self.linked.get(folder)
    }

    /// Links the models of the nested projects the compose files build
    /// from now (after a compose file changed), reading new ones from disk.
    /// Whether the set of linked models changed.
    pub fn relink(&mut self) -> bool {
        self.link(&mut |_| None)
    }

    /// The folders of the linked models (see [`Project::linked`]).
    pub fn linked_folders(&self) -> impl Iterator<Item = &Path> {
        self.linked.keys().map(PathBuf::as_path)
    }

    /// Applies the change of a file (`None`: deleted) at `path`, relative to
    /// the root, to the linked model that holds it. Returns the fact kinds
    /// that changed (empty when no linked model holds it).
    pub fn update_linked(&mut self, path: &Path, text: Option<&str>) -> BTreeSet<FactKind> {
        let path = PathBuf::from(display(path));
        for (folder, model) in &mut self.linked {
            let Ok(inside) = path.strip_prefix(folder) else {
                continue;
            };
            if in_skipped_dir(inside) {
                return BTreeSet::new();
            }
            return match text {
                Some(text) => model.update_file(inside, text),
                None => model.remove_file(inside),
            };
        }
        BTreeSet::new()
    }

    /// What [`Project::load`] would read, without deriving anything: the
    /// path (relative to the root) and text of every file of the model,
    /// and a description of what it reads above the root. A cache keys the
    /// project's findings by them. `text_of` gives a file's text (by the
    /// walk's path, or the absolute path of a file above the root).
    pub fn model_inputs(
        root: &Path,
        text_of: &mut dyn FnMut(&Path) -> Option<String>,
    ) -> (Vec<(PathBuf, String)>, String) {
        let mut inputs = Vec::new();
        for path in model_paths(root) {
            let Ok(relative) = path.strip_prefix(root) else {
                continue;
            };
            if let Some(text) = text_of(&path)
                && !text.contains('\0')
            {
                inputs.push((PathBuf::from(display(relative)), text));
            }
        }
        // The files of the nested projects the compose files build from,
        // by their path under the root: the findings in the compose files
        // depend on them.
        let mut folders = BTreeSet::new();
        for (path, text) in &inputs {
            let name = display(path);
            if name.ends_with(".yml") || name.ends_with(".yaml") {
                for build in build_lines(text) {
                    if let Some((folder, _)) =
                        service_folder(path, &build, &|folder| is_project_root(&root.join(folder)))
                    {
                        folders.insert(folder);
                    }
                }
            }
        }
        for folder in folders {
            let linked_root = root.join(&folder);
            for path in model_paths(&linked_root) {
                if let Ok(relative) = path.strip_prefix(root)
                    && let Some(text) = text_of(&path)
                    && !text.contains('\0')
                {
                    inputs.push((PathBuf::from(display(relative)), text));
                }
            }
        }
        let mut as_provided = |path: &Path| {
            text_of(path)
                .map(Provided::Text)
                .or(Some(Provided::Unreadable))
        };
        let outer = format!(
            "{:?}{:?}{:?}{:?}",
            outer_gitignores(root, &mut as_provided),
            outer_ci(root, &mut as_provided),
            outer_lock(
                root,
                inputs
                    .iter()
                    .find(|(path, _)| path == Path::new("pyproject.toml"))
                    .and_then(|(_, text)| project_name(text))
                    .as_deref(),
                &mut as_provided
            ),
            outer_env_example(root)
        );
        (inputs, outer)
    }

    fn read(
        &mut self,
        root: &Path,
        path: &Path,
        provided: &mut dyn FnMut(&Path) -> Option<Provided>,
    ) {
        let Ok(relative) = path.strip_prefix(root) else {
            return;
        };
        if !is_relevant(relative) {
            return;
        }
        let text = match provided(path) {
            Some(Provided::Prepared(prepared)) => {
                let path = PathBuf::from(display(relative));
                self.files.insert(
                    path.clone(),
                    ProjectFile {
                        path,
                        kind: prepared.kind,
                        text: prepared.text,
                        facts: prepared.facts,
                        suppressions: prepared.suppressions,
                        tree: None,
                    },
                );
                return;
            }
            Some(Provided::Text(text)) => Some(text),
            Some(Provided::Unreadable) => None,
            None => read_regular_file(path),
        };
        if let Some(text) = text
            && !text.contains('\0')
        {
            self.update_file(relative, &text);
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// Sets a file's text and re-derives its facts. Returns the fact kinds
    /// that changed (empty when the facts are the same as before), so that
    /// only the rules reading them run again.
    pub fn update_file(&mut self, path: &Path, text: &str) -> BTreeSet<FactKind> {
        self.update_file_parsed(path, text, None, None)
    }

    /// [`Project::update_file`] with the tree another pass already parsed
    /// from `text` as a kind (an editor's document, checked before the
    /// model takes its text) and, for Python, the module facts derived from
    /// that tree: the model neither parses the text nor derives them again.
    pub fn update_file_parsed(
        &mut self,
        path: &Path,
        text: &str,
        parsed: Option<(FileKind, &Tree)>,
        module: Option<&crate::python::Module>,
    ) -> BTreeSet<FactKind> {
        let path = PathBuf::from(display(path));
        let mut changed = BTreeSet::new();
        let existing = self.files.get(&path);
        let Some(derived) = derive(
            &path,
            text,
            existing,
            parsed,
            module.map(|module| (module, None)),
        ) else {
            return self.remove_file(&path);
        };
        let suppressions = suppressions(&path, derived.kind, text, derived.tree.as_ref());
        match self.files.get_mut(&path) {
            Some(existing) => {
                if existing.facts != derived.facts {
                    changed.insert(existing.facts.kind());
                    changed.insert(derived.facts.kind());
                }
                if existing.text != text {
                    // Findings and fixes point into the text.
                    changed.insert(derived.facts.kind());
                }
                existing.kind = derived.kind;
                existing.text = text.to_string();
                existing.facts = derived.facts;
                existing.suppressions = suppressions;
                // A file changed after loading is being edited: its tree is
                // kept so that the next change parses incrementally.
                existing.tree = derived.tree;
            }
            None => {
                changed.insert(derived.facts.kind());
                changed.insert(FactKind::Paths);
                self.files.insert(
                    path.clone(),
                    ProjectFile {
                        path,
                        kind: derived.kind,
                        text: text.to_string(),
                        facts: derived.facts,
                        suppressions,
                        tree: None,
                    },
                );
            }
        }
        changed
    }

    /// Forgets a file. Returns the fact kinds that changed.
    pub fn remove_file(&mut self, path: &Path) -> BTreeSet<FactKind> {
        let path = PathBuf::from(display(path));
        let mut changed = BTreeSet::new();
        if let Some(file) = self.files.remove(&path) {
            changed.insert(file.facts.kind());
            changed.insert(FactKind::Paths);
        }
        changed
    }

    pub fn files(&self) -> impl Iterator<Item = &ProjectFile> {
        self.files.values()
    }

    pub fn file(&self, path: &Path) -> Option<&ProjectFile> {
        self.files.get(Path::new(&display(path)))
    }

    /// The facts of every Python file that is not a test.
    pub fn python(&self) -> impl Iterator<Item = (&ProjectFile, &PythonFacts)> {
        self.files.values().filter_map(|file| match &file.facts {
            Facts::Python(facts) if !facts.is_test => Some((file, facts.as_ref())),
            _ => None,
        })
    }

    /// [`Project::python`] by path, what the routing indexes hold.
    fn python_paths(&self) -> Vec<(&Path, &PythonFacts)> {
        self.python()
            .map(|(file, facts)| (file.path.as_path(), facts))
            .collect()
    }

    pub fn dockerfiles(&self) -> impl Iterator<Item = (&ProjectFile, &DockerfileFacts)> {
        self.files.values().filter_map(|file| match &file.facts {
            Facts::Dockerfile(facts) => Some((file, facts)),
            _ => None,
        })
    }

    pub fn compose_files(&self) -> impl Iterator<Item = (&ProjectFile, &ComposeFacts)> {
        self.files.values().filter_map(|file| match &file.facts {
            Facts::Compose(facts) => Some((file, facts)),
            _ => None,
        })
    }

    pub fn env_files(&self) -> impl Iterator<Item = (&ProjectFile, &[EnvEntry])> {
        self.files.values().filter_map(|file| match &file.facts {
            Facts::DotEnv(entries) => Some((file, entries.as_slice())),
            _ => None,
        })
    }

    /// The `.env` files with real values (not examples).
    pub fn real_env_files(&self) -> impl Iterator<Item = (&ProjectFile, &[EnvEntry])> {
        self.env_files().filter(|(file, _)| {
            file.path
                .file_name()
                .and_then(|name| name.to_str())
                .is_some_and(is_real_env_file)
        })
    }

    /// The example env file at the root (`.env.example`, ...), if any.
    pub fn env_example(&self) -> Option<(&ProjectFile, &[EnvEntry])> {
        self.env_files().find(|(file, _)| {
            file.path.parent() == Some(Path::new(""))
                && file
                    .path
                    .file_name()
                    .and_then(|name| name.to_str())
                    .is_some_and(is_env_example_name)
        })
    }

    pub fn requirements_files(&self) -> impl Iterator<Item = (&ProjectFile, &RequirementsFacts)> {
        self.files.values().filter_map(|file| match &file.facts {
            Facts::Requirements(facts) => Some((file, facts)),
            _ => None,
        })
    }

    pub fn pyproject(&self) -> Option<(&ProjectFile, &PyprojectFacts)> {
        match &self.files.get(Path::new("pyproject.toml"))?.facts {
            Facts::Pyproject(facts) => self
                .files
                .get(Path::new("pyproject.toml"))
                .map(|file| (file, facts)),
            _ => None,
        }
    }

    /// Package versions of every lock file, merged.
    pub fn locked_versions(&self) -> BTreeMap<String, String> {
        let mut versions = BTreeMap::new();
        for file in self.files.values() {
            if let Facts::Lock(found) = &file.facts {
                versions.extend(found.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
            if let Facts::Requirements(facts) = &file.facts
                && facts.compiled
            {
                for requirement in &facts.requirements {
                    if let Some(version) = requirement.specifier.strip_prefix("==") {
                        versions.insert(requirement.name.clone(), version.trim().to_string());
                    }
                }
            }
        }
        versions
    }

    /// Whether a lock file pins the dependency set.
    pub fn has_lock_file(&self) -> bool {
        self.outer_lock.is_some()
            || self.files.values().any(|file| match &file.facts {
                Facts::Lock(_) => true,
                Facts::Requirements(facts) => facts.compiled || facts.hashed,
                _ => false,
            })
    }

    pub fn python_version_file(&self) -> Option<(&ProjectFile, &str)> {
        let file = self.files.get(Path::new(".python-version"))?;
        match &file.facts {
            Facts::PythonVersion(version) => Some((file, version.as_str())),
            _ => None,
        }
    }

    pub fn railway(&self) -> impl Iterator<Item = (&ProjectFile, &RailwayFacts)> {
        self.files.values().filter_map(|file| match &file.facts {
            Facts::Railway(facts) => Some((file, facts)),
            _ => None,
        })
    }

    pub fn fly(&self) -> impl Iterator<Item = (&ProjectFile, &FlyFacts)> {
        self.files.values().filter_map(|file| match &file.facts {
            Facts::Fly(facts) => Some((file, facts)),
            _ => None,
        })
    }

    /// The `Procfile`s of the project and their processes.
    pub fn procfiles(&self) -> impl Iterator<Item = (&ProjectFile, &[Process])> {
        self.files.values().filter_map(|file| match &file.facts {
            Facts::Procfile(processes) => Some((file, processes.as_slice())),
            _ => None,
        })
    }

    pub fn ci_files(&self) -> impl Iterator<Item = (&ProjectFile, &CiFacts)> {
        self.files.values().filter_map(|file| match &file.facts {
            Facts::Ci(facts) => Some((file, facts)),
            _ => None,
        })
    }

    /// Whether any file of the model is a test (`tests/`, `test_*.py`, ...).
    pub fn has_tests(&self) -> bool {
        self.files.values().any(|file| match &file.facts {
            Facts::Python(facts) => {
                facts.is_test
                    && file
                        .path
                        .file_name()
                        .is_some_and(|name| name != "__init__.py" && name != "conftest.py")
            }
            _ => false,
        })
    }

    /// Whether Alembic (or another migration tool) is set up.
    pub fn has_alembic(&self) -> bool {
        self.files.keys().any(|path| {
            let text = display(path);
            text.ends_with("alembic.ini")
                || text.ends_with("alembic/env.py")
                || text.ends_with("migrations/env.py")
                || text.contains("/versions/") && text.ends_with(".py")
        })
    }

    /// Whether a Django app folder has a `migrations/` package.
    pub fn has_django_migrations(&self, app_dir: &Path) -> bool {
        let prefix = display(&app_dir.join("migrations"));
        self.files
            .keys()
            .any(|path| display(path).starts_with(&format!("{prefix}/")))
    }

    /// The web apps of the project, with their files. A Django project is
    /// its settings module (`INSTALLED_APPS`); its `wsgi.py`/`asgi.py` count
    /// only when no settings module is in the project.
    pub fn apps(&self) -> Vec<(&ProjectFile, &AppFact)> {
        let mut apps: Vec<(&ProjectFile, &AppFact)> = self
            .python()
            .filter(|(file, _)| !is_sample_path(&file.path))
            .flat_map(|(file, facts)| facts.apps.iter().map(move |app| (file, app)))
            .collect();
        let has_settings = apps
            .iter()
            .any(|(_, app)| app.framework == Framework::Django && app.var.is_none());
        if has_settings {
            apps.retain(|(_, app)| app.framework != Framework::Django || app.var.is_none());
        }
        apps
    }

    /// The frameworks named in the project's dependency files.
    pub fn dependency_names(&self) -> BTreeSet<String> {
        let mut names = BTreeSet::new();
        for file in self.files.values() {
            match &file.facts {
                Facts::Requirements(facts) => {
                    names.extend(facts.requirements.iter().map(|req| req.name.clone()));
                }
                Facts::Pyproject(facts) => names.extend(facts.dependencies.iter().cloned()),
                _ => {}
            }
        }
        names
    }

    /// Whether the project is a web service or worker: it creates a web app,
    /// depends on a service framework, or its root holds a Dockerfile or a
    /// deploy config, not a compose file (a worker that loops over a queue
    /// in a container is a service too, whatever it imports).
    pub fn is_service(&self) -> bool {
        if !self.apps().is_empty() {
            return true;
        }
        // A compose file orchestrates services (a monorepo's root holds
        // one); it does not make the folder's own code a service.
        if context::DEPLOY_FILES
            .iter()
            .filter(|name| !name.contains("compose"))
            .any(|name| self.files.contains_key(Path::new(name)))
        {
            return true;
        }
        let names = self.dependency_names();
        SERVICE_FRAMEWORKS
            .iter()
            .any(|framework| names.contains(*framework))
    }

    /// Whether the project shows a capability anywhere: in code, or by a
    /// dependency on a library that provides it.
    pub fn has_capability(&self, capability: Capability) -> bool {
        if self
            .python()
            .any(|(_, facts)| facts.capabilities.contains(&capability))
        {
            return true;
        }
        let libraries: &[&str] = match capability {
            Capability::RateLimiting => &[
                "slowapi",
                "fastapi-limiter",
                "flask-limiter",
                "django-ratelimit",
            ],
            Capability::Authentication => &[
                "fastapi-users",
                "flask-login",
                "flask-jwt-extended",
                "djangorestframework-simplejwt",
                "django-allauth",
                "authlib",
            ],
            Capability::StructuredLogging => &["structlog", "python-json-logger", "ecs-logging"],
            Capability::RequestId => &["asgi-correlation-id", "django-guid"],
            Capability::SecurityHeaders => &["secure", "flask-talisman", "django-csp"],
            Capability::Metrics => &[
                "prometheus-client",
                "prometheus-fastapi-instrumentator",
                "starlette-exporter",
                "aioprometheus",
                "prometheus-flask-exporter",
                "django-prometheus",
                "opentelemetry-instrumentation-fastapi",
                "opentelemetry-instrumentation-flask",
                "opentelemetry-instrumentation-django",
                "opentelemetry-distro",
                "datadog",
                "statsd",
                "logfire",
            ],
            Capability::Tracing => &[
                "opentelemetry-instrumentation-fastapi",
                "opentelemetry-instrumentation-flask",
                "opentelemetry-instrumentation-django",
                "opentelemetry-distro",
                "ddtrace",
                "elastic-apm",
                "logfire",
                "langfuse",
            ],
            Capability::Cors => &[
                "flask-cors",
                "django-cors-headers",
                "quart-cors",
                "aiohttp-cors",
            ],
        };
        let names = self.dependency_names();
        libraries.iter().any(|library| names.contains(*library))
    }

    /// Every route the apps serve, with full paths: router prefixes,
    /// `include_router`/`register_blueprint`/`mount` prefixes and Django
    /// `include()`s applied. Routes of a router that is never included are
    /// listed with the router's own prefix.
    pub fn served_routes(&self) -> Vec<ServedRoute> {
        routing::Routing::new(self.python_paths()).served_routes()
    }

    /// Whether every include of the project resolves to a router or module
    /// of the project (so the served routes are known completely).
    pub fn routes_fully_known(&self) -> bool {
        routing::Routing::new(self.python_paths()).routes_fully_known()
    }

    /// The served paths that look like health checks.
    pub fn health_routes(&self) -> Vec<ServedRoute> {
        self.served_routes()
            .into_iter()
            .filter(|route| is_health_path(&route.path))
            .collect()
    }

    /// Whether `path` is ignored by the `.gitignore` files that cover it
    /// (the project's, nested ones, and the repository's above the root).
    pub fn git_ignores(&self, path: &Path, is_dir: bool) -> bool {
        let path = PathBuf::from(display(path));
        for file in self.files.values() {
            if !matches!(file.facts, Facts::Ignore)
                || file
                    .path
                    .file_name()
                    .is_none_or(|name| name != ".gitignore")
            {
                continue;
            }
            let dir = file.path.parent().unwrap_or(Path::new(""));
            let Ok(inside) = path.strip_prefix(dir) else {
                continue;
            };
            if ignore_text_matches(&file.text, inside, is_dir) {
                return true;
            }
        }
        self.outer_gitignores.iter().any(|(root_in_outer, text)| {
            ignore_text_matches(text, &root_in_outer.join(&path), is_dir)
        })
    }

    /// Whether any `.gitignore` covers the project (its own or the
    /// repository's above it).
    pub fn has_gitignore(&self) -> bool {
        self.files.contains_key(Path::new(".gitignore")) || !self.outer_gitignores.is_empty()
    }

    /// A place for findings about the project as a whole: the `[project]`
    /// table of pyproject.toml, else the first line of requirements.txt
    /// (the file, not a dependency pin: no pin is the problem), else the
    /// first app creation.
    pub fn anchor(&self) -> Option<(PathBuf, Range<usize>)> {
        if let Some((file, facts)) = self.pyproject()
            && let Some(header) = &facts.header
        {
            return Some((file.path.clone(), header.clone()));
        }
        if let Some(file) = self.files.get(Path::new("requirements.txt"))
            && matches!(file.facts, Facts::Requirements(_))
        {
            let first_line = file.text.find(['\r', '\n']).unwrap_or(file.text.len());
            return Some((file.path.clone(), 0..first_line));
        }
        self.apps()
            .first()
            .map(|(file, app)| (file.path.clone(), app.range.clone()))
    }
}

/// Whether gitignore-style `text` ignores `path` (relative to its folder).
pub fn ignore_text_matches(text: &str, path: &Path, is_dir: bool) -> bool {
    let mut builder = GitignoreBuilder::new("");
    for line in text.lines() {
        let _ = builder.add_line(None, line);
    }
    let Ok(matcher) = builder.build() else {
        return false;
    };
    if path.as_os_str().is_empty() || path.has_root() {
        return false;
    }
    matcher
        .matched_path_or_any_parents(path, is_dir)
        .is_ignore()
}

/// The CI files of the repository that holds `root`, when `root` is not the
/// repository's root itself, and that name the project's folder
/// (`working-directory: services/api`, `paths: ["services/api/**"]`).
fn outer_ci(root: &Path, provided: &mut dyn FnMut(&Path) -> Option<Provided>) -> Vec<CiFacts> {
    let Ok(root) = fs::canonicalize(root) else {
        return Vec::new();
    };
    if root.join(".git").exists() {
        return Vec::new();
    }
    for dir in root.ancestors().skip(1) {
        if dir.join(".git").exists() {
            let mut found = Vec::new();
            let workflows = dir.join(".github/workflows");
            let mut paths: Vec<PathBuf> = fs::read_dir(&workflows)
                .map(|entries| entries.flatten().map(|entry| entry.path()).collect())
                .unwrap_or_default();
            paths.extend(
                [
                    ".gitlab-ci.yml",
                    ".circleci/config.yml",
                    "azure-pipelines.yml",
                    "bitbucket-pipelines.yml",
                    ".travis.yml",
                    "Jenkinsfile",
                ]
                .iter()
                .map(|name| dir.join(name)),
            );
            let Some(folder) = root.strip_prefix(dir).ok().map(display) else {
                return Vec::new();
            };
            for path in paths {
                if let Some(text) = read_provided(&path, provided)
                    && text.contains(&folder)
                {
                    found.push(config::ci(&text));
                }
            }
            return found;
        }
    }
    Vec::new()
}

/// The nearest example env file in a folder above `root`, up to the
/// repository's root (none when `root` is not inside a repository).
fn outer_env_example(root: &Path) -> Option<PathBuf> {
    let root = fs::canonicalize(root).ok()?;
    if root.join(".git").exists() {
        return None;
    }
    let mut found = None;
    for dir in root.ancestors().skip(1) {
        let mut names: Vec<PathBuf> = fs::read_dir(dir)
            .map(|entries| {
                entries
                    .flatten()
                    .filter(|entry| {
                        entry.file_name().to_str().is_some_and(is_env_example_name)
                            && entry.path().is_file()
                    })
                    .map(|entry| entry.path())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        if found.is_none() {
            found = names.into_iter().next();
        }
        if dir.join(".git").exists() {
            return found;
        }
    }
    // Not inside a repository: the folders above say nothing.
    None
}

/// Whether a change of the file at `path` (absolute) may change what the
/// model of the project at `root` reads above its root: a `.gitignore`, an
/// example env file, a `uv.lock` or the `pyproject.toml` beside it, or a
/// CI file, in a folder above the root (up to the repository's root, which
/// the model finds itself), or a `.git` folder appearing or going away.
pub fn is_outer_input(root: &Path, path: &Path) -> bool {
    let Some(dir) = path.parent() else {
        return false;
    };
    let Some(name) = path.file_name().and_then(|name| name.to_str()) else {
        return false;
    };
    let above = |dir: &Path| root != dir && root.starts_with(dir);
    if above(dir)
        && (matches!(
            name,
            ".gitignore" | "uv.lock" | "pyproject.toml" | ".git" | "Jenkinsfile"
        ) || is_env_example_name(name)
            || is_ci_path(&display(path)))
    {
        return true;
    }
    // `.github/workflows/*` and `.circleci/config.yml` of a folder above.
    is_ci_path(&display(path))
        && dir
            .ancestors()
            .skip(1)
            .take(2)
            .any(|folder| above(folder) && path.starts_with(folder))
}

/// The `[project] name` of a `pyproject.toml`.
fn project_name(text: &str) -> Option<String> {
    let table = text.parse::<toml::Table>().ok()?;
    let project = table.get("project")?.as_table()?;
    Some(project.get("name")?.as_str()?.to_string())
}

/// A uv workspace's `uv.lock` in a folder above `root` (up to the
/// repository's root; none outside a repository) that locks the project
/// at `root`: the lock's `[manifest] members` name the project (its
/// `[project] name`), or the
/// folder's `pyproject.toml` lists the root's folder among its
/// `[tool.uv.workspace] members` (a `dir/*` glob included). Returns the
/// root's path relative to the lock's folder.
fn outer_lock(
    root: &Path,
    name: Option<&str>,
    provided: &mut dyn FnMut(&Path) -> Option<Provided>,
) -> Option<PathBuf> {
    let root = fs::canonicalize(root).ok()?;
    if root.join(".git").exists() {
        return None;
    }
    let mut found = None;
    for dir in root.ancestors().skip(1) {
        // Only a folder with a `uv.lock` is read further (its
        // `pyproject.toml` is another model's file).
        if dir.join("uv.lock").is_file()
            && let Some(lock) = read_provided(&dir.join("uv.lock"), provided)
            && let Ok(inside) = root.strip_prefix(dir)
        {
            let members = |table: &toml::Table, path: &[&str]| -> Vec<String> {
                let mut value = None::<&toml::Value>;
                for (index, key) in path.iter().enumerate() {
                    value = if index == 0 {
                        table.get(*key)
                    } else {
                        value.and_then(|value| value.get(*key))
                    };
                }
                value
                    .and_then(toml::Value::as_array)
                    .map(|items| {
                        items
                            .iter()
                            .filter_map(|item| item.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            let normalize = |name: &str| name.to_ascii_lowercase().replace(['_', '.'], "-");
            let locked_by_name = name.is_some_and(|name| {
                lock.parse::<toml::Table>().is_ok_and(|table| {
                    members(&table, &["manifest", "members"])
                        .iter()
                        .any(|member| normalize(member) == normalize(name))
                })
            });
            let folder = display(inside);
            let listed = read_provided(&dir.join("pyproject.toml"), provided)
                .and_then(|text| text.parse::<toml::Table>().ok())
                .is_some_and(|table| {
                    members(&table, &["tool", "uv", "workspace", "members"])
                        .iter()
                        .any(|member| {
                            let member = member.trim_end_matches('/');
                            member == folder
                                || member.strip_suffix("/*").is_some_and(|parent| {
                                    Path::new(&folder).parent().map(display).as_deref()
                                        == Some(parent)
                                })
                        })
                });
            if (locked_by_name || listed) && found.is_none() {
                found = Some(inside.to_path_buf());
            }
        }
        if dir.join(".git").exists() {
            return found;
        }
    }
    // Not inside a repository: the folders above say nothing.
    None
}

fn outer_gitignores(
    root: &Path,
    provided: &mut dyn FnMut(&Path) -> Option<Provided>,
) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    let Ok(root) = fs::canonicalize(root) else {
        return found;
    };
    if root.join(".git").exists() {
        return found;
    }
    for dir in root.ancestors().skip(1) {
        if let Some(text) = read_provided(&dir.join(".gitignore"), provided)
            && let Ok(inside) = root.strip_prefix(dir)
        {
            found.push((inside.to_path_buf(), text));
        }
        if dir.join(".git").exists() {
            return found;
        }
    }
    // Not inside a repository: the folders above say nothing.
    Vec::new()
}

/// The text of a file: from `provided`, else from disk.
fn read_provided(
    path: &Path,
    provided: &mut dyn FnMut(&Path) -> Option<Provided>,
) -> Option<String> {
    match provided(path) {
        Some(Provided::Prepared(prepared)) => Some(prepared.text),
        Some(Provided::Text(text)) => Some(text),
        Some(Provided::Unreadable) => None,
        None => read_regular_file(path),
    }
}

/// The last path segments that name health and readiness routes.
const HEALTH_SEGMENTS: [&str; 13] = [
    "health",
    "healthz",
    "healthcheck",
    "health-check",
    "health_check",
    "ready",
    "readyz",
    "readiness",
    "live",
    "livez",
    "liveness",
    "ping",
    "status",
];

pub fn is_health_path(path: &str) -> bool {
    let trimmed = path.trim_end_matches('/');
    let last = trimmed.rsplit('/').next().unwrap_or(trimmed);
    HEALTH_SEGMENTS.contains(&last.to_ascii_lowercase().as_str())
}

/// Whether a served route path matches a probed path: equal after trailing
/// slashes and query strings are dropped, with `{param}` and `<param>`
/// segments matching any segment.
pub fn route_matches(route: &str, probed: &str) -> bool {
    let probed = probed.split(['?', '#']).next().unwrap_or(probed);
    let route_parts: Vec<&str> = route.trim_end_matches('/').split('/').collect();
    let probed_parts: Vec<&str> = probed.trim_end_matches('/').split('/').collect();
    route_parts.len() == probed_parts.len()
        && route_parts
            .iter()
            .zip(&probed_parts)
            .all(|(route, probed)| {
                route == probed
                    || (route.starts_with('{') && route.ends_with('}'))
                    || (route.starts_with('<') && route.ends_with('>'))
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_get_their_full_paths_across_files() {
        let project = Project::from_files(
            "/p",
            [
                (
                    "app/main.py",
                    "from fastapi import FastAPI\nfrom app.routers import ops\napp = FastAPI()\napp.include_router(ops.router, prefix=\"/api\")\n",
                ),
                (
                    "app/routers/ops.py",
                    "from fastapi import APIRouter\nrouter = APIRouter(prefix=\"/ops\")\n@router.get(\"/healthz\")\ndef healthz():\n    return {}\n",
                ),
            ],
        );
        let paths: Vec<_> = project
            .served_routes()
            .into_iter()
            .map(|route| route.path)
            .collect();
        assert_eq!(paths, ["/api/ops/healthz"]);
        assert!(project.routes_fully_known());
    }

    #[test]
    fn dependencies_defined_in_other_modules_authenticate_by_what_they_depend_on() {
        let deps = "from typing import Annotated\nfrom fastapi import Depends\nfrom fastapi.security import OAuth2PasswordBearer\nscheme = OAuth2PasswordBearer(tokenUrl=\"t\")\ndef load_caller(token: str = Depends(scheme)):\n    return token\nCaller = Annotated[dict, Depends(load_caller)]\ndef get_db():\n    yield {}\nSessionDep = Annotated[dict, Depends(get_db)]\ndef common(caller: Caller, page: int = 1):\n    return page\nCommon = Annotated[dict, Depends(common)]\n";
        let routes = "from fastapi import APIRouter, Depends\nfrom app import deps\nfrom app.deps import Caller, Common, SessionDep\nrouter = APIRouter()\n@router.post(\"/alias\")\ndef alias(caller: Caller):\n    pass\n@router.post(\"/chain\")\ndef chain(common: Common):\n    pass\n@router.post(\"/qualified\", dependencies=[Depends(deps.load_caller)])\ndef qualified():\n    pass\n@router.post(\"/session\")\ndef session(db: SessionDep):\n    pass\nguarded = APIRouter(dependencies=[Depends(deps.load_caller)])\n@guarded.post(\"/router\")\ndef on_router():\n    pass\nopen_router = APIRouter()\n@open_router.post(\"/include\")\ndef on_include():\n    pass\n";
        let main = "from fastapi import Depends, FastAPI\nfrom app import deps, routes\napp = FastAPI()\napp.include_router(routes.router)\napp.include_router(routes.guarded)\napp.include_router(routes.open_router, dependencies=[Depends(deps.common)])\nother = FastAPI(dependencies=[Depends(deps.load_caller)])\n@other.post(\"/app\")\ndef on_app():\n    pass\n";
        let project = Project::from_files(
            "/p",
            [
                ("app/deps.py", deps),
                ("app/routes.py", routes),
                ("app/main.py", main),
            ],
        );
        let mut authenticated: Vec<(String, bool)> = project
            .served_routes()
            .into_iter()
            .map(|route| (route.path, route.authenticated))
            .collect();
        authenticated.sort();
        let expected = [
            ("/alias", true),
            ("/app", true),
            ("/chain", true),
            ("/include", true),
            ("/qualified", true),
            ("/router", true),
            ("/session", false),
        ];
        let expected: Vec<(String, bool)> = expected
            .iter()
            .map(|(path, authenticated)| (path.to_string(), *authenticated))
            .collect();
        assert_eq!(authenticated, expected);
    }

    /// A workspace where each of `n` modules creates its own app, includes
    /// its own router and registers routes on both.
    fn many_apps(n: usize) -> Project {
        let files: Vec<(String, String)> = (0..n)
            .flat_map(|i| {
                [
                    (
                        format!("svc/m{i}.py"),
                        format!(
                            "from fastapi import FastAPI\nfrom svc import r{i}\napp = FastAPI()\napp.include_router(r{i}.router, prefix=\"/api\")\n@app.get(\"/items{i}\")\ndef items():\n    return []\n@app.post(\"/items{i}\")\ndef create():\n    return {{}}\n"
                        ),
                    ),
                    (
                        format!("svc/r{i}.py"),
                        format!(
                            "from fastapi import APIRouter\nrouter = APIRouter(prefix=\"/r{i}\")\n@router.get(\"/healthz\")\ndef healthz():\n    return {{}}\n"
                        ),
                    ),
                ]
            })
            .collect();
        Project::from_files(
            "/p",
            files
                .iter()
                .map(|(path, text)| (path.as_str(), text.as_str())),
        )
    }

    /// Resolving the routes of N apps touches O(N) fact entries (the
    /// `facts` of `crate::work`): 4× the modules cost about 4× the work (a
    /// scan of every module per route or include, as before the routing
    /// index, costs 16× and more).
    #[test]
    fn route_resolution_work_grows_linearly_with_the_apps() {
        let work = |n: usize| {
            let project = many_apps(n);
            let ((served, known), work) =
                crate::work::measure(|| (project.served_routes(), project.routes_fully_known()));
            assert_eq!(served.len(), 3 * n);
            let last = format!("/api/r{}/healthz", n - 1);
            assert!(served.iter().any(|route| route.path == last), "{served:?}");
            assert!(known);
            work.facts
        };
        let (small, large) = (work(100), work(400));
        assert!(small >= 100 * 3, "{small}");
        assert!(
            large * 10 <= small * 4 * 11,
            "work for 400 apps {large} is more than 4.4× that for 100 ({small})"
        );
    }

    #[test]
    fn django_includes_and_flask_blueprints() {
        let project = Project::from_files(
            "/p",
            [
                (
                    "site/urls.py",
                    "from django.urls import include, path\nurlpatterns = [path(\"api/\", include(\"api.urls\"))]\n",
                ),
                (
                    "api/urls.py",
                    "from django.urls import path\nfrom . import views\nurlpatterns = [path(\"health/\", views.health)]\n",
                ),
                (
                    "web/app.py",
                    "from flask import Flask, Blueprint\napp = Flask(__name__)\nbp = Blueprint(\"ops\", __name__, url_prefix=\"/ops\")\n@bp.route(\"/ping\")\ndef ping():\n    return \"ok\"\napp.register_blueprint(bp, url_prefix=\"/internal\")\n",
                ),
            ],
        );
        let mut paths: Vec<_> = project
            .served_routes()
            .into_iter()
            .map(|route| route.path)
            .collect();
        paths.sort();
        assert_eq!(paths, ["/api/health/", "/internal/ping"]);
    }

    #[test]
    fn updates_report_the_fact_kinds_that_changed() {
        let mut project = Project::new("/p");
        let changed = project.update_file(Path::new(".env"), "A=1\n");
        assert!(changed.contains(&FactKind::DotEnv) && changed.contains(&FactKind::Paths));
        let same = project.update_file(Path::new(".env"), "A=1\n");
        assert!(same.is_empty());
        let changed = project.update_file(Path::new(".env"), "A=1\nB=2\n");
        assert_eq!(changed.into_iter().collect::<Vec<_>>(), [FactKind::DotEnv]);
        assert!(
            project
                .remove_file(Path::new(".env"))
                .contains(&FactKind::Paths)
        );
        assert!(project.update_file(Path::new("notes.md"), "x").is_empty());
    }

    #[test]
    fn a_compose_service_is_built_from_the_project_that_holds_its_context_or_dockerfile() {
        let roots = ["services/api", "backend"];
        let is_root = |folder: &Path| roots.iter().any(|root| folder == Path::new(root));
        let folder = |compose: &str, context: &str, dockerfile: &str| {
            service_folder(
                Path::new(compose),
                &(context.to_string(), dockerfile.to_string()),
                &is_root,
            )
            .map(|(folder, dockerfile)| (display(&folder), dockerfile.as_deref().map(display)))
        };
        let found = |folder: &str, dockerfile: Option<&str>| {
            Some((folder.to_string(), dockerfile.map(str::to_string)))
        };
        // The context is the project, or inside it.
        assert_eq!(
            folder("compose.yaml", "./services/api", "Dockerfile"),
            found("services/api", Some("Dockerfile"))
        );
        assert_eq!(
            folder("compose.yaml", "services/api/src", "../docker/Dockerfile"),
            found("services/api", Some("docker/Dockerfile"))
        );
        // `context: .` at the root, the Dockerfile in the project.
        assert_eq!(
            folder("compose.yml", ".", "backend/Dockerfile"),
            found("backend", Some("Dockerfile"))
        );
        // A compose file in `docker/` building `../backend`.
        assert_eq!(
            folder("docker/compose.yaml", "../backend", "Dockerfile"),
            found("backend", Some("Dockerfile"))
        );
        // The root's own code, a folder that is no project, above the
        // root, a URL.
        assert_eq!(folder("compose.yaml", ".", "Dockerfile"), None);
        assert_eq!(folder("compose.yaml", "./frontend", "Dockerfile"), None);
        assert_eq!(folder("compose.yaml", "../other", "Dockerfile"), None);
        assert_eq!(
            folder(
                "compose.yaml",
                "https://github.com/o/r.git#main",
                "Dockerfile"
            ),
            None
        );
    }

    #[test]
    fn gitignore_matching_is_real() {
        let project = Project::from_files(
            "/p",
            [
                (".gitignore", "*.env\n!keep.env\nsecrets/\n"),
                ("sub/.gitignore", ".env\n"),
            ],
        );
        assert!(project.git_ignores(Path::new("prod.env"), false));
        assert!(!project.git_ignores(Path::new("keep.env"), false));
        assert!(project.git_ignores(Path::new("secrets/x"), false));
        assert!(project.git_ignores(Path::new("sub/.env"), false));
        assert!(project.git_ignores(Path::new(".env"), false));
        let bare = Project::from_files("/p", [(".gitignore", "__pycache__/\n")]);
        assert!(!bare.git_ignores(Path::new(".env"), false));
        assert!(route_matches("/notes/{id}", "/notes/3"));
        assert!(route_matches("/health/", "/health"));
        assert!(!route_matches("/health", "/healthz"));
    }
}
