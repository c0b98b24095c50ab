//! `shipshape new-rule <kind> <id>`: creates a rule that works, to edit.
//!
//! A built-in rule is one folder, `rules/<kind>/<id>/` of `shipshape-core`
//! (found upward from the working folder, or `--dir`): `rule.scm` (the
//! header, the single owner of the rule's facts, and a query) and
//! `fixture.<ext>` (one case that must fire, and an `# OK` section that must
//! not). A user rule (`--user`) is the file pair a `rule-paths` folder holds:
//! `<id>.scm`, with `kind` in its header, and its case `<id>.<ext>`; the
//! folder is the first `rule-paths` entry of the configuration of the
//! working folder (or `--dir`).
//!
//! The query and case are a small real rule for the kind, so that
//! `shipshape test-rules` passes on the result before anything is edited.
//! Existing ids (built-in, or a file already there) and malformed ids are
//! refused with a message, and nothing is written.

use std::{
    fs,
    path::{Path, PathBuf},
    process::ExitCode,
};

use shipshape_core::{FileKind, config::ConfigLoader, registry, rule::valid_rule_id};

use crate::checked::shown;

/// Where the rules of this repository live, relative to its root.
const BUILT_IN_RULES: &str = "server/shipshape-core/rules";

/// The example a new rule of a kind starts from: a query that compiles and
/// fires, its message and summary, and a case file.
struct Template {
    /// The case file's extension (`fixture.<ext>`, `<id>.<ext>`).
    extension: &'static str,
    summary: &'static str,
    message: &'static str,
    what_it_finds: &'static str,
    query: &'static str,
    /// The case: `{id}` is replaced by the rule id.
    case: &'static str,
}

fn template(kind: FileKind) -> Option<Template> {
    Some(match kind {
        FileKind::Python => Template {
            extension: "py",
            summary: "A `breakpoint()` call left in the code.",
            message: "`${name}()` stops the process and waits for a debugger that production never attaches; remove it.",
            what_it_finds: "A call of the built-in `breakpoint()`.",
            query: "((call function: (identifier) @name) @finding\n  (#eq? @name \"breakpoint\"))\n",
            case: "def charge(order):\n    # expect: {id}\n    breakpoint()\n    return order.total\n\n\n# OK: a method of the same name, and logging instead.\ndef refund(order, debugger, logger):\n    debugger.breakpoint()\n    logger.debug(\"refund %s\", order.id)\n",
        },
        FileKind::Dockerfile => Template {
            extension: "dockerfile",
            summary: "The SSH port exposed by an image.",
            message: "`EXPOSE ${finding}` publishes SSH: a service container is reached through its app port and `docker exec`, never an SSH daemon; remove it.",
            what_it_finds: "`EXPOSE 22` (or `22/tcp`).",
            query: "(expose_instruction\n  (expose_port) @finding\n  (#match? @finding \"^22(/tcp)?$\"))\n",
            case: "FROM python:3.12-slim\n# expect: {id}\nEXPOSE 22\n\n# OK: the app's port.\nEXPOSE 8000\n",
        },
        FileKind::Compose => Template {
            extension: "yaml",
            summary: "A service on the host's network.",
            message: "Service `${service}` uses the host's network: its ports bypass Docker's port mapping and it sees every host interface; publish the ports it needs instead.",
            what_it_finds: "`network_mode: host` on a service.",
            query: "(_\n  key: (_) @finding\n  (#compose-service! @finding \"service\")\n  (#compose-scalar-matches? @finding \"network_mode\" \"^host$\"))\n",
            case: "services:\n  # expect: {id}\n  api:\n    image: example/api:1.4\n    network_mode: host\n\n  # OK: published ports on the project's network.\n  worker:\n    image: example/worker:1.4\n    network_mode: bridge\n    ports:\n      - \"127.0.0.1:8000:8000\"\n",
        },
        _ => return None,
    })
}

/// The kinds `new-rule` has a template for, by name.
fn template_kinds() -> Vec<&'static str> {
    FileKind::ALL
        .into_iter()
        .filter(|kind| template(*kind).is_some())
        .map(FileKind::name)
        .collect()
}

