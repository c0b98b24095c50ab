//! Dockerfile and compose facts for the cross-file rules: base images,
//! exposed and listened ports, health check URLs, and compose services.
//! This is a light extraction of what the project rules need; the
//! single-file Dockerfile and compose rules have their own models.

use std::{ops::Range, sync::LazyLock};

use regex::Regex;
use tree_sitter::{Node, Tree};

use super::value::{self, Value};

/// One `FROM` stage.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stage {
    /// The image as written (`python:3.12-slim`).
    pub image: String,
    /// The image name without tag or digest (`python`).
    pub name: String,
    pub tag: Option<String>,
    /// The range of the tag, for a fix that changes it.
    pub tag_range: Option<Range<usize>>,
    pub alias: Option<String>,
    /// The `FROM` instruction.
    pub range: Range<usize>,
    pub expose: Vec<(u16, Range<usize>)>,
    /// `CMD` and `ENTRYPOINT` text (last of each).
    pub cmd: Option<(String, Range<usize>)>,
    pub entrypoint: Option<(String, Range<usize>)>,
    pub healthcheck: Option<HealthProbe>,
    /// A `COPY . ...` / `ADD . ...` of the whole build context.
    pub copies_context: Option<Range<usize>>,
    /// `ENV NAME=value` literals.
    pub env: Vec<(String, String)>,
}

impl Stage {
    /// The command the stage runs: its `ENTRYPOINT` and `CMD` texts joined.
    pub fn command(&self) -> String {
        [&self.entrypoint, &self.cmd]
            .into_iter()
            .flatten()
            .map(|(text, _)| text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// An HTTP probe found in a health check command.
#[derive(Clone, Debug, PartialEq)]
pub struct HealthProbe {
    /// The whole instruction or entry.
    pub range: Range<usize>,
    /// The URL's port, when it is a number.
    pub port: Option<u16>,
    /// The URL's path (`/` when none) and where it is in the file.
    pub path: Option<(String, Range<usize>)>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct DockerfileFacts {
    pub stages: Vec<Stage>,
}

impl DockerfileFacts {
    pub fn final_stage(&self) -> Option<&Stage> {
        self.stages.last()
    }

    /// A stage and the stages it is built from, nearest first (`FROM
    /// builder` where `builder` is an earlier stage's alias); a cycle of
    /// aliases ends the chain.
    fn chain<'a>(&'a self, stage: &'a Stage) -> Vec<&'a Stage> {
        let mut chain = vec![stage];
        let mut current = stage;
        while let Some(earlier) = self
            .stages
            .iter()
            .find(|earlier| earlier.alias.as_deref() == Some(current.image.as_str()))
            && !chain.iter().any(|seen| std::ptr::eq(*seen, earlier))
        {
            chain.push(earlier);
            current = earlier;
        }
        chain
    }

    /// The image a stage is built from, following stage aliases
    /// (`FROM base` where `base` is an earlier stage).
    pub fn base_of<'a>(&'a self, stage: &'a Stage) -> &'a Stage {
        self.chain(stage).last().copied().unwrap_or(stage)
    }

    /// The environment a stage runs with: its own `ENV`s after those of
    /// the stages it is built from (`FROM builder`), which it inherits.
    pub fn env_of(&self, stage: &Stage) -> Vec<(String, String)> {
        self.chain(stage)
            .iter()
            .rev()
            .flat_map(|stage| stage.env.iter().cloned())
            .collect()
    }

    /// The port the final stage's command listens on (under the
    /// environment it inherits).
    pub fn listen_port(&self) -> Option<u16> {
        let stage = self.final_stage()?;
        command_port(&stage.command(), &self.env_of(stage))
    }
}

static URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"https?://(?:[^/\s"':]+|\[[^\]]*\])(?::([0-9]+|\$\{?\w+[^/\s"']*))?(/[^\s"'\\\]\)]*)?"#,
    )
    .expect("url regex")
});

/// The HTTP probe of a health check command at `offset` in the file.
pub fn probe_in(command: &str, offset: usize, range: Range<usize>) -> HealthProbe {
    let Some(found) = URL.captures(command) else {
        return HealthProbe {
            range,
            port: None,
            path: None,
        };
    };
    let port = found.get(1).and_then(|port| port.as_str().parse().ok());
    let path = match found.get(2) {
        Some(path) => (
            path.as_str().to_string(),
            offset + path.start()..offset + path.end(),
        ),
        None => {
            let end = offset + found.get(0).map_or(0, |all| all.end());
            ("/".to_string(), end..end)
        }
    };
    HealthProbe {
        range,
        port,
        path: Some(path),
    }
}

