//! `shipshape check`: walk the paths, check every file shipshape knows, in
//! parallel, under each file's configuration; fix, compare with a baseline,
//! and report.

use std::{
    fs,
    io::Read,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::{Arc, Mutex, PoisonError},
};

use rayon::prelude::*;
use shipshape_core::{
    FileKind,
    check::{
        FileFacts, ProjectFinding, SourceFile, check_file_with_settings_and_facts,
        check_text_with_settings_checked,
    },
    check_project,
    config::{Config, ConfigFile, ConfigLayer, ConfigLoader, FileSettings, RuleLevel},
    fix::FileChange,
    fixall::{AppliedFix, fix_all},
    project::{self, Prepared, Project, ProjectContext, Provided},
    registry,
    rule::Category,
    text::apply_edits,
};

use crate::{
    args::CheckArgs,
    baseline,
    cache::Cache,
    checked::{CheckedFile, absolute, shown},
    output,
};

/// The largest file checked; larger ones are skipped with a message.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A file found by the walk, with the project context of its root.
struct Candidate {
    path: PathBuf,
    /// `path` made absolute (canonical when it exists), worked out once: for
    /// a walked file, from the walked folder's canonical path.
    absolute: PathBuf,
    display_path: String,
    /// The path relative to the folder walked (the file name for a file
    /// given by name): what the core sees, to decide the kind.
    relative: PathBuf,
    /// The text, when it came from stdin rather than from `path`.
    stdin: Option<String>,
    /// Index into the list of project contexts.
    project: usize,
    /// Named on the command line: failing to read it is an I/O error of
    /// the command (exit code 2), not a file skipped on the way.
    explicit: bool,
}

/// Why a file of ours was not checked.
struct Skip {
    /// The path as shown and the reason.
    message: String,
    /// Reading it failed (rather than its content being unfit).
    io: bool,
}

impl Skip {
    fn io(display_path: &str, error: impl std::fmt::Display) -> Skip {
        Skip {
            message: format!("{display_path}: {error}"),
            io: true,
        }
    }

    fn content(display_path: &str, reason: impl std::fmt::Display) -> Skip {
        Skip {
            message: format!("{display_path}: {reason}"),
            io: false,
        }
    }
}

/// Whether a path's name makes it a file shipshape may check (YAML is
/// decided by content later).
fn is_ours_by_name(relative: &Path) -> bool {
    FileKind::from_path(relative).is_some()
        || relative
            .extension()
            .is_some_and(|ext| ext == "yaml" || ext == "yml")
}

/// What to do with fixes.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum FixMode {
    Off,
    Write,
    Diff,
}

/// Where each file's configuration comes from, with the command line's
/// rule selection on top.
#[derive(Clone)]
pub struct Settings {
    pub loader: Arc<ConfigLoader>,
    pub source: ConfigSource,
}

#[derive(Clone)]
pub enum ConfigSource {
    /// The nearest configuration file to each file.
    Nearest,
    /// No configuration file (`--no-config`).
    Ignored,
    /// One file for every file (`--config FILE`).
    File(Arc<ConfigFile>),
}

impl Settings {
    /// The nearest configuration file to each file, nothing on top.
    pub fn nearest() -> Settings {
        Settings {
            loader: Arc::new(ConfigLoader::new()),
            source: ConfigSource::Nearest,
        }
    }

    /// The settings of the file at `path` (absolute).
    pub fn for_path(&self, path: &Path) -> FileSettings {
        let file = match &self.source {
            ConfigSource::Nearest => return self.loader.settings_for(path),
            ConfigSource::Ignored => None,
            ConfigSource::File(file) => file.layer.clone(),
        };
        let layers = self.loader.overrides.iter().cloned().chain(file).collect();
        Config { layers }.settings_for(path)
    }

    /// The configuration files used so far.
    fn files_used(&self) -> Vec<Arc<ConfigFile>> {
        match &self.source {
            ConfigSource::Nearest => self.loader.loaded(),
            ConfigSource::Ignored => Vec::new(),
            ConfigSource::File(file) => vec![file.clone()],
        }
    }
}

/// The rules a `--select`, `--extend-select` or `--ignore` name (rule ids
/// or categories), or the name that is neither.
fn rules_named(
    names: &[String],
    known: &[&'static shipshape_core::Rule],
) -> Result<Vec<&'static str>, String> {
    let mut ids = Vec::new();
    for name in names
        .iter()
        .map(|name| name.trim())
        .filter(|name| !name.is_empty())
    {
        let category = Category::ALL
            .iter()
            .find(|category| category.name() == name);
        let before = ids.len();
        ids.extend(known.iter().filter_map(|rule| {
            (rule.id == name || category == Some(&rule.meta.category)).then_some(rule.id)
        }));
        if ids.len() == before {
            return Err(match shipshape_core::config::closest_rule(name) {
                Some(id) => format!("unknown rule or category `{name}`; did you mean `{id}`?"),
                None => format!("unknown rule or category `{name}`; `shipshape rules` lists them"),
            });
        }
    }
    Ok(ids)
}

/// The rules `--select`, `--extend-select` and `--ignore` may name: the
/// built-in ones and the user rules of the configuration file given
/// (`--config`), else of the one nearest to the current folder.
fn selectable_rules(args: &CheckArgs) -> Vec<&'static shipshape_core::Rule> {
    let mut rules: Vec<&'static shipshape_core::Rule> = registry().rules.iter().collect();
    let user = if args.no_config {
        None
    } else if let Some(path) = &args.config {
        ConfigFile::read(&absolute(path)).and_then(|file| file.layer.map(|layer| layer.user_rules))
    } else {
        std::env::current_dir().ok().map(|dir| {
            ConfigLoader::new()
                .settings_for(&absolute(&dir).join("pyproject.toml"))
                .user_rules
        })
    };
    if let Some(user) = user {
        rules.extend(user.rules().iter().map(|rule| &rule.rule));
    }
    rules
}