/// The rule file: a header whose TOML comments say what each key is for,
/// and the query.
fn rule_file(id: &str, kind: FileKind, template: &Template, user: bool) -> String {
    let kind_line = if user {
        format!(";; kind = \"{}\"\n", kind.name())
    } else {
        String::new()
    };
    format!(
        ";; # The metadata of `{id}`: its one owner. The catalog, docs/rules/{id}.md and the\n\
         ;; # editor settings are generated from it. Edit every value, the query and the cases.\n\
         {kind_line};; # critical | high | medium | low: the default severity (error, warning, info, hint).\n\
         ;; priority = \"medium\"\n\
         ;; # security | reliability | performance | observability | data-safety | testing |\n\
         ;; # documentation | scalability: the report category.\n\
         ;; category = \"reliability\"\n\
         ;; summary = \"{summary}\"\n\
         ;; # What is wrong and what to do; `${{capture}}` inserts a capture's text.\n\
         ;; message = \"{message}\"\n\
         ;; docs = \"\"\"\n\
         ;; ## What it finds\n\
         ;; {what_it_finds}\n\
         ;;\n\
         ;; ## Why it matters in production\n\
         ;; Say what goes wrong in production.\n\
         ;;\n\
         ;; ## Example\n\
         ;; Code that fires: the case file's first section.\n\
         ;;\n\
         ;; ## Fix\n\
         ;; What to write instead; a `[fix]` table below makes it a quick fix.\n\
         ;; \"\"\"\n\
         {query}",
        summary = template.summary.replace('"', "\\\""),
        message = template.message.replace('"', "\\\""),
        what_it_finds = template.what_it_finds,
        query = template.query,
    )
}

/// What `new-rule` was asked for.
pub struct NewRule<'a> {
    pub kind: &'a str,
    pub id: &'a str,
    pub user: bool,
    pub dir: Option<&'a Path>,
}

pub fn run(request: &NewRule<'_>) -> ExitCode {
    match create(request) {
        Ok(created) => {
            for path in &created {
                println!("created {}", shown(path));
            }
            print_next_steps(request, &created);
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("shipshape new-rule: {message}");
            ExitCode::from(2)
        }
    }
}

fn print_next_steps(request: &NewRule<'_>, created: &[PathBuf]) {
    let rule = created.first().map(|path| shown(path)).unwrap_or_default();
    if request.user {
        println!(
            "\nEdit the header, the query and the cases, then run\n  shipshape test-rules {rule}\n\
             `shipshape check` reports it in every project whose configuration names its folder in `rule-paths`."
        );
    } else {
        let folder = created
            .first()
            .and_then(|path| path.parent())
            .map(shown)
            .unwrap_or_default();
        println!(
            "\nEdit the header, the query and the cases (a hook in server/shipshape-core/src/hooks/ only \
             where a query cannot say it), then run\n  \
             cargo build && shipshape test-rules {folder}\n  \
             UPDATE_DOCS=1 cargo test -p shipshape-tests --test tidy      # catalog, docs/rules/{id}.md, editor settings\n  \
             INSTA_UPDATE=always cargo test -p shipshape-tests --test fixtures   # then review snapshots/",
            id = request.id
        );
    }
}

/// Writes the rule's files and returns their paths (the rule file first).
fn create(request: &NewRule<'_>) -> Result<Vec<PathBuf>, String> {
    let id = request.id;
    if !valid_rule_id(id) {
        return Err(format!(
            "`{id}` is not a rule id: lower-case letters and digits in words joined by single `-`, starting with a letter (`no-breakpoint`)"
        ));
    }
    let kind = match request.kind {
        "project" => {
            return Err(
                "a project rule is a folder with a hook in server/shipshape-core/src/hooks/project.rs; \
                 new-rule makes file rules (copy a folder of rules/project/ to start one)"
                    .into(),
            );
        }
        "meta" => {
            return Err(
                "meta rules are reported by shipshape itself; new-rule makes file rules".into(),
            );
        }
        name => FileKind::from_name(name).ok_or_else(|| {
            format!(
                "no file kind `{name}`; new-rule makes rules of: {}",
                template_kinds().join(", ")
            )
        })?,
    };
    let template = template(kind).ok_or_else(|| {
        format!(
            "new-rule has no template for `{}` rules yet; it makes rules of: {}",
            kind.name(),
            template_kinds().join(", ")
        )
    })?;
    if let Some(rule) = registry().get(id) {
        return Err(format!(
            "`{id}` is a built-in rule already ({}/{id}); choose another id",
            rule.target.name()
        ));
    }
    let case = template.case.replace("{id}", id);
    let files = if request.user {
        let folder = match request.dir {
            Some(dir) => dir.to_path_buf(),
            None => user_rule_folder()?,
        };
        let rule = folder.join(format!("{id}.scm"));
        let case_path = folder.join(format!("{id}.{}", template.extension));
        for path in [&rule, &case_path] {
            if path.exists() {
                return Err(format!("{} exists already; choose another id", shown(path)));
            }
        }
        fs::create_dir_all(&folder)
            .map_err(|error| format!("cannot create {}: {error}", shown(&folder)))?;
        vec![
            (rule, rule_file(id, kind, &template, true)),
            (case_path, case),
        ]
    } else {
        let root = match request.dir {
            Some(dir) => dir.to_path_buf(),
            None => built_in_rules_folder()?,
        };
        if let Some(other) = folder_with_id(&root, id) {
            return Err(format!(
                "{} exists already; choose another id",
                shown(&other)
            ));
        }
        let folder = root.join(kind.name()).join(id);
        fs::create_dir_all(&folder)
            .map_err(|error| format!("cannot create {}: {error}", shown(&folder)))?;
        vec![
            (
                folder.join("rule.scm"),
                rule_file(id, kind, &template, false),
            ),
            (folder.join(format!("fixture.{}", template.extension)), case),
        ]
    };
    let mut created = Vec::new();
    for (path, text) in files {
        // `create_new`: a file that appeared meanwhile is never overwritten.
        let written = fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .and_then(|mut file| std::io::Write::write_all(&mut file, text.as_bytes()));
        if let Err(error) = written {
            return Err(format!("cannot write {}: {error}", shown(&path)));
        }
        created.push(path);
    }
    Ok(created)
}