/// The port a server command listens on: `--port 8000`, `--bind
/// 0.0.0.0:8000`, `runserver 0.0.0.0:8000`, `${PORT:-8000}`, or the
/// server's default when it names none (uvicorn, gunicorn and hypercorn
/// 8000, `flask run` 5000). `None` when the port is dynamic or unknown.
pub fn command_port(command: &str, env: &[(String, String)]) -> Option<u16> {
    static PORT: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?:^|\s)(?:--port|-p)[\s=]+(\S+)|(?:^|\s)(?:--bind|-b)[\s=]+(?:[^\s:]*:)?(\S+)|runserver\s+(?:[\d.]+:)?(\d+)")
            .expect("port regex")
    });
    let words = command.replace(['"', '\'', ',', '[', ']'], " ");
    if let Some(found) = PORT.captures(&words) {
        let raw = found
            .get(1)
            .or_else(|| found.get(2))
            .or_else(|| found.get(3))?
            .as_str();
        return resolve_port(raw, env);
    }
    let mut tokens = words
        .split_whitespace()
        .map(|word| word.rsplit('/').next().unwrap_or(word));
    let server = tokens.find(|word| {
        matches!(
            *word,
            "uvicorn" | "gunicorn" | "hypercorn" | "flask" | "granian" | "fastapi"
        )
    })?;
    let env_port = |name: &str| {
        env.iter()
            .rev()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.parse().ok())
    };
    // A config file or socket activation can set the port: unknown.
    let configured = [" -c ", " --config", " --fd", " --uds", "--config="]
        .iter()
        .any(|flag| format!(" {words} ").contains(flag));
    if configured {
        return None;
    }
    match server {
        // gunicorn binds to `0.0.0.0:$PORT` when PORT is set.
        "gunicorn" => env_port("PORT").unwrap_or(Some(8000)),
        "uvicorn" | "hypercorn" => Some(8000),
        "fastapi" if words.contains(" run") => Some(8000),
        "flask" if words.contains(" run") => env_port("FLASK_RUN_PORT").unwrap_or(Some(5000)),
        _ => None,
    }
}

fn resolve_port(raw: &str, env: &[(String, String)]) -> Option<u16> {
    if let Ok(port) = raw.parse() {
        return Some(port);
    }
    // `$PORT`, `${PORT}`, `${PORT:-8000}`.
    let inner = raw.trim_start_matches('$');
    let inner = inner
        .strip_prefix('{')
        .and_then(|inner| inner.strip_suffix('}'))
        .unwrap_or(inner);
    if let Some((name, default)) = inner.split_once(":-").or_else(|| inner.split_once('-')) {
        if let Some((_, value)) = env.iter().rev().find(|(key, _)| key == name) {
            return value.parse().ok();
        }
        return default.parse().ok();
    }
    env.iter()
        .rev()
        .find(|(key, _)| key == inner)
        .and_then(|(_, value)| value.parse().ok())
}

