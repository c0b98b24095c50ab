//! What a project already does right, for the "in place" list of the
//! readiness report.

use super::{Capability, Facts, Orm, Project, display, route_matches};

impl Project {
    /// What the project already does right, in a reviewer's words: the
    /// "in place" list of the readiness report. Only facts the model sees
    /// for sure are listed.
    pub fn strengths(&self) -> Vec<String> {
        let mut out = Vec::new();
        let apps = self.apps();
        if let Some((file, app)) = apps.first() {
            let count = self.served_routes().len();
            out.push(format!(
                "{} app in `{}` with {count} route{} found",
                app.framework.name(),
                display(&file.path),
                if count == 1 { "" } else { "s" }
            ));
            let mut health: Vec<String> = self
                .health_routes()
                .into_iter()
                .map(|route| format!("`{}`", route.path))
                .collect();
            health.sort();
            health.dedup();
            if !health.is_empty() {
                out.push(format!("Health route {}", health.join(", ")));
            }
            for (capability, text) in [
                (Capability::Authentication, "Authentication"),
                (Capability::RateLimiting, "Rate limiting"),
                (Capability::SecurityHeaders, "Security headers"),
                (Capability::RequestId, "Request ids"),
                (Capability::StructuredLogging, "Structured logging"),
                (Capability::Metrics, "Metrics"),
                (Capability::Tracing, "Tracing"),
            ] {
                if self.has_capability(capability) {
                    out.push(text.to_string());
                }
            }
        }
        let tests = self
            .files
            .values()
            .filter(|file| {
                matches!(&file.facts, Facts::Python(facts) if facts.is_test)
                    && file
                        .path
                        .file_name()
                        .is_some_and(|name| name != "__init__.py" && name != "conftest.py")
            })
            .count();
        if tests > 0 {
            out.push(format!(
                "{tests} test module{}",
                if tests == 1 { "" } else { "s" }
            ));
        }
        if self.ci_files().any(|(_, facts)| facts.runs_tests)
            || self.outer_ci.iter().any(|facts| facts.runs_tests)
        {
            out.push("CI runs the tests".to_string());
        }
        let real_env: Vec<_> = self.real_env_files().collect();
        if !real_env.is_empty()
            && real_env
                .iter()
                .all(|(file, _)| self.git_ignores(&file.path, false))
        {
            out.push("`.env` files are ignored by git".to_string());
        }
        if let Some((file, _)) = self.env_example() {
            out.push(format!(
                "`{}` documents the environment",
                display(&file.path)
            ));
        }
        let pinned = self.requirements_files().next().is_some()
            && self.requirements_files().all(|(_, facts)| {
                facts
                    .requirements
                    .iter()
                    .all(|requirement| requirement.pinned)
            });
        if self.has_lock_file() {
            out.push("Dependencies are locked".to_string());
        } else if pinned {
            out.push("Requirements are pinned".to_string());
        }
        let has_models = self.python().any(|(_, facts)| {
            facts
                .models
                .iter()
                .any(|model| model.orm == Orm::SqlAlchemy)
        });
        if has_models && self.has_alembic() {
            out.push("Database migrations with Alembic".to_string());
        }
        let served = self.served_routes();
        let is_served = |path: &str| served.iter().any(|route| route_matches(&route.path, path));
        if self.dockerfiles().any(|(_, facts)| {
            facts.final_stage().is_some_and(|stage| {
                stage
                    .healthcheck
                    .as_ref()
                    .and_then(|probe| probe.path.as_ref())
                    .is_some_and(|(path, _)| is_served(path))
            })
        }) {
            out.push("The container's health check probes a route the app serves".to_string());
        }
        if self.railway().any(|(_, facts)| {
            facts
                .healthcheck_path
                .as_ref()
                .is_some_and(|(path, _)| is_served(path))
        }) || self
            .fly()
            .any(|(_, facts)| facts.check_paths.iter().any(|(path, _)| is_served(path)))
        {
            out.push("The deploy platform probes the app's health route".to_string());
        }
        out
    }
}
