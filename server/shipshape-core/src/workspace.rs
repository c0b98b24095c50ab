//! The projects of an editor's workspace folders, kept current file by
//! file: what the language server needs to report project findings in
//! every affected file, open or not, after one file changed.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use ropey::Rope;

use crate::{
    check::{ProjectFinding, check_project, check_text_with_settings, recheck_project},
    config::FileSettings,
    project::{
        FactKind, MANIFESTS, Project, ProjectContext, in_skipped_dir, is_outer_input,
        is_project_root, nested_project_roots,
    },
    report::{self, Report, ReportInput},
    text::{Encoding, LineIndex},
};

/// A changed text's tree, parsed by another pass (an editor's document
/// check) as `kind`, and for Python the module facts derived from it (see
/// [`Workspace::apply_parsed`]).
pub struct Parsed<'a> {
    pub kind: crate::kind::FileKind,
    pub tree: &'a tree_sitter::Tree,
    pub module: Option<&'a crate::python::Module>,
}

/// Every project under a set of folders (each folder that is a project
/// root, and every nested project root), with its current findings.
#[derive(Default)]
pub struct Workspace {
    /// The folders it was loaded from: projects whatever their files say.
    folders: Vec<PathBuf>,
    projects: BTreeMap<PathBuf, (Project, Vec<ProjectFinding>)>,
}

impl Workspace {
    /// Loads and checks every project under `folders` (absolute paths).
    /// A folder that holds no project file is still a project (a service
    /// without a manifest yet).
    pub fn load(folders: &[PathBuf]) -> Workspace {
        Workspace::load_with_progress(folders, &mut |_, _, _| {})
    }

    /// [`Workspace::load`], telling `progress` (projects loaded so far,
    /// projects in all, the root just loaded) after each project: what an
    /// editor shows while the first scan runs.
    pub fn load_with_progress(
        folders: &[PathBuf],
        progress: &mut dyn FnMut(usize, usize, &Path),
    ) -> Workspace {
        let mut roots = BTreeSet::new();
        for folder in folders {
            roots.insert(folder.clone());
            roots.extend(nested_project_roots(folder));
        }
        let total = roots.len();
        let mut projects = BTreeMap::new();
        for (index, root) in roots.into_iter().enumerate() {
            let project = Project::load(&root);
            let findings = check_project(&project);
            progress(index + 1, total, &root);
            projects.insert(root, (project, findings));
        }
        Workspace {
            folders: folders.to_vec(),
            projects,
        }
    }

    /// Every project with its findings, by root.
    pub fn projects(&self) -> impl Iterator<Item = (&Path, &Project, &[ProjectFinding])> {
        self.projects
            .iter()
            .map(|(root, (project, findings))| (root.as_path(), project, findings.as_slice()))
    }

    /// The absolute paths of every file with project findings.
    pub fn files_with_findings(&self) -> BTreeSet<PathBuf> {
        self.projects
            .iter()
            .flat_map(|(root, (_, findings))| findings.iter().map(|found| root.join(&found.path)))
            .collect()
    }

    /// The text the model holds for the file at `path` (absolute).
    pub fn text_of(&self, path: &Path) -> Option<&str> {
        let root = self.root_of(path)?;
        let relative = path.strip_prefix(root).ok()?;
        self.project(root)?
            .file(relative)
            .map(|file| file.text.as_str())
    }

    /// The roots of the projects, sorted.
    pub fn roots(&self) -> impl Iterator<Item = &Path> {
        self.projects.keys().map(PathBuf::as_path)
    }

    /// The deepest project root that holds `path`.
    pub fn root_of(&self, path: &Path) -> Option<&Path> {
        self.projects
            .keys()
            .filter(|root| path.starts_with(root))
            .max_by_key(|root| root.components().count())
            .map(PathBuf::as_path)
    }

    pub fn project(&self, root: &Path) -> Option<&Project> {
        self.projects.get(root).map(|(project, _)| project)
    }