pub fn dockerfile(text: &str, tree: &Tree) -> DockerfileFacts {
    let mut facts = DockerfileFacts::default();
    let root = tree.root_node();
    let mut cursor = root.walk();
    for instruction in root.named_children(&mut cursor) {
        let range = instruction.byte_range();
        let raw = &text[range.clone()];
        // The instruction's arguments: the text after the keyword.
        let arguments_offset = range.start
            + raw
                .find(char::is_whitespace)
                .map_or(raw.len(), |index| index + 1);
        let arguments = text[arguments_offset.min(range.end)..range.end].trim();
        if instruction.kind() == "from_instruction" {
            facts.stages.push(from_stage(instruction, text));
            continue;
        }
        let Some(stage) = facts.stages.last_mut() else {
            continue;
        };
        match instruction.kind() {
            "expose_instruction" => {
                let mut ports = instruction.walk();
                for port in instruction.named_children(&mut ports) {
                    let port_text = &text[port.byte_range()];
                    let number = port_text.split('/').next().unwrap_or_default();
                    if let Ok(number) = number.parse() {
                        stage.expose.push((number, port.byte_range()));
                    }
                }
            }
            "cmd_instruction" => stage.cmd = Some((arguments.to_string(), range)),
            "entrypoint_instruction" => stage.entrypoint = Some((arguments.to_string(), range)),
            "healthcheck_instruction" => {
                stage.healthcheck = Some(if arguments.trim().eq_ignore_ascii_case("none") {
                    HealthProbe {
                        range,
                        port: None,
                        path: None,
                    }
                } else {
                    probe_in(raw, range.start, range.clone())
                });
            }
            "copy_instruction" | "add_instruction" => {
                let sources: Vec<&str> = arguments
                    .split_whitespace()
                    .filter(|word| !word.starts_with("--"))
                    .collect();
                if sources.len() >= 2
                    && sources[..sources.len() - 1]
                        .iter()
                        .any(|source| matches!(*source, "." | "./"))
                {
                    stage.copies_context = Some(range);
                }
            }
            "env_instruction" => {
                let mut pairs = instruction.walk();
                for pair in instruction.named_children(&mut pairs) {
                    let pair_text = &text[pair.byte_range()];
                    if let Some((key, value)) = pair_text.split_once('=') {
                        stage
                            .env
                            .push((key.to_string(), value.trim_matches('"').to_string()));
                    } else if let Some((key, value)) = pair_text.split_once(' ') {
                        stage
                            .env
                            .push((key.to_string(), value.trim().trim_matches('"').to_string()));
                    }
                }
            }
            _ => {}
        }
    }
    facts
}

fn from_stage(instruction: Node<'_>, text: &str) -> Stage {
    let mut stage = Stage {
        range: instruction.byte_range(),
        ..Stage::default()
    };
    let mut cursor = instruction.walk();
    for child in instruction.named_children(&mut cursor) {
        if child.kind() == "image_spec" {
            stage.image = text[child.byte_range()].to_string();
            if let Some(name) = child.child_by_field_name("name") {
                stage.name = text[name.byte_range()].to_string();
            }
            if let Some(tag) = child.child_by_field_name("tag") {
                let tag_text = &text[tag.byte_range()];
                let skip = usize::from(tag_text.starts_with(':'));
                stage.tag = Some(tag_text[skip..].to_string());
                stage.tag_range = Some(tag.start_byte() + skip..tag.end_byte());
            }
        }
    }
    if let Some(alias) = instruction.child_by_field_name("as") {
        stage.alias = Some(text[alias.byte_range()].to_string());
    }
    stage
}

/// One compose service.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Service {
    pub name: String,
    pub name_range: Range<usize>,
    pub image: Option<String>,
    /// The build context and Dockerfile (`build: .` or `build: {context,
    /// dockerfile}`), when the service is built.
    pub build: Option<(String, String)>,
    /// Container ports of `ports` (the target) and `expose`, with where.
    pub ports: Vec<(u16, Range<usize>)>,
    pub healthcheck: Option<HealthProbe>,
    pub environment: Vec<String>,
    pub env_files: Vec<String>,
    pub depends_on: Vec<String>,
    pub command: Option<String>,
    /// The `DJANGO_SETTINGS_MODULE` its environment sets.
    pub django_settings_module: Option<String>,
}