/// The layer the command line's rule selection makes, above every
/// configuration file; `None` when it selects nothing.
fn selection_layer(args: &CheckArgs) -> Result<Option<ConfigLayer>, String> {
    if args.select.is_empty() && args.extend_select.is_empty() && args.ignore.is_empty() {
        return Ok(None);
    }
    let known = selectable_rules(args);
    let selected = rules_named(&args.select, &known)?;
    let extended = rules_named(&args.extend_select, &known)?;
    let ignored = rules_named(&args.ignore, &known)?;
    let mut layer = ConfigLayer::default();
    for rule in &known {
        let id = rule.id;
        let level = if ignored.contains(&id) {
            Some(RuleLevel::Off)
        } else if extended.contains(&id) {
            Some(RuleLevel::On)
        } else if !args.select.is_empty() && !selected.contains(&id) {
            Some(RuleLevel::Off)
        } else {
            None
        };
        if let Some(level) = level {
            layer.rules.insert(id.to_string(), level);
        }
    }
    Ok(Some(layer))
}

/// The settings `check` runs under: the configuration files (or the one
/// given, or none) and the rule selection.
fn settings(args: &CheckArgs) -> Result<Settings, String> {
    let mut loader = ConfigLoader::new();
    loader.overrides = selection_layer(args)?;
    let source = match &args.config {
        Some(path) => {
            let absolute_path = absolute(path);
            if !absolute_path.is_file() {
                return Err(format!("{}: no such configuration file", path.display()));
            }
            let Some(file) = ConfigFile::read(&absolute_path) else {
                return Err(format!("{}: cannot read it", path.display()));
            };
            if file.layer.is_none() && file.problems.is_empty() {
                return Err(format!(
                    "{}: no shipshape configuration in it (a `[tool.shipshape]` table in pyproject.toml, or a shipshape.toml)",
                    path.display()
                ));
            }
            ConfigSource::File(Arc::new(file))
        }
        None if args.no_config => ConfigSource::Ignored,
        None => ConfigSource::Nearest,
    };
    Ok(Settings {
        loader: Arc::new(loader),
        source,
    })
}

/// The text read from stdin for the path `-`, when one is given.
fn read_stdin(args: &CheckArgs) -> Result<Option<String>, String> {
    let dashes = args
        .paths
        .iter()
        .filter(|path| path.as_os_str() == "-")
        .count();
    if dashes == 0 {
        if args.stdin_filename.is_some() {
            return Err("--stdin-filename needs `-` among the paths".to_string());
        }
        return Ok(None);
    }
    if dashes > 1 {
        return Err("`-` (stdin) may be given once".to_string());
    }
    let mut text = String::new();
    std::io::stdin()
        .read_to_string(&mut text)
        .map_err(|error| format!("stdin: {error}"))?;
    Ok(Some(text))
}

pub fn run(args: &CheckArgs) -> ExitCode {
    if args.unsafe_fixes && !(args.fix || args.diff) {
        eprintln!("shipshape: --unsafe-fixes needs --fix or --diff");
        return ExitCode::from(2);
    }
    let (settings, stdin) =
        match settings(args).and_then(|settings| Ok((settings, read_stdin(args)?))) {
            Ok(both) => both,
            Err(message) => {
                eprintln!("shipshape: {message}");
                return ExitCode::from(2);
            }
        };
    let fix_mode = if args.diff {
        FixMode::Diff
    } else if args.fix {
        FixMode::Write
    } else {
        FixMode::Off
    };
    let input = Input {
        paths: &args.paths,
        stdin: stdin.map(|text| (args.stdin_filename.clone(), text)),
    };
    // Fixes change files: their runs are not cached.
    let cache = (!args.no_cache && fix_mode == FixMode::Off)
        .then(|| Cache::open(args.cache_dir.as_deref()))
        .flatten();
    let (mut files, io_error) = collect(
        &input,
        &settings,
        fix_mode,
        args.unsafe_fixes,
        cache.as_ref(),
    );
    if let Some(cache) = &cache {
        cache.evict();
    }
    if fix_mode == FixMode::Diff {
        return print_diff(&files, io_error);
    }
    if fix_mode == FixMode::Write {
        // Fixed text read from stdin goes back to stdout (as editors that
        // format through stdin expect); what remains goes to stderr.
        if let Some(file) = files.iter().find(|file| file.from_stdin) {
            output::print_stdout(&file.text);
            report_fixes(&files);
            return exit_code(args, &files, io_error);
        }
        report_fixes(&files);
    }

    let baseline_path = args.baseline.as_ref().or(args.baseline_write.as_ref());
    for file in &mut files {
        let stable = baseline_path
            .and_then(|baseline| baseline::stable_path(baseline, &file.path))
            .unwrap_or_else(|| output::repository_path(file));
        file.fingerprints =
            shipshape_core::fingerprint::fingerprints(&stable, &file.text, &file.findings);
    }
    if let Some(path) = &args.baseline_write {
        return match baseline::write(path, &files) {
            Ok(count) => {
                eprintln!(
                    "shipshape: recorded {count} finding{} in {}",
                    if count == 1 { "" } else { "s" },
                    path.display()
                );
                if io_error {
                    ExitCode::from(2)
                } else {
                    ExitCode::SUCCESS
                }
            }
            Err(error) => {
                eprintln!("shipshape: {}: {error}", path.display());
                ExitCode::from(2)
            }
        };
    }
    let mut hidden = 0;
    if let Some(path) = &args.baseline {
        let recorded = match baseline::read(path) {
            Ok(recorded) => recorded,
            Err(error) => {
                eprintln!("shipshape: {}: {error}", path.display());
                return ExitCode::from(2);
            }
        };
        baseline::mark(&recorded, &mut files);
        // SARIF carries every result with its baseline state; the other
        // formats show what is new.
        if !matches!(args.format, crate::args::Format::Sarif) {
            hidden = baseline::drop_unchanged(&mut files);
        }
    }

    output::print_findings(&files, args, hidden, io_error);
    if std::env::var_os("SHIPSHAPE_STATS").is_some() {
        let (read, parsed) = shipshape_core::stats::snapshot();
        let modules = shipshape_core::stats::modules_derived();
        eprintln!(
            "shipshape: stats: {read} files read, {parsed} parsed, {modules} module facts derived"
        );
    }
    exit_code(args, &files, io_error)
}

