//! Hooks of the compose rules. Each rule looks at the whole file through
//! the [`Compose`] model (services with `<<` merge keys resolved) and edits
//! YAML at the indentation the file already uses, leaving comments and
//! anchors alone; values that come from an anchor are not edited in place.

use tree_sitter::Node;

use super::HookFn;
use crate::rule::{RuleId, ids};
use crate::{
    check::{Captures, Emit, HookCx},
    compose::{Compose, Value, is_override_or_dev_path, last_char_start},
    fix::{line_start, next_line_start},
    text::TextEdit,
};

pub static HOOKS: &[(RuleId, HookFn)] = &[(ids::COMPOSE_RELOAD, reload)];

fn model<'c, 'a>(cx: &'c HookCx<'a>) -> Option<&'c Compose<'a>> {
    cx.compose()
}

fn emit(cx: &HookCx<'_>, node: Node<'_>, message: String, edits: Option<Vec<TextEdit>>) -> Emit {
    Emit {
        range: node.byte_range(),
        message,
        fix: edits.and_then(|edits| cx.fix(edits)),
    }
}

// ----------------------------------------------------------------------

/// `(start, end)` byte offsets of blank-separated tokens of `raw`.
fn tokens(raw: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (index, c) in raw.char_indices() {
        if c.is_whitespace() {
            if let Some(begin) = start.take() {
                out.push((begin, index));
            }
        } else if start.is_none() {
            start = Some(index);
        }
    }
    if let Some(begin) = start {
        out.push((begin, raw.len()));
    }
    out
}

fn clean(token: &str) -> &str {
    token.trim_matches(|c| matches!(c, '"' | '\'' | ',' | '[' | ']'))
}

/// The dev-server flags in a list of words: (index, words it spans).
fn dev_flags(words: &[&str]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut server = None;
    for (index, word) in words.iter().enumerate() {
        let name = word.rsplit('/').next().unwrap_or(word);
        if matches!(
            name,
            "uvicorn" | "gunicorn" | "hypercorn" | "granian" | "flask" | "fastapi"
        ) {
            server = Some(name);
            continue;
        }
        let Some(server) = server else { continue };
        let takes_value = matches!(
            *word,
            "--reload-dir"
                | "--reload-include"
                | "--reload-exclude"
                | "--reload-delay"
                | "--reload-engine"
                | "--reload-extra-file"
                | "--reload-paths"
        );
        if *word == "--reload" || word.starts_with("--reload-") || word.starts_with("--reload=") {
            out.push((index, if takes_value { 2 } else { 1 }));
        } else if server == "flask" && matches!(*word, "--debug" | "--debugger") {
            out.push((index, 1));
        }
    }
    out
}

/// Deletes dev flags from inside one scalar (`"uvicorn app --reload"`).
fn scalar_flag_edits(text: &str, node: Node<'_>) -> (Vec<TextEdit>, Option<String>) {
    let raw = &text[node.byte_range()];
    let spans = tokens(raw);
    let words: Vec<&str> = spans
        .iter()
        .map(|&(start, end)| clean(&raw[start..end]))
        .collect();
    let mut edits = Vec::new();
    let mut first = None;
    for (index, count) in dev_flags(&words) {
        first.get_or_insert_with(|| words[index].to_string());
        let last = (index + count - 1).min(spans.len() - 1);
        let (start, _) = spans[index];
        // Keep a closing quote glued to the last word.
        let (last_start, last_end) = spans[last];
        let end = last_start
            + raw[last_start..last_end]
                .trim_end_matches(['"', '\''])
                .len();
        let from = raw[..start].trim_end().len();
        edits.push(TextEdit::delete(
            node.start_byte() + from..node.start_byte() + end,
        ));
    }
    (edits, first)
}

