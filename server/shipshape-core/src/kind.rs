//! What kind of file a path holds, by its name and, where names are not
//! enough, its content; and the tree-sitter grammar that parses each kind.

use std::path::Path;

use tree_sitter::Language;

/// The kinds of file shipshape reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FileKind {
    Python,
    Dockerfile,
    Compose,
    /// YAML that is not a compose file (CI workflows, other config).
    Yaml,
    Toml,
    Json,
    Requirements,
    /// `.env`, `.env.example`, ... (KEY=value lines).
    DotEnv,
    /// `.gitignore`, `.dockerignore`.
    IgnoreFile,
    /// A `Procfile` (Heroku, Dokku, Render...): `type: command` lines.
    Procfile,
}

impl FileKind {
    /// Every kind, in a stable order.
    pub const ALL: [FileKind; 10] = [
        FileKind::Python,
        FileKind::Dockerfile,
        FileKind::Compose,
        FileKind::Yaml,
        FileKind::Toml,
        FileKind::Json,
        FileKind::Requirements,
        FileKind::DotEnv,
        FileKind::IgnoreFile,
        FileKind::Procfile,
    ];

    /// The name used for the folder of its rules (`rules/<name>/`) and
    /// in the command line's output.
    pub fn name(self) -> &'static str {
        match self {
            FileKind::Python => "python",
            FileKind::Dockerfile => "dockerfile",
            FileKind::Compose => "compose",
            FileKind::Yaml => "yaml",
            FileKind::Toml => "toml",
            FileKind::Json => "json",
            FileKind::Requirements => "requirements",
            FileKind::DotEnv => "dotenv",
            FileKind::IgnoreFile => "ignore",
            FileKind::Procfile => "procfile",
        }
    }

    pub fn from_name(name: &str) -> Option<FileKind> {
        FileKind::ALL.into_iter().find(|kind| kind.name() == name)
    }

    /// The grammar that parses this kind, if any.
    pub fn language(self) -> Option<Language> {
        Some(match self {
            FileKind::Python => tree_sitter_python::LANGUAGE.into(),
            FileKind::Dockerfile => tree_sitter_containerfile::LANGUAGE.into(),
            FileKind::Compose | FileKind::Yaml => tree_sitter_yaml::LANGUAGE.into(),
            FileKind::Toml => tree_sitter_toml_ng::LANGUAGE.into(),
            FileKind::Json => tree_sitter_json::LANGUAGE.into(),
            FileKind::Requirements => tree_sitter_requirements::LANGUAGE.into(),
            FileKind::DotEnv | FileKind::IgnoreFile | FileKind::Procfile => return None,
        })
    }

    /// Whether `#` starts a comment in this kind (suppression comments).
    pub fn has_hash_comments(self) -> bool {
        !matches!(self, FileKind::Json)
    }

    /// The kind of a file from its path alone, or `None` when the content
    /// must decide (`*.yaml` that may be a compose file) or it is not ours.
    pub fn from_path(path: &Path) -> Option<FileKind> {
        let name = path.file_name()?.to_str()?;
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".py") || lower.ends_with(".pyi") {
            return Some(FileKind::Python);
        }
        if lower == "dockerfile"
            || lower == "containerfile"
            || lower.starts_with("dockerfile.")
            || lower.starts_with("containerfile.")
            || lower.ends_with(".dockerfile")
            || lower.ends_with(".containerfile")
        {
            return Some(FileKind::Dockerfile);
        }
        if is_yaml_name(&lower) {
            let stem = lower.trim_end_matches(".yaml").trim_end_matches(".yml");
            if stem == "compose"
                || stem == "docker-compose"
                || stem.starts_with("docker-compose.")
                || stem.starts_with("docker-compose-")
                || stem.starts_with("compose.")
            {
                return Some(FileKind::Compose);
            }
            return None;
        }
        if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
            return Some(FileKind::DotEnv);
        }
        if lower == ".gitignore" || lower == ".dockerignore" {
            return Some(FileKind::IgnoreFile);
        }
        // The platforms read `Procfile` alone: `Procfile.dev`, `Procfile.windows` are the
        // process lists of a developer's machine (`heroku local -f`, foreman, honcho).
        if lower == "procfile" {
            return Some(FileKind::Procfile);
        }
        if lower.ends_with(".toml") {
            return Some(FileKind::Toml);
        }
        if lower.ends_with(".json") {
            return Some(FileKind::Json);
        }
        if lower.ends_with(".txt") && lower.contains("requirements")
            || lower.ends_with(".in") && lower.contains("requirements")
            || lower == "constraints.txt"
        {
            return Some(FileKind::Requirements);
        }
        None
    }

    /// The kind of a file from its path and content: YAML with a top-level
    /// `services:` mapping whose entries look like compose services is a
    /// compose file whatever its name.
    pub fn detect(path: &Path, content: &str) -> Option<FileKind> {
        if let Some(kind) = FileKind::from_path(path) {
            return Some(kind);
        }
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if is_yaml_name(&name) {
            return Some(if looks_like_compose(content) {
                FileKind::Compose
            } else {
                FileKind::Yaml
            });
        }
        None
    }

    /// The kind for an editor's language id, used when the path says nothing.
    pub fn from_language_id(language_id: &str, content: &str) -> Option<FileKind> {
        match language_id {
            "python" => Some(FileKind::Python),
            "dockerfile" | "containerfile" => Some(FileKind::Dockerfile),
            "dockercompose" | "docker-compose" | "yaml.docker-compose" => Some(FileKind::Compose),
            "yaml" => Some(if looks_like_compose(content) {
                FileKind::Compose
            } else {
                FileKind::Yaml
            }),
            "toml" => Some(FileKind::Toml),
            "json" | "jsonc" => Some(FileKind::Json),
            "pip-requirements" | "requirements" => Some(FileKind::Requirements),
            "dotenv" | "env" | "sh.env" => Some(FileKind::DotEnv),
            "ignore" | "gitignore" | "dockerignore" => Some(FileKind::IgnoreFile),
            "procfile" => Some(FileKind::Procfile),
            _ => None,
        }
    }
}