/// A `${VAR}` reference in a compose file.
#[derive(Clone, Debug, PartialEq)]
pub struct Interpolation {
    pub name: String,
    pub range: Range<usize>,
    /// `${VAR:-x}`, `${VAR-x}`, `${VAR:?msg}`, `${VAR?msg}`: the file says
    /// what happens when it is unset.
    pub handled: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct ComposeFacts {
    pub services: Vec<Service>,
    pub interpolations: Vec<Interpolation>,
}

pub fn compose(text: &str, tree: &Tree) -> ComposeFacts {
    let mut facts = ComposeFacts {
        interpolations: interpolations(text),
        ..ComposeFacts::default()
    };
    let Some(document) = value::from_yaml(tree.root_node(), text) else {
        return facts;
    };
    let Some(services) = document.get("services") else {
        return facts;
    };
    for (name, name_range, body) in services.entries() {
        facts
            .services
            .push(service(name, name_range.clone(), body, text));
    }
    facts
}

fn scalar_or_list(value: &Value) -> String {
    match value.as_str() {
        Some(text) => text.to_string(),
        None => value
            .items()
            .iter()
            .filter_map(Value::as_str)
            .collect::<Vec<_>>()
            .join(" "),
    }
}

fn service(name: &str, name_range: Range<usize>, body: &Value, text: &str) -> Service {
    let mut service = Service {
        name: name.to_string(),
        name_range,
        image: body
            .get("image")
            .and_then(Value::as_str)
            .map(str::to_string),
        command: body.get("command").map(scalar_or_list),
        ..Service::default()
    };
    if let Some(build) = body.get("build") {
        service.build = Some(match build.as_str() {
            Some(context) => (context.to_string(), "Dockerfile".to_string()),
            None => (
                build
                    .get("context")
                    .and_then(Value::as_str)
                    .unwrap_or(".")
                    .to_string(),
                build
                    .get("dockerfile")
                    .and_then(Value::as_str)
                    .unwrap_or("Dockerfile")
                    .to_string(),
            ),
        });
    }
    for port in body.get("ports").map(Value::items).unwrap_or_default() {
        let target = match port.as_str() {
            Some(spec) => {
                let spec = spec.split('/').next().unwrap_or(spec);
                spec.rsplit(':')
                    .next()
                    .and_then(|target| target.parse().ok())
            }
            None => port
                .get("target")
                .and_then(Value::as_str)
                .and_then(|target| target.parse().ok()),
        };
        if let Some(target) = target {
            service.ports.push((target, port.range.clone()));
        }
    }
    for port in body.get("expose").map(Value::items).unwrap_or_default() {
        if let Some(target) = port
            .as_str()
            .and_then(|spec| spec.split('/').next())
            .and_then(|target| target.parse().ok())
        {
            service.ports.push((target, port.range.clone()));
        }
    }
    if let Some(healthcheck) = body.get("healthcheck") {
        let disabled = healthcheck
            .get("disable")
            .and_then(Value::as_str)
            .is_some_and(|value| value == "true");
        if let Some(test) = healthcheck.get("test")
            && !disabled
        {
            let range = test.range.clone();
            service.healthcheck = Some(probe_in(&text[range.clone()], range.start, range));
        }
    }
    if let Some(environment) = body.get("environment") {
        for (key, _, value) in environment.entries() {
            service.environment.push(key.clone());
            if key == "DJANGO_SETTINGS_MODULE" {
                service.django_settings_module = value.as_str().map(str::to_string);
            }
        }
        for item in environment.items() {
            if let Some(entry) = item.as_str() {
                let key = entry.split('=').next().unwrap_or(entry);
                service.environment.push(key.to_string());
                if key == "DJANGO_SETTINGS_MODULE" {
                    service.django_settings_module = entry
                        .split_once('=')
                        .map(|(_, value)| value.trim().to_string());
                }
            }
        }
    }
    if let Some(env_file) = body.get("env_file") {
        match env_file.as_str() {
            Some(path) => service.env_files.push(path.to_string()),
            None => {
                for item in env_file.items() {
                    if let Some(path) = item.as_str().or_else(|| item.get("path")?.as_str()) {
                        service.env_files.push(path.to_string());
                    }
                }
            }
        }
    }
    if let Some(depends_on) = body.get("depends_on") {
        for (key, _, _) in depends_on.entries() {
            service.depends_on.push(key.clone());
        }
        for item in depends_on.items() {
            if let Some(name) = item.as_str() {
                service.depends_on.push(name.to_string());
            }
        }
    }
    service
}

/// The `${VAR}` and `$VAR` references of a compose file, outside comments;
/// `$$` is an escaped dollar.
pub fn interpolations(text: &str) -> Vec<Interpolation> {
    static VAR: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)")
            .expect("interpolation regex")
    });
    let mut found = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let code_end = line
            .find(" #")
            .filter(|_| !line.trim_start().starts_with('#'))
            .unwrap_or(line.len());
        let code = if line.trim_start().starts_with('#') {
            ""
        } else {
            &line[..code_end]
        };
        for capture in VAR.captures_iter(code) {
            let Some(all) = capture.get(0) else { continue };
            if all.as_str() == "$$" {
                continue;
            }
            let (name, rest) = match (capture.get(1), capture.get(3)) {
                (Some(name), _) => (name.as_str(), capture.get(2).map_or("", |m| m.as_str())),
                (None, Some(name)) => (name.as_str(), ""),
                _ => continue,
            };
            found.push(Interpolation {
                name: name.to_string(),
                range: line_start + all.start()..line_start + all.end(),
                handled: !rest.is_empty(),
            });
        }
        line_start += line.len();
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{kind::FileKind, parse::parse};

    #[test]
    fn dockerfile_stages_ports_and_probes() {
        let text = "FROM python:3.12-slim AS base\nFROM base\nENV PORT=8080\nEXPOSE 8080\nHEALTHCHECK CMD curl -f http://localhost:8080/healthz || exit 1\nCOPY . /app\nCMD [\"uvicorn\", \"app.main:app\", \"--port\", \"${PORT}\"]\n";
        let tree = parse(FileKind::Dockerfile, text, None).unwrap();
        let facts = dockerfile(text, &tree);
        assert_eq!(facts.stages.len(), 2);
        let last = facts.final_stage().unwrap();
        assert_eq!(facts.base_of(last).tag.as_deref(), Some("3.12-slim"));
        assert_eq!(last.expose[0].0, 8080);
        let probe = last.healthcheck.as_ref().unwrap();
        assert_eq!(probe.port, Some(8080));
        assert_eq!(probe.path.as_ref().unwrap().0, "/healthz");
        assert!(last.copies_context.is_some());
        assert_eq!(facts.listen_port(), Some(8080));
    }

    /// A stage built from another inherits its `ENV`s (after
    /// awesome-compose's nginx-flask-mysql: `flask run` in a `dev-envs`
    /// stage on top of the stage that sets `FLASK_RUN_PORT`).
    #[test]
    fn a_stage_inherits_the_environment_of_the_stage_it_is_built_from() {
        let text = "FROM python:3.10-alpine AS builder\nENV FLASK_APP hello.py\nENV FLASK_RUN_PORT 8000\nEXPOSE 8000\nCMD [\"flask\", \"run\"]\n\nFROM builder AS dev-envs\nRUN apk add git\nCMD [\"flask\", \"run\"]\n";
        let tree = parse(FileKind::Dockerfile, text, None).unwrap();
        let facts = dockerfile(text, &tree);
        assert_eq!(facts.listen_port(), Some(8000));
        let other = "FROM python:3.12 AS builder\nENV FLASK_RUN_PORT=8000\nFROM python:3.12\nCMD [\"flask\", \"run\"]\n";
        let tree = parse(FileKind::Dockerfile, other, None).unwrap();
        assert_eq!(dockerfile(other, &tree).listen_port(), Some(5000));
    }

    #[test]
    fn command_ports() {
        assert_eq!(
            command_port("uvicorn app:app --host 0.0.0.0", &[]),
            Some(8000)
        );
        assert_eq!(
            command_port("gunicorn -b 0.0.0.0:9000 app:app", &[]),
            Some(9000)
        );
        assert_eq!(command_port("uvicorn app:app --port $PORT", &[]), None);
        assert_eq!(
            command_port("uvicorn app:app --port ${PORT:-7000}", &[]),
            Some(7000)
        );
        assert_eq!(
            command_port("python manage.py runserver 0.0.0.0:8001", &[]),
            Some(8001)
        );
        assert_eq!(command_port("python worker.py", &[]), None);
        assert_eq!(
            command_port("gunicorn -c gunicorn.conf.py app:app", &[]),
            None
        );
        let env = [("PORT".to_string(), "9090".to_string())];
        assert_eq!(command_port("gunicorn app:app", &env), Some(9090));
        assert_eq!(command_port("fastapi run app/main.py", &[]), Some(8000));
    }

    #[test]
    fn compose_services_and_interpolations() {
        let text = "services:\n  api:\n    build: .\n    ports:\n      - \"8080:8000\"\n    environment:\n      DATABASE_URL: ${DATABASE_URL}\n      LEVEL: ${LEVEL:-info}\n    # ${IN_COMMENT}\n    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:8000/health\"]\n    depends_on: [db]\n";
        let tree = parse(FileKind::Compose, text, None).unwrap();
        let facts = compose(text, &tree);
        let api = &facts.services[0];
        assert_eq!(api.ports[0].0, 8000);
        assert_eq!(api.environment, ["DATABASE_URL", "LEVEL"]);
        assert_eq!(api.depends_on, ["db"]);
        assert_eq!(
            api.healthcheck.as_ref().unwrap().path.as_ref().unwrap().0,
            "/health"
        );
        let names: Vec<_> = facts
            .interpolations
            .iter()
            .map(|found| (found.name.as_str(), found.handled))
            .collect();
        assert_eq!(names, [("DATABASE_URL", false), ("LEVEL", true)]);
    }
}
