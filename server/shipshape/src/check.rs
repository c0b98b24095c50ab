//! `shipshape check`: walk the paths, check every file shipshape knows, in
//! parallel, under each file's configuration; fix, compare with a baseline,
//! and report.

use std::{
    fs,
    io::Write,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
};

use rayon::prelude::*;
use shipshape_core::{
    FileKind, Finding,
    check::{ProjectFinding, SourceFile, check_file_with_settings_checked},
    check_project,
    config::{ConfigLoader, FailOn, FileSettings},
    fix::FileChange,
    fixall::{AppliedFix, fix_all},
    project::{self, Prepared, Project, ProjectContext, Provided},
};

use crate::{CheckArgs, baseline, cache::Cache, output};

/// The largest file checked; larger ones are skipped with a message.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A checked file: its path as shown (relative to the root given), its text
/// and its findings.
pub struct CheckedFile {
    pub display_path: String,
    /// The absolute path.
    pub path: PathBuf,
    /// The text checked (after fixes, with --fix or --diff).
    pub text: String,
    pub findings: Vec<Finding>,
    /// The configuration's `fail-on` for this file.
    pub fail_on: Option<FailOn>,
    /// Fixes applied (or, with --diff, that would be).
    pub fixed: Vec<AppliedFix>,
    /// The text before fixes, when fixes changed it.
    pub original: Option<String>,
    /// Per finding, with a baseline: whether it is in it.
    pub baseline: Vec<baseline::State>,
    /// Per finding: its fingerprint (see `shipshape_core::fingerprint`).
    pub fingerprints: Vec<String>,
}

/// A file found by the walk, with the project context of its root.
struct Candidate {
    path: PathBuf,
    display_path: String,
    /// Index into the list of project contexts.
    project: usize,
    /// Named on the command line: failing to read it is an I/O error of
    /// the command (exit code 2), not a file skipped on the way.
    explicit: bool,
}

/// A checked file, and its project model entry made from the same text and
/// tree (when it lies in a project root and fixes left it alone).
type Checked = (CheckedFile, Option<ModelEntry>);

/// What a project model takes from the check of one of its files.
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