fn is_yaml_name(lower: &str) -> bool {
    lower.ends_with(".yaml") || lower.ends_with(".yml")
}

/// A cheap, line-based look for a top-level `services:` mapping whose
/// children carry compose service keys (`image`, `build`, ...).
pub fn looks_like_compose(content: &str) -> bool {
    const SERVICE_KEYS: [&str; 8] = [
        "image:",
        "build:",
        "ports:",
        "environment:",
        "volumes:",
        "depends_on:",
        "command:",
        "healthcheck:",
    ];
    let mut in_services = false;
    for line in content.lines() {
        let trimmed = line.trim_end();
        if trimmed.is_empty() || trimmed.trim_start().starts_with('#') {
            continue;
        }
        let indented = line.starts_with(' ') || line.starts_with('\t');
        if !indented {
            in_services = trimmed == "services:" || trimmed.starts_with("services: ");
            continue;
        }
        if in_services
            && SERVICE_KEYS
                .iter()
                .any(|key| trimmed.trim_start().starts_with(key))
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_decide_most_kinds() {
        let cases = [
            ("app/main.py", Some(FileKind::Python)),
            ("Dockerfile", Some(FileKind::Dockerfile)),
            ("Dockerfile.prod", Some(FileKind::Dockerfile)),
            ("api.dockerfile", Some(FileKind::Dockerfile)),
            ("Containerfile", Some(FileKind::Dockerfile)),
            ("compose.yaml", Some(FileKind::Compose)),
            ("docker-compose.prod.yml", Some(FileKind::Compose)),
            ("compose.override.yaml", Some(FileKind::Compose)),
            (".env", Some(FileKind::DotEnv)),
            (".env.example", Some(FileKind::DotEnv)),
            ("pyproject.toml", Some(FileKind::Toml)),
            ("requirements-dev.txt", Some(FileKind::Requirements)),
            ("Procfile", Some(FileKind::Procfile)),
            ("deploy/Procfile", Some(FileKind::Procfile)),
            ("Procfile.dev", None),
            ("Procfile.windows", None),
            ("notes.txt", None),
            ("ci.yml", None),
        ];
        for (path, kind) in cases {
            assert_eq!(FileKind::from_path(Path::new(path)), kind, "{path}");
        }
    }

    #[test]
    fn yaml_with_compose_services_is_compose() {
        let compose = "# stack\nservices:\n  api:\n    image: app:1.0\n";
        let workflow = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n";
        let other = "services:\n  - name: a\n";
        assert_eq!(
            FileKind::detect(Path::new("stack.yml"), compose),
            Some(FileKind::Compose)
        );
        assert_eq!(
            FileKind::detect(Path::new("ci.yml"), workflow),
            Some(FileKind::Yaml)
        );
        assert_eq!(
            FileKind::detect(Path::new("x.yaml"), other),
            Some(FileKind::Yaml)
        );
    }

    #[test]
    fn every_grammar_loads() {
        for kind in FileKind::ALL {
            if let Some(language) = kind.language() {
                let mut parser = tree_sitter::Parser::new();
                parser
                    .set_language(&language)
                    .unwrap_or_else(|error| panic!("{}: {error}", kind.name()));
            }
        }
    }
}