/// 2 after an I/O error of a path given, else 1 when a finding is at or
/// above the threshold (and not in the baseline), unless --exit-zero.
fn exit_code(args: &CheckArgs, files: &[CheckedFile], io_error: bool) -> ExitCode {
    if io_error {
        return ExitCode::from(2);
    }
    let failing = files.iter().any(|file| {
        let threshold = args
            .fail_on
            .map(crate::args::FailOn::threshold)
            .or(file.fail_on)
            .unwrap_or_default();
        file.findings.iter().enumerate().any(|(index, finding)| {
            threshold.fails(finding.severity)
                && file.baseline.get(index) != Some(&baseline::State::Unchanged)
        })
    });
    if failing && !args.exit_zero {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What to check: paths, and the text of `-` with its name.
pub struct Input<'a> {
    pub paths: &'a [PathBuf],
    pub stdin: Option<(Option<PathBuf>, String)>,
}

/// The path shown for the text read from stdin without --stdin-filename.
const STDIN_NAME: &str = "-";

/// Walks the paths and checks every file (under its configuration, with
/// fixes applied as `fix_mode` says), adds the project rules' findings of
/// every project root and the configuration problems; returns the files
/// sorted by path and whether a path was missing.
pub fn collect(
    input: &Input<'_>,
    settings: &Settings,
    fix_mode: FixMode,
    unsafe_fixes: bool,
    cache: Option<&Cache>,
) -> (Vec<CheckedFile>, bool) {
    let use_config = !matches!(settings.source, ConfigSource::Ignored);
    let mut candidates = Vec::new();
    let mut projects = Vec::new();
    let mut io_error = false;
    let mut models = Vec::new();
    // What was not checked, said as it is found and counted at the end.
    let mut skipped: Vec<String> = Vec::new();
    for root in input.paths {
        if root.as_os_str() == "-" {
            let Some((name, text)) = &input.stdin else {
                continue;
            };
            let (path, relative) = match name {
                Some(name) => (absolute(name), name.clone()),
                // Without a name the text is taken for Python.
                None => (PathBuf::from(STDIN_NAME), PathBuf::from("stdin.py")),
            };
            let display_path = match name {
                Some(name) => shown(name),
                None => STDIN_NAME.to_string(),
            };
            projects.push(
                ProjectContext::discover(&project_root(name.as_deref().unwrap_or(Path::new("."))))
                    .with_base(&absolute(Path::new("."))),
            );
            candidates.push(Candidate {
                absolute: path.clone(),
                path,
                display_path,
                relative,
                stdin: Some(text.clone()),
                project: projects.len() - 1,
                explicit: true,
            });
            continue;
        }
        let metadata = match fs::metadata(root) {
            Ok(metadata) => metadata,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                eprintln!("shipshape: {}: no such file or folder", root.display());
                io_error = true;
                continue;
            }
            // A symbolic link loop, a folder we may not search...
            Err(error) => {
                eprintln!("shipshape: {}: {error}", root.display());
                io_error = true;
                continue;
            }
        };
        if !metadata.is_file() && !metadata.is_dir() {
            eprintln!(
                "shipshape: {}: not a regular file or folder",
                root.display()
            );
            io_error = true;
            continue;
        }
        let discovered_root = project_root(root);
        // The core sees a walked file's path relative to the folder walked,
        // a file named on the command line as given (relative to the
        // working directory): rules that read another file resolve it so.
        let base = if metadata.is_dir() {
            absolute(root)
        } else {
            absolute(Path::new("."))
        };
        projects.push(ProjectContext::discover(&discovered_root).with_base(&base));
        let project = projects.len() - 1;
        // Project rules run for each project root: the folder given when it
        // is one, and every project folder inside it (a monorepo's services).
        // They are loaded after the files are checked, from what the check
        // read and parsed (see `load_models`).
        if root.is_dir()
            && fs::canonicalize(root).is_ok_and(|canonical| canonical == discovered_root)
        {
            models.push(root.clone());
        }
        if metadata.is_file() {
            if !is_ours_by_name(root) {
                // Named on the command line: say why nothing is reported.
                eprintln!("shipshape: {}: not a kind shipshape checks", shown(root));
                continue;
            }
            candidates.push(Candidate {
                absolute: absolute(root),
                path: root.clone(),
                display_path: shown(root),
                relative: root.clone(),
                stdin: None,
                project,
                explicit: true,
            });
            continue;
        }
        // The same walk finds the project folders inside it (none in an
        // excluded folder: the walk does not enter one).
        models.extend(walk_candidates(
            (root, &base, project),
            settings,
            &mut candidates,
            &mut skipped,
        ));
    }

    // The model root each file belongs to (the deepest one above it): its
    // model entry is prepared from the check's own text and tree.
    let model_roots: Vec<&Path> = models.iter().map(PathBuf::as_path).collect();
    let results: Vec<Result<Option<Checked>, Skip>> = candidates
        .par_iter()
        .map(|candidate| {
            let file_settings = settings.for_path(&candidate.absolute);
            let model_root = (fix_mode == FixMode::Off && candidate.stdin.is_none())
                .then(|| {
                    model_roots
                        .iter()
                        .filter(|root| candidate.path.starts_with(root))
                        .max_by_key(|root| root.components().count())
                })
                .flatten()
                .copied();
            check_candidate(
                candidate,
                &projects[candidate.project],
                &file_settings,
                fix_mode,
                unsafe_fixes,
                model_root,
                cache.filter(|_| candidate.stdin.is_none()),
            )
        })
        .collect();
    let mut files = Vec::new();
    let mut prepared = std::collections::HashMap::new();
    for (result, candidate) in results.into_iter().zip(&candidates) {
        match result {
            Ok(Some((file, entry))) => {
                if let Some(entry) = entry {
                    prepared.insert(candidate.path.clone(), entry);
                }
                files.push(file);
            }
            Ok(None) => {}
            Err(skip) if skip.io && candidate.explicit => {
                eprintln!("shipshape: {}", skip.message);
                io_error = true;
            }
            Err(skip) => {
                eprintln!("shipshape: skipped {}", skip.message);
                skipped.push(candidate.display_path.clone());
            }
        }
    }
    if !skipped.is_empty() {
        eprintln!("shipshape: {}", skipped_summary(&skipped));
    }
    if fix_mode == FixMode::Off {
        load_models(&models, prepared, cache, &mut |root, findings, text_of| {
            merge_project_findings(root, findings, text_of, &mut files, settings);
        });
    } else {
        for root in &models {
            let mut model = Project::load(root);
            if let Err(message) =
                fix_project(&mut model, &mut files, settings, fix_mode, unsafe_fixes)
            {
                eprintln!("shipshape: {message}");
                io_error = true;
            }
            let text_of = |relative: &Path| model.file(relative).map(|file| file.text.clone());
            merge_project_findings(
                model.root(),
                check_project(&model),
                &text_of,
                &mut files,
                settings,
            );
        }
    }
    if use_config {
        add_config_problems(settings, &mut files);
    }
    files.sort_by(|a, b| a.display_path.cmp(&b.display_path));
    (files, io_error)
}