pub fn run(args: &CheckArgs) -> ExitCode {
    if args.unsafe_fixes && !(args.fix || args.diff) {
        eprintln!("shipshape: --unsafe-fixes needs --fix or --diff");
        return ExitCode::from(2);
    }
    let loader = Arc::new(ConfigLoader::new());
    let use_config = !args.no_config;
    let fix_mode = if args.diff {
        FixMode::Diff
    } else if args.fix {
        FixMode::Write
    } else {
        FixMode::Off
    };
    // Fixes change files: their runs are not cached.
    let cache = (!args.no_cache && fix_mode == FixMode::Off)
        .then(|| Cache::open(args.cache_dir.as_deref()))
        .flatten();
    let (mut files, io_error) = collect(
        &args.paths,
        &loader,
        use_config,
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
        report_fixes(&files);
    }

    let baseline_path = args.baseline.as_ref().or(args.baseline_write.as_ref());
    for file in &mut files {
        let stable = baseline_path
            .and_then(|baseline| baseline::stable_path(baseline, &file.path))
            .unwrap_or_else(|| file.display_path.clone());
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
        if !matches!(args.format, crate::Format::Sarif) {
            hidden = baseline::drop_unchanged(&mut files);
        }
    }

    output::print_findings(&files, args, hidden);
    if std::env::var_os("SHIPSHAPE_STATS").is_some() {
        let (read, parsed) = shipshape_core::stats::snapshot();
        eprintln!("shipshape: stats: {read} files read, {parsed} parsed");
    }
    if io_error {
        return ExitCode::from(2);
    }
    let failing = files.iter().any(|file| {
        let threshold = args
            .fail_on
            .map(crate::FailOn::threshold)
            .or(file.fail_on)
            .unwrap_or_default();
        file.findings.iter().enumerate().any(|(index, finding)| {
            threshold.fails(finding.severity)
                && file.baseline.get(index) != Some(&baseline::State::Unchanged)
        })
    });
    if failing {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Walks the paths and checks every file (under its configuration, with
/// fixes applied as `fix_mode` says), adds the project rules' findings of
/// every project root and the configuration problems; returns the files
/// sorted by path and whether a path was missing.
pub fn collect(
    paths: &[PathBuf],
    loader: &Arc<ConfigLoader>,
    use_config: bool,
    fix_mode: FixMode,
    unsafe_fixes: bool,
    cache: Option<&Cache>,
) -> (Vec<CheckedFile>, bool) {
    let mut candidates = Vec::new();
    let mut projects = Vec::new();
    let mut io_error = false;
    let mut models = Vec::new();
    // What was not checked, said as it is found and counted at the end.
    let mut skipped: Vec<String> = Vec::new();
    for root in paths {
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
        projects.push(ProjectContext::discover(&discovered_root));
        let project = projects.len() - 1;
        // Project rules run for each project root: the folder given when it
        // is one, and every project folder inside it (a monorepo's services).
        // They are loaded after the files are checked, from what the check
        // read and parsed (see `load_models`).
        if root.is_dir() {
            if fs::canonicalize(root).is_ok_and(|canonical| canonical == discovered_root) {
                models.push((String::new(), root.clone()));
            }
            for nested in project::nested_project_roots(root) {
                let prefix = nested
                    .strip_prefix(root)
                    .map(|relative| format!("{}/", display(relative)))
                    .unwrap_or_default();
                models.push((prefix, nested));
            }
        }
        if metadata.is_file() {
            candidates.push(Candidate {
                path: root.clone(),
                display_path: display(root),
                project,
                explicit: true,
            });
            continue;
        }
        let walk_loader = loader.clone();
        for entry in ignore::WalkBuilder::new(root)
            .hidden(false)
            .filter_entry(move |entry| {
                entry.file_name() != ".git"
                    // Excluded folders are not walked at all.
                    && !(use_config
                        && entry.file_type().is_some_and(|kind| kind.is_dir())
                        && entry.depth() > 0
                        && walk_loader.settings_for(&absolute(entry.path())).excluded)
            })
            .build()
        {
            let entry = match entry {
                Ok(entry) => entry,
                Err(error) => {
                    let message = error.to_string();
                    eprintln!("shipshape: skipped {message}");
                    skipped.push(message);
                    continue;
                }
            };
            let Some(file_type) = entry.file_type() else {
                continue;
            };
            if file_type.is_dir() {
                continue;
            }
            let path = entry.into_path();
            let display_path = display(path.strip_prefix(root).unwrap_or(&path));
            if !file_type.is_file() {
                // Symbolic links to files of ours are followed; links to
                // folders are not (so a link loop is never walked). FIFOs,
                // sockets and devices are never opened.
                if !is_ours_by_name(Path::new(&display_path)) {
                    continue;
                }
                let reason = match fs::metadata(&path) {
                    Ok(target) if target.is_file() && file_type.is_symlink() => None,
                    Ok(target) if target.is_dir() => continue,
                    Ok(_) => Some("not a regular file".to_string()),
                    Err(error) => Some(error.to_string()),
                };
                if let Some(reason) = reason {
                    eprintln!("shipshape: skipped {display_path}: {reason}");
                    skipped.push(display_path);
                    continue;
                }
            }
            candidates.push(Candidate {
                display_path,
                path,
                project,
                explicit: false,
            });
        }
    }

    // The model root each file belongs to (the deepest one above it): its
    // model entry is prepared from the check's own text and tree.
    let model_roots: Vec<&Path> = models.iter().map(|(_, root)| root.as_path()).collect();
    let results: Vec<Result<Option<Checked>, Skip>> = candidates
        .par_iter()
        .map(|candidate| {
            let model_root = (fix_mode == FixMode::Off)
                .then(|| {
                    model_roots
                        .iter()
                        .filter(|root| candidate.path.starts_with(root))
                        .max_by_key(|root| root.components().count())
                })
                .flatten()
                .copied();
            let settings = if use_config {
                loader.settings_for(&absolute(&candidate.path))
            } else {
                FileSettings::default()
            };
            check_candidate(
                candidate,
                &projects[candidate.project],
                &settings,
                fix_mode,
                unsafe_fixes,
                model_root,
                cache,
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
    load_models(
        &models,
        prepared,
        cache,
        &mut |prefix, root, findings, text_of| {
            merge_project_findings(
                prefix,
                root,
                findings,
                text_of,
                &mut files,
                use_config.then_some(loader),
            );
        },
    );
    if use_config {
        add_config_problems(loader, &mut files);
    }
    files.sort_by(|a, b| a.display_path.cmp(&b.display_path));
    (files, io_error)
}

/// Loads the project model of each root, taking the files the check
/// prepared (read and parsed once, by the check) and reading the others
/// (ignored `.env` files, lock files, `.gitignore`s above the root) once
/// however many models need them.
/// What `load_models` hands on per project root: its prefix as shown, its
/// root, its findings, and the text of its files (by relative path).
type ModelFindings<'a> =
    dyn FnMut(&str, &Path, Vec<ProjectFinding>, &dyn Fn(&Path) -> Option<String>) + 'a;

fn load_models(
    models: &[(String, PathBuf)],
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
    for (prefix, root) in models {
        // With a cache: the project's findings are keyed by every file its
        // model reads; an unchanged project is not loaded (nor parsed).
        let key = cache.map(|cache| {
            let (inputs, outer) =
                Project::model_inputs(root, &mut |path| match prepared.get(path) {
                    Some(entry) => Some(entry.text().to_string()),
                    None => read_once(path),
                });
            let key = cache.project_key(root, &inputs, &outer);
            (key, inputs)
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
            found(prefix, root, findings, &text_of);
            continue;
        }
        let model = Project::load_with(root, &mut |path| {
            match prepared.remove(path) {
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
        found(prefix, root, findings, &text_of);
    }
}

/// Adds the project rules' findings to the files they are in (a file the
/// walk did not check, such as an ignored `.env`, is added), under each
/// file's configuration. A file whose text fixes changed keeps only its own
/// findings: project findings point into the text before the fixes.
fn merge_project_findings(
    prefix: &str,
    root: &Path,
    findings: Vec<ProjectFinding>,
    text_of: &dyn Fn(&Path) -> Option<String>,
    files: &mut Vec<CheckedFile>,
    loader: Option<&Arc<ConfigLoader>>,
) {
    for found in findings {
        let display_path = format!("{prefix}{}", display(&found.path));
        let absolute_path = absolute(&root.join(&found.path));
        let settings = loader.map_or_else(FileSettings::default, |loader| {
            loader.settings_for(&absolute_path)
        });
        if !settings.is_enabled(found.finding.rule) {
            continue;
        }
        let index = match files
            .iter()
            .position(|file| file.display_path == display_path)
        {
            Some(index) => index,
            None => {
                let Some(text) = text_of(&found.path) else {
                    continue;
                };
                files.push(CheckedFile {
                    display_path,
                    path: absolute_path,
                    text,
                    findings: Vec::new(),
                    fail_on: settings.fail_on,
                    fixed: Vec::new(),
                    original: None,
                    baseline: Vec::new(),
                    fingerprints: Vec::new(),
                });
                files.len() - 1
            }
        };
        let file = &mut files[index];
        if file.original.is_some() {
            continue;
        }
        let mut finding = found.finding;
        // Other files of a fix are named relative to the project root;
        // show them as the rest of the output does.
        if let Some(fix) = &mut finding.fix {
            for change in &mut fix.other_files {
                let (FileChange::Edit { path, .. } | FileChange::Create { path, .. }) = change;
                *path = PathBuf::from(format!("{prefix}{}", display(path)));
            }
        }
        let mut one = vec![finding];
        settings.apply_severities(&mut one);
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

/// The absolute form of a path (canonical when it exists).
pub fn absolute(path: &Path) -> PathBuf {
    fs::canonicalize(path).unwrap_or_else(|_| {
        std::env::current_dir()
            .map(|dir| dir.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    })
}

/// Reports the problems of every configuration file used, as
/// `invalid-config` findings on the file (merged into its entry when it was
/// checked itself).
fn add_config_problems(loader: &ConfigLoader, files: &mut Vec<CheckedFile>) {
    for config in loader.loaded() {
        let settings = loader.settings_for(&config.path);
        let mut findings = config.findings();
        findings.retain(|finding| settings.is_enabled(finding.rule));
        settings.apply_severities(&mut findings);
        if findings.is_empty() {
            continue;
        }
        if let Some(file) = files.iter_mut().find(|file| file.path == config.path) {
            file.findings.extend(findings);
            file.findings
                .sort_by_key(|finding| (finding.range.start, finding.range.end, finding.rule.id));
            continue;
        }
        let cwd = std::env::current_dir().ok().map(|dir| absolute(&dir));
        let shown = cwd
            .as_ref()
            .and_then(|cwd| config.path.strip_prefix(cwd).ok())
            .unwrap_or(&config.path);
        files.push(CheckedFile {
            display_path: display(shown),
            path: config.path.clone(),
            text: config.text.clone(),
            findings,
            fail_on: settings.fail_on,
            fixed: Vec::new(),
            original: None,
            baseline: Vec::new(),
            fingerprints: Vec::new(),
        });
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

fn display(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
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
    let relative = Path::new(&candidate.display_path);
    // Most files are decided by name; YAML needs its content.
    let by_name = FileKind::from_path(relative);
    if !is_ours_by_name(relative) {
        return Ok(None);
    }
    let shown = candidate.display_path.as_str();
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
    let text = String::from_utf8(bytes).map_err(|_| Skip::content(shown, "not UTF-8 text"))?;
    let Some(kind) = by_name.or_else(|| FileKind::detect(relative, &text)) else {
        return Ok(None);
    };
    let mut checked = CheckedFile {
        display_path: candidate.display_path.clone(),
        path: absolute(path),
        text: String::new(),
        findings: Vec::new(),
        fail_on: settings.fail_on,
        fixed: Vec::new(),
        original: None,
        baseline: Vec::new(),
        fingerprints: Vec::new(),
    };
    let key = cache.map(|cache| cache.file_key(shown, kind, project, settings, &text));
    if let (Some(cache), Some(key)) = (cache, key)
        && let Some(findings) = cache.findings(key)
    {
        checked.findings = findings;
        let entry = model_root.map(|_| ModelEntry::Text(text.clone()));
        checked.text = text;
        return Ok(Some((checked, entry)));
    }
    if fix_mode == FixMode::Off {
        // One parse serves the file's rules and its project model entry.
        let tree = shipshape_core::parse::parse(kind, &text, None);
        let file = SourceFile {
            path: relative,
            kind,
            text: &text,
            tree: tree.as_ref(),
        };
        let outcome = check_file_with_settings_checked(&file, project, settings);
        if let Some(incomplete) = &outcome.incomplete {
            eprintln!("shipshape: {}: {incomplete}", candidate.display_path);
        }
        if let (Some(cache), Some(key), None) = (cache, key, &outcome.incomplete) {
            cache.put_findings(key, &outcome.findings);
        }
        let entry = model_root
            .and_then(|root| path.strip_prefix(root).ok())
            .and_then(|inside| {
                project::prepare(inside, &text, tree.as_ref().map(|tree| (kind, tree)))
            })
            .map(ModelEntry::Prepared);
        checked.findings = outcome.findings;
        checked.text = text;
        return Ok(Some((checked, entry)));
    }
    let fixed = fix_all(relative, kind, &text, project, settings, unsafe_fixes);
    checked.findings = fixed.remaining;
    checked.fixed = fixed.applied;
    if fixed.text != text {
        if fix_mode == FixMode::Write {
            // Through a symbolic link to the file it names, not over the link.
            let target = fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            write_atomically(&target, &fixed.text, &metadata)
                .map_err(|error| Skip::io(shown, format!("cannot write fixes: {error}")))?;
        }
        checked.original = Some(text);
    }
    checked.text = fixed.text;
    Ok(Some((checked, None)))
}

/// Replaces a file's content atomically: a temporary file in the same
/// folder, with the original's permissions, renamed over it.
fn write_atomically(path: &Path, text: &str, metadata: &fs::Metadata) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(".shipshape-fix-")
        .tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().sync_all()?;
    fs::set_permissions(temp.path(), metadata.permissions())?;
    temp.persist(path).map_err(|error| error.error)?;
    Ok(())
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
            "fixed {}: {}\n",
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
    let mut count = 0;
    for file in files {
        let Some(original) = &file.original else {
            continue;
        };
        count += file.fixed.len();
        let diff = similar::TextDiff::from_lines(original.as_str(), file.text.as_str());
        out.push_str(
            &diff
                .unified_diff()
                .context_radius(3)
                .header(
                    &format!("a/{}", file.display_path),
                    &format!("b/{}", file.display_path),
                )
                .to_string(),
        );
    }
    output::print_stdout(&out);
    eprintln!(
        "shipshape: {count} fix{} would be applied",
        if count == 1 { "" } else { "es" }
    );
    if io_error {
        ExitCode::from(2)
    } else if out.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