/// A folder `<kind>/<id>` under the built-in rules folder, of any kind.
fn folder_with_id(root: &Path, id: &str) -> Option<PathBuf> {
    fs::read_dir(root)
        .ok()?
        .flatten()
        .map(|kind| kind.path().join(id))
        .find(|folder| folder.exists())
}

/// `server/shipshape-core/rules` of the repository the working folder is in.
fn built_in_rules_folder() -> Result<PathBuf, String> {
    let here = std::env::current_dir().map_err(|error| error.to_string())?;
    for dir in here.ancestors() {
        let rules = dir.join(BUILT_IN_RULES);
        if rules.is_dir() {
            return Ok(rules);
        }
        // Inside the rules folder itself (`rules/` or `rules/python/`).
        if dir.file_name().is_some_and(|name| name == "rules")
            && dir.parent().is_some_and(|crate_dir| {
                crate_dir
                    .file_name()
                    .is_some_and(|name| name == "shipshape-core")
            })
        {
            return Ok(dir.to_path_buf());
        }
    }
    Err(format!(
        "not inside the shipshape repository (no {BUILT_IN_RULES} above {}): run it there, pass `--dir <rules folder>`, or make a user rule with `--user`",
        here.display()
    ))
}

/// The first `rule-paths` folder of the configuration of the working folder.
fn user_rule_folder() -> Result<PathBuf, String> {
    let here = std::env::current_dir().map_err(|error| error.to_string())?;
    let loader = ConfigLoader::new();
    let config = loader.nearest(&here).ok_or_else(|| {
        format!(
            "no configuration (`shipshape.toml` or `[tool.shipshape]` in `pyproject.toml`) at or above {}: add `rule-paths = [\"rules\"]` to one, or pass `--dir <folder>`",
            here.display()
        )
    })?;
    let base = config.path.parent().unwrap_or(Path::new("."));
    let folder = config
        .layer
        .as_ref()
        .and_then(|layer| layer.rule_paths.first())
        .ok_or_else(|| {
            format!(
                "{} has no `rule-paths`: add `rule-paths = [\"rules\"]` to it, or pass `--dir <folder>`",
                shown(&config.path)
            )
        })?;
    Ok(base.join(folder))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shipshape_core::rule::Target;

    /// Each template's built-in form loads as a rule with no errors (the
    /// user form is run end to end by tests/e2e/new_rule.rs).
    #[test]
    fn every_template_is_a_rule_that_loads() {
        for kind in FileKind::ALL {
            let Some(template) = template(kind) else {
                continue;
            };
            let source: &'static str =
                Box::leak(rule_file("new-example", kind, &template, false).into_boxed_str());
            let registry =
                shipshape_core::registry::Registry::load(&[(kind.name(), "new-example", source)]);
            let errors: Vec<String> = registry.errors().iter().map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", kind.name());
            assert_eq!(registry.rules[0].target, Target::File(kind));
            assert!(registry.query_for(kind).is_some());
        }
    }
}