/// Walks the folder `root` (canonical path `canonical_root`, of the
/// project context `project`) for the files to check, honouring
/// `.gitignore` and the configuration's excluded folders; says what it
/// skips. Returns the project roots strictly inside it, sorted: the
/// folders [`project::nested_project_roots`] finds, less those in excluded
/// folders, without a walk of their own.
///
/// The walk follows no link to a folder, so every folder under the root is
/// a real one: a walked path's canonical form is the canonical root joined
/// with its path below the root, with no call to the file system per file
/// (a link to a file is resolved as it stands).
fn walk_candidates(
    (root, canonical_root, project): (&Path, &Path, usize),
    settings: &Settings,
    candidates: &mut Vec<Candidate>,
    skipped: &mut Vec<String>,
) -> Vec<PathBuf> {
    let walk_settings = settings.clone();
    let (walked, canonical) = (root.to_path_buf(), canonical_root.to_path_buf());
    let below_root = move |path: &Path| canonical.join(path.strip_prefix(&walked).unwrap_or(path));
    // The walker's threads each add what they find; sorted afterwards, so
    // that the order never depends on which thread was first.
    let found: Mutex<Walked> = Mutex::default();
    ignore::WalkBuilder::new(root)
        .hidden(false)
        .filter_entry(move |entry| {
            entry.file_name() != ".git"
                    // Excluded folders are not walked at all.
                    && !(entry.file_type().is_some_and(|kind| kind.is_dir())
                        && entry.depth() > 0
                        && walk_settings.for_path(&below_root(entry.path())).excluded)
        })
        .build_parallel()
        .run(|| {
            let found = &found;
            Box::new(move |entry| {
                let visited = visit_walked(entry, (root, canonical_root, project));
                if matches!(visited, Visited::Nothing) {
                    return ignore::WalkState::Continue;
                }
                let mut found = found.lock().unwrap_or_else(PoisonError::into_inner);
                match visited {
                    Visited::Candidate(candidate) => found.candidates.push(candidate),
                    Visited::Nested(path) => found.nested.push(path),
                    Visited::Skipped { message, shown } => found.skipped.push((message, shown)),
                    Visited::Nothing => {}
                }
                ignore::WalkState::Continue
            })
        });
    let mut found = found.into_inner().unwrap_or_else(PoisonError::into_inner);
    found.skipped.sort();
    for (message, shown) in found.skipped {
        eprintln!("shipshape: skipped {message}");
        skipped.push(shown);
    }
    found.candidates.sort_by(|a, b| a.path.cmp(&b.path));
    candidates.extend(found.candidates);
    found.nested.sort();
    found.nested
}

/// What a walk of a folder found (see [`walk_candidates`]).
#[derive(Default)]
struct Walked {
    candidates: Vec<Candidate>,
    nested: Vec<PathBuf>,
    /// The message, and the path as shown in the summary.
    skipped: Vec<(String, String)>,
}

/// What one entry of a walk is.
enum Visited {
    /// A file of a kind shipshape checks (YAML is decided by its content
    /// later).
    Candidate(Candidate),
    /// A project root inside the folder walked.
    Nested(PathBuf),
    Skipped {
        message: String,
        shown: String,
    },
    Nothing,
}

/// One entry of the walk of `root` (see [`walk_candidates`]).
fn visit_walked(
    entry: Result<ignore::DirEntry, ignore::Error>,
    (root, canonical_root, project): (&Path, &Path, usize),
) -> Visited {
    let entry = match entry {
        Ok(entry) => entry,
        Err(error) => {
            let message = error.to_string();
            return Visited::Skipped {
                shown: message.clone(),
                message,
            };
        }
    };
    let Some(file_type) = entry.file_type() else {
        return Visited::Nothing;
    };
    if file_type.is_dir() {
        // Virtual environments and caches hold no project of their own.
        if entry.depth() > 0
            && !project::in_skipped_dir(entry.path().strip_prefix(root).unwrap_or(entry.path()))
            && project::is_project_root(entry.path())
        {
            return Visited::Nested(entry.into_path());
        }
        return Visited::Nothing;
    }
    let path = entry.into_path();
    let relative = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
    // Other files are never read.
    if !is_ours_by_name(&relative) {
        return Visited::Nothing;
    }
    let display_path = shown(&path);
    if !file_type.is_file() {
        // Symbolic links to files of ours are followed; links to
        // folders are not (so a link loop is never walked). FIFOs,
        // sockets and devices are never opened.
        let reason = match fs::metadata(&path) {
            Ok(target) if target.is_file() && file_type.is_symlink() => None,
            Ok(target) if target.is_dir() => return Visited::Nothing,
            Ok(_) => Some("not a regular file".to_string()),
            Err(error) => Some(error.to_string()),
        };
        if let Some(reason) = reason {
            return Visited::Skipped {
                message: format!("{display_path}: {reason}"),
                shown: display_path,
            };
        }
    }
    Visited::Candidate(Candidate {
        absolute: if file_type.is_file() {
            canonical_root.join(&relative)
        } else {
            absolute(&path)
        },
        display_path,
        relative,
        stdin: None,
        path,
        project,
        explicit: false,
    })
}

/// The index of the file at `path` (absolute) among `files`.
fn file_index(files: &[CheckedFile], path: &Path) -> Option<usize> {
    files.iter().position(|file| file.path == path)
}

