//! The projects of an editor's workspace folders, kept current file by
//! file: what the language server needs to report project findings in
//! every affected file, open or not, after one file changed.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

use ropey::Rope;

use super::{Project, ProjectContext, is_project_root, nested_project_roots};
use crate::{
    check::{ProjectFinding, check_project, check_text_with_settings, recheck_project},
    config::FileSettings,
    report::{self, Report, ReportInput},
    text::{Encoding, LineIndex},
};

/// Every project under a set of folders (each folder that is a project
/// root, and every nested project root), with its current findings.
#[derive(Default)]
pub struct Workspace {
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
        Workspace { projects }
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
        let Some(root) = self.root_of(path).map(Path::to_path_buf) else {
            return Vec::new();
        };
        let Ok(relative) = path.strip_prefix(&root).map(Path::to_path_buf) else {
            return Vec::new();
        };
        let Some((project, findings)) = self.projects.get_mut(&root) else {
            return Vec::new();
        };
        let changed = match text {
            Some(text) => project.update_file(&relative, text),
            None => project.remove_file(&relative),
        };
        if changed.is_empty() {
            return Vec::new();
        }
        let before = std::mem::take(findings);
        let after = recheck_project(project, &changed, before.clone());
        let by_file = |list: &[ProjectFinding]| {
            // Fixes count: an editor sends them with the diagnostic.
            type Key = (usize, usize, &'static str, String, Option<crate::fix::Fix>);
            let mut map: BTreeMap<PathBuf, Vec<Key>> = BTreeMap::new();
            for found in list {
                map.entry(found.path.clone()).or_default().push((
                    found.finding.range.start,
                    found.finding.range.end,
                    found.finding.rule.id,
                    found.finding.message.clone(),
                    found.finding.fix.clone(),
                ));
            }
            map
        };
        let (old, new) = (by_file(&before), by_file(&after));
        let mut affected: BTreeSet<PathBuf> = BTreeSet::new();
        for file in old.keys().chain(new.keys()) {
            if old.get(file) != new.get(file) {
                affected.insert(root.join(file));
            }
        }
        // The changed file's own findings may have moved with its text.
        if old.contains_key(&relative) || new.contains_key(&relative) {
            affected.insert(path.to_path_buf());
        }
        *findings = after;
        affected.into_iter().collect()
    }

    /// Whether a new file makes a new project root (a `pyproject.toml`
    /// created in a subfolder): the caller reloads the workspace then.
    pub fn is_new_root(&self, path: &Path) -> bool {
        path.parent()
            .is_some_and(|dir| is_project_root(dir) && !self.projects.contains_key(dir))
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