    /// The project findings in the file at `path` (absolute).
    pub fn findings_in(&self, path: &Path) -> Vec<&ProjectFinding> {
        let Some(root) = self.root_of(path) else {
            return Vec::new();
        };
        let Ok(relative) = path.strip_prefix(root) else {
            return Vec::new();
        };
        self.projects
            .get(root)
            .map(|(_, findings)| {
                findings
                    .iter()
                    .filter(|found| found.path == relative)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Sets the text of the file at `path` (an open document's new
    /// version, or a file changed on disk) and re-runs the project rules
    /// that read what changed. Returns the absolute paths of the files
    /// whose project findings changed (to publish or refresh).
    pub fn update_file(&mut self, path: &Path, text: &str) -> Vec<PathBuf> {
        self.change(path, Some(text))
    }

    /// Forgets a deleted file; returns the files whose findings changed.
    pub fn remove_file(&mut self, path: &Path) -> Vec<PathBuf> {
        self.change(path, None)
    }

    fn change(&mut self, path: &Path, text: Option<&str>) -> Vec<PathBuf> {
        self.apply([(path.to_path_buf(), text.map(str::to_string))])
    }

    /// Applies many changes at once (`None` for a deleted file) and re-runs
    /// the project rules reading what changed once per project, not once
    /// per file: a branch switch of thousands of files costs one re-check.
    /// Returns the absolute paths of the files whose project findings
    /// changed.
    pub fn apply(
        &mut self,
        changes: impl IntoIterator<Item = (PathBuf, Option<String>)>,
    ) -> Vec<PathBuf> {
        self.apply_parsed(changes.into_iter().map(|(path, text)| (path, text, None)))
    }

    /// [`Workspace::apply`] where a changed text may come with its
    /// [`Parsed`] tree and module facts (an editor's document, checked
    /// before the model takes its text), which the model takes instead of
    /// parsing and deriving them again.
    pub fn apply_parsed<'a>(
        &mut self,
        changes: impl IntoIterator<Item = (PathBuf, Option<String>, Option<Parsed<'a>>)>,
    ) -> Vec<PathBuf> {
        let mut by_root: BTreeMap<PathBuf, (BTreeSet<FactKind>, BTreeSet<PathBuf>)> =
            BTreeMap::new();
        let mut outer_changed: BTreeSet<PathBuf> = BTreeSet::new();
        for (path, text, parsed) in changes {
            // Projects that read this file above their root (a workspace
            // lock, the repository's `.gitignore`, `.env.example`, CI).
            outer_changed.extend(
                self.projects
                    .keys()
                    .filter(|root| is_outer_input(root, &path))
                    .cloned(),
            );
            // Projects whose compose files build from the project of this
            // file (a monorepo's root) keep a model of it too.
            for (root, (project, _)) in &mut self.projects {
                if let Ok(relative) = path.strip_prefix(root)
                    && project
                        .linked_folders()
                        .any(|folder| relative.starts_with(folder))
                {
                    let changed = project.update_linked(relative, text.as_deref());
                    if !changed.is_empty() {
                        by_root.entry(root.clone()).or_default().0.extend(changed);
                    }
                }
            }
            let Some(root) = self.root_of(&path).map(Path::to_path_buf) else {
                continue;
            };
            let Ok(relative) = path.strip_prefix(&root).map(Path::to_path_buf) else {
                continue;
            };
            let Some((project, _)) = self.projects.get_mut(&root) else {
                continue;
            };
            let changed = match text {
                Some(text) => match parsed {
                    Some(parsed) => project.update_file_parsed(
                        &relative,
                        &text,
                        Some((parsed.kind, parsed.tree)),
                        parsed.module,
                    ),
                    None => project.update_file(&relative, &text),
                },
                None => project.remove_file(&relative),
            };
            if !changed.is_empty() {
                let mut changed = changed;
                // A compose file may build from other folders now.
                if changed.contains(&FactKind::Compose) && project.relink() {
                    changed.extend([FactKind::Python, FactKind::Dockerfile]);
                }
                let entry = by_root.entry(root).or_default();
                entry.0.extend(changed);
                entry.1.insert(relative);
            }
        }
        // Read from disk again once the whole batch is in.
        for root in outer_changed {
            if let Some((project, _)) = self.projects.get_mut(&root) {
                let changed = project.refresh_outer();
                if !changed.is_empty() {
                    by_root.entry(root).or_default().0.extend(changed);
                }
            }
        }
        let mut affected: BTreeSet<PathBuf> = BTreeSet::new();
        for (root, (changed, files)) in by_root {
            let Some((project, findings)) = self.projects.get_mut(&root) else {
                continue;
            };
            let before = std::mem::take(findings);
            let after = recheck_project(project, &changed, before.clone());
            let by_file = |list: &[ProjectFinding]| {
                // Fixes count: an editor sends them with the diagnostic.
                // So do related places: a route that moved moves the link.
                type Key = (
                    usize,
                    usize,
                    &'static str,
                    String,
                    Option<crate::fix::Fix>,
                    Vec<crate::check::RelatedLocation>,
                );
                let mut map: BTreeMap<PathBuf, Vec<Key>> = BTreeMap::new();
                for found in list {
                    map.entry(found.path.clone()).or_default().push((
                        found.finding.range.start,
                        found.finding.range.end,
                        found.finding.rule.id,
                        found.finding.message.clone(),
                        found.finding.fix.clone(),
                        found.related.clone(),
                    ));
                }
                map
            };
            let (old, new) = (by_file(&before), by_file(&after));
            for file in old.keys().chain(new.keys()) {
                // A changed file's own findings may have moved with its text.
                if old.get(file) != new.get(file) || files.contains(file) {
                    affected.insert(root.join(file));
                }
            }
            *findings = after;
        }
        affected.into_iter().collect()
    }

    /// Whether a change of the file at `path` (created, changed or
    /// deleted) changes which folders are project roots: a manifest
    /// (`pyproject.toml`, `requirements.txt`, `setup.py`) created in a
    /// folder that is not a project yet, or the last manifest of a nested
    /// project deleted. The caller reloads the workspace then: a file's
    /// project depends on every root above it.
    pub fn roots_changed(&self, path: &Path) -> bool {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return false;
        };
        if !MANIFESTS.iter().any(|manifest| name == *manifest) {
            return false;
        }
        if self.projects.contains_key(dir) {
            return !self.folders.iter().any(|folder| folder == dir) && !is_project_root(dir);
        }
        is_project_root(dir)
            && self.folders.iter().any(|folder| {
                dir.strip_prefix(folder)
                    .is_ok_and(|inside| !in_skipped_dir(inside))
            })
    }

    /// Loads and checks the projects under a workspace folder added to the
    /// editor (those already loaded are kept as they are). Returns the
    /// absolute paths of the files with findings in the new projects.
    pub fn add_folder(&mut self, folder: &Path) -> Vec<PathBuf> {
        if !self.folders.iter().any(|known| known == folder) {
            self.folders.push(folder.to_path_buf());
        }
        let mut roots = BTreeSet::from([folder.to_path_buf()]);
        roots.extend(nested_project_roots(folder));
        let mut files = Vec::new();
        for root in roots {
            if self.projects.contains_key(&root) {
                continue;
            }
            let project = Project::load(&root);
            let findings = check_project(&project);
            files.extend(findings.iter().map(|found| root.join(&found.path)));
            self.projects.insert(root, (project, findings));
        }
        files
    }

    /// Forgets the projects under a workspace folder removed from the
    /// editor, except those under one of the `remaining` folders. Returns
    /// the absolute paths of the files that had findings in them.
    pub fn remove_folder(&mut self, folder: &Path, remaining: &[PathBuf]) -> Vec<PathBuf> {
        self.folders.retain(|known| known != folder);
        let gone: Vec<PathBuf> = self
            .projects
            .keys()
            .filter(|root| root.starts_with(folder))
            .filter(|root| !remaining.iter().any(|kept| root.starts_with(kept)))
            .cloned()
            .collect();
        let mut files = Vec::new();
        for root in gone {
            if let Some((_, findings)) = self.projects.remove(&root) {
                files.extend(findings.iter().map(|found| root.join(&found.path)));
            }
        }
        files
    }
}

impl Workspace {
    /// The readiness report of every project in the workspace: each file of
    /// the model checked under the settings `settings_for` gives its
    /// absolute path (an excluded file is left out), plus the project
    /// findings under the same settings. Paths are shown relative to
    /// `base` (the editor's first folder).
    pub fn report(
        &self,
        name: &str,
        base: &Path,
        settings_for: &dyn Fn(&Path) -> FileSettings,
    ) -> Report {
        let mut inputs = Vec::new();
        let mut strengths = Vec::new();
        for (root, (project, project_findings)) in &self.projects {
            let context = ProjectContext::discover(root);
            for file in project.files() {
                let absolute = root.join(&file.path);
                let settings = settings_for(&absolute);
                if settings.excluded {
                    continue;
                }
                let mut findings = match file.kind {
                    Some(kind) => {
                        check_text_with_settings(&file.path, kind, &file.text, &context, &settings)
                    }
                    None => Vec::new(),
                };
                findings.extend(
                    project_findings
                        .iter()
                        .filter(|found| found.path == file.path)
                        .filter(|found| settings.is_enabled(found.finding.rule))
                        .map(|found| found.finding.clone()),
                );
                settings.apply_severities(&mut findings);
                if findings.is_empty() {
                    continue;
                }
                let rope = Rope::from_str(&file.text);
                let lines = LineIndex::new(&rope);
                let shown = absolute
                    .strip_prefix(base)
                    .unwrap_or(&absolute)
                    .to_string_lossy()
                    .replace('\\', "/");
                for finding in findings {
                    inputs.push(ReportInput {
                        rule: finding.rule,
                        path: shown.clone(),
                        line: lines.position(finding.range.start, Encoding::Utf32).line + 1,
                        project_wide: crate::report::is_project_wide(finding.rule.id),
                        message: finding.message,
                        fix: finding.fix.map(|fix| fix.title),
                    });
                }
            }
            for strength in project.strengths() {
                if !strengths.contains(&strength) {
                    strengths.push(strength);
                }
            }
        }
        let mut report = report::build(name, &inputs);
        report.strengths = strengths;
        report
    }
}