/// Applies the project rules' fixes (those that edit or create other files
/// of the project: add `.env` to `.gitignore`, create `.dockerignore`), one
/// at a time on the model, until none is left or none applies; with --fix
/// writes every changed or created file atomically at the end. The model is
/// first brought up to the files' fixed texts, so every edit lands on the
/// text it was computed from.
fn fix_project(
    model: &mut Project,
    files: &mut Vec<CheckedFile>,
    settings: &Settings,
    fix_mode: FixMode,
    unsafe_fixes: bool,
) -> Result<(), String> {
    let root = absolute(model.root());
    for file in files.iter().filter(|file| file.original.is_some()) {
        if let Ok(relative) = file.path.strip_prefix(&root)
            && model.file(relative).is_some()
        {
            model.update_file(relative, &file.text);
        }
    }
    let mut changed: Vec<usize> = Vec::new();
    // Each round applies one fix and re-runs the project rules; a fix that
    // cannot apply (its file is gone, its edits overlap) is not tried again.
    let mut tried: Vec<(&'static str, PathBuf)> = Vec::new();
    for _ in 0..shipshape_core::fixall::MAX_ROUNDS * 4 {
        let next = check_project(model).into_iter().find(|found| {
            let absolute_path = root.join(&found.path);
            found.finding.fix.as_ref().is_some_and(|fix| {
                (fix.is_safe() || unsafe_fixes)
                    && !fix.other_files.is_empty()
                    && settings
                        .for_path(&absolute_path)
                        .is_enabled(found.finding.rule)
                    && !tried.contains(&(found.finding.rule.id, found.path.clone()))
            })
        });
        let Some(found) = next else {
            break;
        };
        tried.push((found.finding.rule.id, found.path.clone()));
        let Some(fix) = found.finding.fix else {
            break;
        };
        // Every file the fix changes, with its new text, computed before
        // anything is changed: a fix applies whole or not at all.
        let mut new_texts: Vec<(PathBuf, String, bool)> = Vec::new();
        let mut own = vec![FileChange::Edit {
            path: found.path.clone(),
            edits: fix.edits.clone(),
        }];
        own.extend(fix.other_files.iter().cloned());
        let mut applies = true;
        for change in &own {
            match change {
                FileChange::Edit { edits, .. } if edits.is_empty() => {}
                FileChange::Edit { path, edits } => {
                    // The latest text: as fixed so far, else as read.
                    let current = file_index(files, &absolute(&root.join(path)))
                        .map(|index| files[index].text.clone())
                        .or_else(|| model.file(path).map(|file| file.text.clone()))
                        .or_else(|| project::read_regular_file(&root.join(path)));
                    match current.map(|text| apply_edits(&text, edits)) {
                        Some(Ok(text)) => new_texts.push((path.clone(), text, false)),
                        _ => applies = false,
                    }
                }
                FileChange::Create { path, text } => {
                    if root.join(path).exists()
                        || model.file(path).is_some()
                        || file_index(files, &absolute(&root.join(path))).is_some()
                    {
                        applies = false;
                    } else {
                        new_texts.push((path.clone(), text.clone(), true));
                    }
                }
            }
        }
        if !applies {
            continue;
        }
        // The fix is listed on the first file it changes.
        let mut listed = false;
        for (relative, text, created) in new_texts {
            model.update_file(&relative, &text);
            let absolute_path = root.join(&relative);
            let index = match file_index(files, &absolute(&absolute_path)) {
                Some(index) => index,
                None => {
                    let before = if created {
                        String::new()
                    } else {
                        project::read_regular_file(&absolute_path).unwrap_or_default()
                    };
                    let mut file = CheckedFile::new(
                        shown(&absolute_path),
                        absolute_path.clone(),
                        before,
                        settings.for_path(&absolute_path).fail_on,
                    );
                    file.created = created;
                    files.push(file);
                    files.len() - 1
                }
            };
            let file = &mut files[index];
            if file.original.is_none() {
                file.original = Some(std::mem::take(&mut file.text));
            }
            file.text = text;
            if !listed {
                file.fixed.push(AppliedFix {
                    rule: found.finding.rule.id,
                    title: fix.title.clone(),
                });
                listed = true;
            }
            if !changed.contains(&index) {
                changed.push(index);
            }
        }
    }
    // The files a project fix changed are checked again on their new text.
    let context = ProjectContext::discover(&root).with_base(&root);
    for &index in &changed {
        let file = &mut files[index];
        let relative = file
            .path
            .strip_prefix(&root)
            .unwrap_or(&file.path)
            .to_path_buf();
        let Some(kind) =
            FileKind::from_path(&relative).or_else(|| FileKind::detect(&relative, &file.text))
        else {
            file.findings.clear();
            continue;
        };
        let file_settings = settings.for_path(&file.path);
        file.findings =
            check_text_with_settings_checked(&relative, kind, &file.text, &context, &file_settings)
                .findings;
    }
    if fix_mode != FixMode::Write {
        return Ok(());
    }
    for index in changed {
        let file = &files[index];
        let result = if file.created {
            if let Some(dir) = file.path.parent() {
                fs::create_dir_all(dir).map_err(|error| error.to_string())?;
            }
            crate::atomic::write(&file.path, &file.text, crate::atomic::Target::Create)
        } else {
            fs::metadata(&file.path).and_then(|metadata| {
                crate::atomic::write(
                    &file.path,
                    &file.text,
                    crate::atomic::Target::Replace(&metadata),
                )
            })
        };
        result.map_err(|error| format!("{}: cannot write fixes: {error}", file.display_path))?;
    }
    Ok(())
}

/// Whether the folder `relative` (under `root`) or a folder between them is
/// excluded: the walk does not enter it, so nothing in it is reported,
/// not even the project rules' findings (and even when a configuration
/// file inside it would not exclude its files).
fn in_excluded_folder(settings: &Settings, root: &Path, relative: &Path) -> bool {
    let mut folder = root.to_path_buf();
    relative.components().any(|component| {
        folder.push(component);
        settings.for_path(&absolute(&folder)).excluded
    })
}

/// A checked file, and its project model entry made from the same text and
/// tree (when it lies in a project root and fixes left it alone).
type Checked = (CheckedFile, Option<ModelEntry>);

/// What a project model takes from the check of one of its files.
#[derive(Clone)]
enum ModelEntry {
    /// Facts from the check's own tree.
    Prepared(Prepared),
    /// The text only (the findings came from the cache: nothing parsed).
    Text(String),
}

impl ModelEntry {
    fn text(&self) -> &str {
        match self {
            ModelEntry::Prepared(prepared) => prepared.text(),
            ModelEntry::Text(text) => text,
        }
    }
}

/// What `load_models` hands on per project root: its root, its findings,
/// and the text of its files (by relative path).
type ModelFindings<'a> =
    dyn FnMut(&Path, Vec<ProjectFinding>, &dyn Fn(&Path) -> Option<String>) + 'a;

/// Loads the project model of each root, taking the files the check
/// prepared (read and parsed once, by the check) and reading the others
/// (ignored `.env` files, lock files, `.gitignore`s above the root) once
/// however many models need them. With a cache, a project whose files are
/// all unchanged is not loaded at all: its findings are the cached ones.
fn load_models(
    models: &[PathBuf],
    mut prepared: std::collections::HashMap<PathBuf, ModelEntry>,
    cache: Option<&Cache>,
    found: &mut ModelFindings<'_>,
) {
    let mut texts: std::collections::HashMap<PathBuf, Option<String>> =
        std::collections::HashMap::new();
    let mut read_once = move |path: &Path| {
        texts
            .entry(path.to_path_buf())
            .or_insert_with(|| project::read_regular_file(path))
            .clone()
    };
    for root in models {
        let key = cache.map(|cache| {
            let (inputs, outer) =
                Project::model_inputs(root, &mut |path| match prepared.get(path) {
                    Some(entry) => Some(entry.text().to_string()),
                    None => read_once(path),
                });
            (cache.project_key(root, &inputs, &outer), inputs)
        });
        if let (Some(cache), Some((key, inputs))) = (cache, &key)
            && let Some(findings) = cache.project_findings(*key)
        {
            let text_of = |relative: &Path| {
                inputs
                    .iter()
                    .find(|(path, _)| path == relative)
                    .map(|(_, text)| text.clone())
            };
            found(root, findings, &text_of);
            continue;
        }
        // A file of another model under this root is one a compose file
        // of this root builds from (a linked model): that model takes it
        // later, so this one gets a copy.
        let nested: Vec<&PathBuf> = models
            .iter()
            .filter(|other| *other != root && other.starts_with(root))
            .collect();
        let model = Project::load_with(root, &mut |path| {
            let entry = if nested.iter().any(|other| path.starts_with(other)) {
                prepared.get(path).cloned()
            } else {
                prepared.remove(path)
            };
            match entry {
                Some(ModelEntry::Prepared(entry)) => return Some(Provided::Prepared(entry)),
                Some(ModelEntry::Text(text)) => return Some(Provided::Text(text)),
                None => {}
            }
            Some(match read_once(path) {
                Some(text) => Provided::Text(text),
                None => Provided::Unreadable,
            })
        });
        let findings = check_project(&model);
        if let (Some(cache), Some((key, _))) = (cache, key) {
            cache.put_project_findings(key, &findings);
        }
        let text_of = |relative: &Path| model.file(relative).map(|file| file.text.clone());
        found(root, findings, &text_of);
    }
}

/// Adds the project rules' findings to the files they are in (a file the
/// walk did not check, such as an ignored `.env`, is added), under each
/// file's configuration. The model holds the files' fixed texts (see
/// [`fix_project`]) when fixes were applied, so every finding points into
/// the text shown.
fn merge_project_findings(
    root: &Path,
    findings: Vec<ProjectFinding>,
    text_of: &dyn Fn(&Path) -> Option<String>,
    files: &mut Vec<CheckedFile>,
    settings: &Settings,
) {
    let root = root.to_path_buf();
    for found in findings {
        let absolute_path = absolute(&root.join(&found.path));
        let file_settings = settings.for_path(&absolute_path);
        if file_settings.excluded
            || !file_settings.is_enabled(found.finding.rule)
            || in_excluded_folder(
                settings,
                &root,
                found.path.parent().unwrap_or(Path::new("")),
            )
        {
            continue;
        }
        let index = match file_index(files, &absolute_path) {
            Some(index) => index,
            None => {
                let Some(text) = text_of(&found.path) else {
                    continue;
                };
                files.push(CheckedFile::new(
                    shown(&root.join(&found.path)),
                    absolute_path,
                    text,
                    file_settings.fail_on,
                ));
                files.len() - 1
            }
        };
        let file = &mut files[index];
        let mut finding = found.finding;
        if finding.range.end > file.text.len() || !file.text.is_char_boundary(finding.range.start) {
            // The model and the file disagree (a fix the model did not
            // see): the finding would point at the wrong text.
            continue;
        }
        // Other files of a fix are named relative to the project root;
        // show them as the rest of the output does.
        if let Some(fix) = &mut finding.fix {
            for change in &mut fix.other_files {
                let (FileChange::Edit { path, .. } | FileChange::Create { path, .. }) = change;
                *path = PathBuf::from(shown(&root.join(&*path)));
            }
        }
        let mut one = vec![finding];
        file_settings.apply_severities(&mut one);
        file.findings.extend(one);
        file.findings
            .sort_by_key(|finding| (finding.range.start, finding.range.end, finding.rule.id));
    }
}

/// One line naming what was skipped (the first few, then a count).
fn skipped_summary(skipped: &[String]) -> String {
    const NAMED: usize = 10;
    let mut sorted = skipped.to_vec();
    sorted.sort();
    let mut names = sorted[..sorted.len().min(NAMED)].join(", ");
    if skipped.len() > NAMED {
        names.push_str(&format!(" and {} more", skipped.len() - NAMED));
    }
    format!(
        "skipped {} file{}: {names}",
        skipped.len(),
        if skipped.len() == 1 { "" } else { "s" }
    )
}

/// Reports the problems of every configuration file used, as
/// `invalid-config` findings on the file (merged into its entry when it was
/// checked itself).
fn add_config_problems(settings: &Settings, files: &mut Vec<CheckedFile>) {
    for config in settings.files_used() {
        let file_settings = settings.for_path(&config.path);
        let mut findings = config.findings();
        findings.retain(|finding| file_settings.is_enabled(finding.rule));
        file_settings.apply_severities(&mut findings);
        add_user_rule_errors(&config, &file_settings, files);
        if findings.is_empty() {
            continue;
        }
        if let Some(file) = files.iter_mut().find(|file| file.path == config.path) {
            file.findings.extend(findings);
            file.findings
                .sort_by_key(|finding| (finding.range.start, finding.range.end, finding.rule.id));
            continue;
        }
        let mut file = CheckedFile::new(
            shown(&config.path),
            config.path.clone(),
            config.text.clone(),
            file_settings.fail_on,
        );
        file.findings = findings;
        files.push(file);
    }
}

/// Reports the broken user rules of a configuration file: each on stderr
/// as `path:line:col: message`, and as an `invalid-config` finding in the
/// rule file (so that the exit status and every output format see it).
fn add_user_rule_errors(
    config: &ConfigFile,
    settings: &FileSettings,
    files: &mut Vec<CheckedFile>,
) {
    let Some(layer) = &config.layer else { return };
    for error in layer.user_rules.errors() {
        let already = files.iter().any(|file| {
            file.path == error.path
                && file
                    .findings
                    .iter()
                    .any(|found| found.range == error.range && found.message == error.message)
        });
        if already {
            continue;
        }
        eprintln!(
            "{}:{}:{}: {}",
            shown(&error.path),
            error.line,
            error.column,
            error.message
        );
        let Some(mut finding) = error.finding() else {
            continue;
        };
        if !settings.is_enabled(finding.rule) {
            continue;
        }
        if let Some(severity) = settings.severity(finding.rule) {
            finding.severity = severity;
        }
        match files.iter_mut().find(|file| file.path == error.path) {
            Some(file) => {
                file.findings.push(finding);
                file.findings.sort_by_key(|finding| {
                    (finding.range.start, finding.range.end, finding.rule.id)
                });
            }
            None => {
                let mut file = CheckedFile::new(
                    shown(&error.path),
                    error.path.clone(),
                    error.text.to_string(),
                    settings.fail_on,
                );
                file.findings.push(finding);
                files.push(file);
            }
        }
    }
}

/// The folder whose dependency files describe the project of `root`: the
/// nearest folder at or above it with a pyproject.toml, requirements.txt or
/// setup.py, else `root` itself.
fn project_root(root: &Path) -> PathBuf {
    let start = if root.is_file() {
        root.parent().unwrap_or(Path::new("."))
    } else {
        root
    };
    let start = fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    for dir in start.ancestors() {
        if ["pyproject.toml", "requirements.txt", "setup.py"]
            .iter()
            .any(|name| dir.join(name).is_file())
        {
            return dir.to_path_buf();
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    start
}

/// Reads and checks one file. `Ok(None)` for files that are not ours or
/// that the configuration excludes; `Err` says why a file of ours was
/// skipped.
fn check_candidate(
    candidate: &Candidate,
    project: &ProjectContext,
    settings: &FileSettings,
    fix_mode: FixMode,
    unsafe_fixes: bool,
    model_root: Option<&Path>,
    cache: Option<&Cache>,
) -> Result<Option<Checked>, Skip> {
    if settings.excluded {
        return Ok(None);
    }
    let path = &candidate.path;
    let relative = candidate.relative.as_path();
    // Most files are decided by name; YAML needs its content.
    let by_name = FileKind::from_path(relative);
    let shown = candidate.display_path.as_str();
    if !is_ours_by_name(relative) {
        if candidate.stdin.is_some() {
            eprintln!("shipshape: {shown}: not a kind shipshape checks");
        }
        return Ok(None);
    }
    let (text, metadata) = match &candidate.stdin {
        Some(text) => (text.clone(), None),
        None => {
            let metadata = fs::metadata(path).map_err(|error| Skip::io(shown, error))?;
            if !metadata.is_file() {
                return Err(Skip::io(shown, "not a regular file"));
            }
            if metadata.len() > MAX_FILE_BYTES {
                return Err(Skip::content(
                    shown,
                    format!("larger than {} MiB", MAX_FILE_BYTES / 1024 / 1024),
                ));
            }
            shipshape_core::stats::count_read();
            let bytes = fs::read(path).map_err(|error| Skip::io(shown, error))?;
            if bytes.contains(&0) {
                return Err(Skip::content(shown, "binary content"));
            }
            let text =
                String::from_utf8(bytes).map_err(|_| Skip::content(shown, "not UTF-8 text"))?;
            (text, Some(metadata))
        }
    };
    let Some(kind) = by_name.or_else(|| FileKind::detect(relative, &text)) else {
        if candidate.explicit {
            eprintln!("shipshape: {shown}: not a kind shipshape checks");
        }
        return Ok(None);
    };
    let mut checked = CheckedFile::new(
        candidate.display_path.clone(),
        candidate.absolute.clone(),
        String::new(),
        settings.fail_on,
    );
    checked.from_stdin = candidate.stdin.is_some();
    if fix_mode == FixMode::Off {
        let key = cache.map(|cache| cache.file_key(shown, kind, project, settings, &text));
        if let (Some(cache), Some(key)) = (cache, key)
            && let Some(findings) = cache.findings(key, &settings.user_rules)
        {
            checked.findings = findings;
            let entry = model_root.map(|_| ModelEntry::Text(text.clone()));
            checked.text = text;
            return Ok(Some((checked, entry)));
        }
        // One parse serves the file's rules and its project model entry, and
        // the module facts the hooks derive serve the model too.
        let tree = shipshape_core::parse::parse(kind, &text, None);
        let (outcome, entry) = {
            let file = SourceFile {
                path: relative,
                kind,
                text: &text,
                tree: tree.as_ref(),
            };
            // A file of a project model keeps the nodes the project facts
            // are read from.
            let facts = if model_root.is_some() {
                FileFacts::walking()
            } else {
                FileFacts::default()
            };
            let outcome = check_file_with_settings_and_facts(&file, project, settings, &facts);
            // The module facts and the nodes the check's walk found serve
            // the model too.
            let walked = facts.walked();
            let entry = model_root
                .and_then(|root| path.strip_prefix(root).ok())
                .and_then(|inside| {
                    project::prepare(
                        inside,
                        &text,
                        tree.as_ref().map(|tree| (kind, tree)),
                        facts
                            .python_if_derived()
                            .map(|module| (module, walked.as_deref())),
                    )
                })
                .map(ModelEntry::Prepared);
            (outcome, entry)
        };
        if let Some(incomplete) = &outcome.incomplete {
            eprintln!("shipshape: {}: {incomplete}", candidate.display_path);
        }
        if let (Some(cache), Some(key), None) = (cache, key, &outcome.incomplete) {
            cache.put_findings(key, &outcome.findings);
        }
        checked.findings = outcome.findings;
        checked.text = text;
        return Ok(Some((checked, entry)));
    }
    let fixed = fix_all(relative, kind, &text, project, settings, unsafe_fixes);
    checked.findings = fixed.remaining;
    checked.fixed = fixed.applied;
    if fixed.text != text {
        if fix_mode == FixMode::Write
            && let Some(metadata) = &metadata
        {
            // Through a symbolic link to the file it names, not over the link.
            let target = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            crate::atomic::write(
                &target,
                &fixed.text,
                crate::atomic::Target::Replace(metadata),
            )
            .map_err(|error| Skip::io(shown, format!("cannot write fixes: {error}")))?;
        }
        checked.original = Some(text);
    }
    checked.text = fixed.text;
    Ok(Some((checked, None)))
}

/// Tells on stderr what --fix changed.
fn report_fixes(files: &[CheckedFile]) {
    let mut total = 0;
    let mut changed = 0;
    let mut out = String::new();
    for file in files.iter().filter(|file| !file.fixed.is_empty()) {
        changed += 1;
        total += file.fixed.len();
        let mut rules: Vec<(&str, usize)> = Vec::new();
        for fix in &file.fixed {
            match rules.iter_mut().find(|(rule, _)| *rule == fix.rule) {
                Some(entry) => entry.1 += 1,
                None => rules.push((fix.rule, 1)),
            }
        }
        let list: Vec<String> = rules
            .iter()
            .map(|(rule, count)| {
                if *count == 1 {
                    rule.to_string()
                } else {
                    format!("{rule} ×{count}")
                }
            })
            .collect();
        out.push_str(&format!(
            "{} {}: {}\n",
            if file.created { "created" } else { "fixed" },
            file.display_path,
            list.join(", ")
        ));
    }
    out.push_str(&format!(
        "Fixed {total} finding{} in {changed} file{}.\n",
        if total == 1 { "" } else { "s" },
        if changed == 1 { "" } else { "s" }
    ));
    eprint!("{out}");
}

/// --diff: a unified diff of what --fix would change.
fn print_diff(files: &[CheckedFile], io_error: bool) -> ExitCode {
    let mut out = String::new();
    // A project fix counts on the finding's file, which it may not change.
    let count: usize = files.iter().map(|file| file.fixed.len()).sum();
    for file in files {
        let Some(original) = &file.original else {
            continue;
        };
        let diff = similar::TextDiff::from_lines(original.as_str(), file.text.as_str());
        let before = if file.created {
            "/dev/null".to_string()
        } else {
            format!("a/{}", file.display_path)
        };
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(&before, &format!("b/{}", file.display_path))
                .to_string(),
        );
    }
    output::print_stdout(&out);
    eprintln!(
        "shipshape: {count} fix{} would be applied{}",
        if count == 1 { "" } else { "es" },
        if io_error {
            "; a path given could not be checked (see above)"
        } else {
            ""
        }
    );
    if io_error {
        ExitCode::from(2)
    } else if out.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checked::display;

    /// A walked file's absolute path is worked out from the walked folder's
    /// canonical path, without asking the file system per file: it must be
    /// what `canonicalize` gives, also when the folder is named through a
    /// link or with `..`, and for a link to a file.
    #[test]
    fn walked_files_get_their_canonical_path_without_a_call_per_file() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        fs::create_dir_all(real.join("app/sub")).unwrap();
        fs::create_dir_all(real.join("elsewhere")).unwrap();
        fs::write(real.join("app/main.py"), "x = 1\n").unwrap();
        fs::write(real.join("app/sub/deep.py"), "y = 2\n").unwrap();
        fs::write(real.join("elsewhere/target.py"), "z = 3\n").unwrap();
        symlink("../elsewhere/target.py", real.join("app/linked.py")).unwrap();
        symlink(&real, dir.path().join("link")).unwrap();
        let roots = [
            real.clone(),
            dir.path().join("link"),
            dir.path().join("link/../real/app/.."),
        ];
        for root in roots {
            let mut candidates = Vec::new();
            let mut skipped = Vec::new();
            let _ = walk_candidates(
                (&root, &absolute(&root), 0),
                &Settings::nearest(),
                &mut candidates,
                &mut skipped,
            );
            let mut names: Vec<String> = candidates
                .iter()
                .map(|candidate| display(&candidate.relative))
                .collect();
            names.sort();
            assert_eq!(
                names,
                [
                    "app/linked.py",
                    "app/main.py",
                    "app/sub/deep.py",
                    "elsewhere/target.py"
                ],
                "{root:?}"
            );
            for candidate in &candidates {
                assert_eq!(
                    candidate.absolute,
                    fs::canonicalize(&candidate.path).unwrap(),
                    "{root:?}"
                );
            }
            assert!(skipped.is_empty(), "{skipped:?}");
        }
    }

    /// The walk for the files to check finds the project roots inside the
    /// folder (a monorepo's services) too, as `nested_project_roots` does:
    /// not the folder itself, none in a virtual environment or cache.
    #[test]
    fn the_walk_finds_the_project_roots_inside_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("pyproject.toml", "[project]\nname = \"mono\"\n"),
            ("services/api/pyproject.toml", "[project]\nname = \"api\"\n"),
            ("services/api/app.py", "x = 1\n"),
            ("services/worker/requirements.txt", "celery\n"),
            ("tools/setup.py", "from setuptools import setup\n"),
            ("libs/plain/module.py", "y = 2\n"),
            (
                ".venv/lib/site/pkg/setup.py",
                "from setuptools import setup\n",
            ),
            ("node_modules/x/requirements.txt", "flask\n"),
            ("services/api/__pycache__/p/setup.py", "z = 3\n"),
        ] {
            fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            fs::write(root.join(path), text).unwrap();
        }
        let mut candidates = Vec::new();
        let found = walk_candidates(
            (root, &absolute(root), 0),
            &Settings::nearest(),
            &mut candidates,
            &mut Vec::new(),
        );
        let expected: Vec<PathBuf> = ["services/api", "services/worker", "tools"]
            .iter()
            .map(|folder| root.join(folder))
            .collect();
        assert_eq!(found, expected);
        assert_eq!(found, project::nested_project_roots(root));
    }
}