fn reload(cx: &HookCx<'_>, _: &Captures<'_>, out: &mut Vec<Emit>) {
    if is_override_or_dev_path(cx.file.path) {
        return;
    }
    let Some(compose) = model(cx) else { return };
    let text = cx.file.text;
    for service in &compose.services {
        if service.get("develop").is_some() {
            continue;
        }
        for key in ["command", "entrypoint"] {
            let Some(pair) = service.map.pair(key) else {
                continue;
            };
            let Some(value) = &pair.value else { continue };
            let (edits, flag, at) = match value {
                Value::Scalar(scalar) => {
                    let (edits, flag) = scalar_flag_edits(text, scalar.node);
                    (edits, flag, scalar.node)
                }
                Value::Seq(seq) => {
                    let items: Vec<(&str, Node<'_>)> = seq
                        .items
                        .iter()
                        .filter_map(|item| Some((item.as_str()?, item.node())))
                        .collect();
                    let words: Vec<&str> = items.iter().map(|(word, _)| *word).collect();
                    let flags = dev_flags(&words);
                    if !flags.is_empty() {
                        let mut edits = Vec::new();
                        for &(index, count) in &flags {
                            for offset in 0..count {
                                let Some((_, node)) = items.get(index + offset) else {
                                    continue;
                                };
                                edits.push(delete_item(
                                    text,
                                    *node,
                                    seq.node.kind() == "flow_sequence",
                                ));
                            }
                        }
                        let (index, _) = flags[0];
                        (edits, Some(words[index].to_string()), items[index].1)
                    } else {
                        // `["sh", "-c", "uvicorn app --reload"]`.
                        let Some((edits, flag, node)) = items.iter().find_map(|(_, node)| {
                            let (edits, flag) = scalar_flag_edits(text, *node);
                            Some((edits, flag?, *node))
                        }) else {
                            continue;
                        };
                        (edits, Some(flag), node)
                    }
                }
                Value::Map(_) => continue,
            };
            let Some(flag) = flag else { continue };
            let edits = (!pair.merged).then_some(edits);
            let message = cx
                .message(&Captures::empty())
                .replace("${flag}", &flag)
                .replace("${service}", &service.name);
            out.push(emit(cx, at, message, edits));
        }
    }
}

/// Deletes a sequence item: its line in a block sequence, or the item and
/// the comma before it in a flow sequence.
fn delete_item(text: &str, node: Node<'_>, flow: bool) -> TextEdit {
    if flow {
        let before = text[..node.start_byte()].trim_end();
        let start = if before.ends_with(',') {
            before.len() - 1
        } else {
            node.start_byte()
        };
        return TextEdit::delete(start..node.end_byte());
    }
    let item = node
        .parent()
        .filter(|parent| parent.kind() == "block_sequence_item")
        .unwrap_or(node);
    let start = line_start(text, item.start_byte());
    let end = next_line_start(
        text,
        last_char_start(text, item.end_byte()).max(item.start_byte()),
    );
    TextEdit::delete(start..end)
}

// ----------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use std::fs;

    use crate::{check::check_text, kind::FileKind, project::ProjectContext, rule::ids};

    /// A service built from a Dockerfile that declares a `HEALTHCHECK` has
    /// one, so it needs none in compose, and dependants may wait for it.
    #[test]
    fn the_built_dockerfile_healthcheck_counts() {
        let dir = std::env::temp_dir().join(format!("shipshape-compose-hc-{}", std::process::id()));
        fs::create_dir_all(dir.join("api")).unwrap();
        fs::write(
            dir.join("api/Dockerfile"),
            "FROM python:3.12-slim\nHEALTHCHECK CMD python -c \"import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/health')\"\n",
        )
        .unwrap();
        let compose = "services:\n  api:\n    build: ./api\n    restart: unless-stopped\n    mem_limit: 512m\n  web:\n    build:\n      context: .\n      dockerfile: web.Dockerfile\n    restart: unless-stopped\n    mem_limit: 512m\n    depends_on:\n      - api\n";
        let path = dir.join("compose.yaml");
        let findings = check_text(
            &path,
            FileKind::Compose,
            compose,
            &ProjectContext::default(),
        );
        let rules: Vec<(&str, usize)> = findings
            .iter()
            .map(|finding| {
                (
                    finding.rule.id,
                    compose[..finding.range.start].matches('\n').count() + 1,
                )
            })
            .collect();
        fs::remove_dir_all(&dir).ok();
        // `web` has no readable Dockerfile: reported; `api` is not, and
        // `web` should wait for it to be healthy.
        assert_eq!(
            rules,
            vec![
                ("compose-no-healthcheck", 6),
                ("compose-depends-on-not-healthy", 13)
            ]
        );
    }

    fn depends_on_findings(dir: &std::path::Path, compose: &str) -> Vec<usize> {
        check_text(
            &dir.join("compose.yaml"),
            FileKind::Compose,
            compose,
            &ProjectContext::default(),
        )
        .iter()
        .filter(|finding| finding.rule.is(ids::COMPOSE_DEPENDS_ON_NOT_HEALTHY))
        .map(|finding| compose[..finding.range.start].matches('\n').count() + 1)
        .collect()
    }

    /// A dependency defined in an included file (short and long `include`
    /// syntax, nested includes) is judged by its own healthcheck; one
    /// without a healthcheck, an unreadable include and an include cycle
    /// report nothing.
    #[test]
    fn services_of_included_files_are_resolved() {
        let dir =
            std::env::temp_dir().join(format!("shipshape-compose-include-{}", std::process::id()));
        fs::create_dir_all(dir.join("db")).unwrap();
        fs::write(
            dir.join("db/compose.yaml"),
            "include:\n  - ../cache.yaml\nservices:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n",
        )
        .unwrap();
        // Includes the file that includes it: a cycle.
        fs::write(
            dir.join("cache.yaml"),
            "include:\n  - db/compose.yaml\nservices:\n  cache:\n    image: redis:7\n  queue:\n    image: rabbitmq:3\n    healthcheck:\n      test: [\"CMD\", \"rabbitmq-diagnostics\", \"ping\"]\n",
        )
        .unwrap();
        let short = "include:\n  - db/compose.yaml\nservices:\n  api:\n    image: api:1.0\n    depends_on:\n      - db\n      - cache\n      - queue\n      - missing\n";
        let long = "include:\n  - path:\n      - db/compose.yaml\n    project_directory: db\n  - path: ${OTHER}/compose.yaml\n  - path: nowhere/compose.yaml\nservices:\n  api:\n    image: api:1.0\n    depends_on:\n      - db\n      - cache\n";
        let none = "services:\n  api:\n    image: api:1.0\n    depends_on:\n      - db\n";
        let results = (
            depends_on_findings(&dir, short),
            depends_on_findings(&dir, long),
            depends_on_findings(&dir, none),
        );
        fs::remove_dir_all(&dir).ok();
        // `db` (included) and `queue` (included by the included file) have
        // healthchecks; `cache` has none; `missing` is defined nowhere.
        assert_eq!(results, (vec![7, 9], vec![11], vec![]));
    }
}
