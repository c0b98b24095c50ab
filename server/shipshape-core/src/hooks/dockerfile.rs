//! Hooks of the Dockerfile rules. The queries pick instructions; these
//! functions read them through the [`Dockerfile`] model (stages, the final
//! image, shell words) and build fixes that keep line continuations.

use tree_sitter::Node;

use super::HookFn;
use crate::rule::{RuleId, ids};
use crate::{
    check::{Captures, Emit, HookCx},
    compose::last_char_start,
    dockerfile::{
        Command, Distro, Dockerfile, Instruction, Word, distro_of, exec_form,
        image_runs_unprivileged,
    },
    fix::{line_break, line_start, next_line_start},
    text::TextEdit,
};

pub static HOOKS: &[(RuleId, HookFn)] = &[
    (ids::DOCKERFILE_RUNS_AS_ROOT, runs_as_root),
    (ids::DOCKERFILE_RELOAD_IN_CMD, reload_in_cmd),
    (ids::DOCKERFILE_DJANGO_RUNSERVER, django_runserver),
];

fn model<'c, 'a>(cx: &'c HookCx<'a>) -> Option<&'c Dockerfile<'a>> {
    cx.dockerfile()
}

/// The instruction a query captured as `@instruction`, unless it sits in
/// `ONBUILD` (it runs in another build) or is `HEALTHCHECK CMD`.
fn captured<'t>(captures: &Captures<'t>) -> Option<Node<'t>> {
    let node = captures.get("instruction")?;
    let parent = node.parent()?;
    if matches!(
        parent.kind(),
        "onbuild_instruction" | "healthcheck_instruction"
    ) {
        return None;
    }
    Some(node)
}

fn emit(
    cx: &HookCx<'_>,
    range: std::ops::Range<usize>,
    message: String,
    edits: Option<Vec<TextEdit>>,
) -> Emit {
    Emit {
        range,
        message,
        fix: edits.and_then(|edits| cx.fix(edits)),
    }
}

/// Stages meant for development, where dev servers and tools are the point.
fn dev_stage(model: &Dockerfile<'_>, stage: Option<usize>) -> bool {
    stage
        .and_then(|stage| model.stages.get(stage))
        .and_then(|stage| stage.name.as_deref())
        .is_some_and(crate::dockerfile::development_name)
}

/// Official images whose entrypoint starts the server as an unprivileged
/// user (`gosu postgres ...`), as long as the Dockerfile keeps it.
fn base_entrypoint_drops_privileges(base: &str) -> bool {
    let (name, _) = crate::compose::split_tag(base.split('@').next().unwrap_or(base));
    let name = name
        .trim_start_matches("docker.io/")
        .trim_start_matches("library/");
    matches!(
        name,
        "postgres"
            | "mysql"
            | "mariadb"
            | "mongo"
            | "redis"
            | "rabbitmq"
            | "memcached"
            | "cassandra"
            | "couchdb"
            | "neo4j"
            | "elasticsearch"
            | "valkey/valkey"
            | "postgis/postgis"
            | "pgvector/pgvector"
            | "timescale/timescaledb"
    )
}

fn runs<'t>(
    model: &Dockerfile<'t>,
    instructions: &[Instruction<'t>],
) -> Vec<(Instruction<'t>, Vec<Command>)> {
    instructions
        .iter()
        .filter(|instruction| instruction.kind() == "run_instruction")
        .map(|instruction| (*instruction, model.commands(instruction.node)))
        .collect()
}

// ----------------------------------------------------------------------
// Users

const ROOT_NAMES: [&str; 2] = ["root", "0"];

fn user_of(model: &Dockerfile<'_>, instruction: Node<'_>) -> Option<String> {
    let user = instruction.child_by_field_name("user")?;
    Some(model.text_of(user).to_string())
}

/// Whether the file drops privileges at run time (`gosu`, `su-exec`, ...).
fn drops_privileges(text: &str) -> bool {
    [
        "gosu",
        "su-exec",
        "setpriv",
        "runuser",
        "chpst -u",
        "s6-setuidgid",
        "--user=",
    ]
    .iter()
    .any(|tool| text.contains(tool))
}

/// The name of a user the file creates (`useradd ... app`, `adduser ... app`).
fn created_user(model: &Dockerfile<'_>, instructions: &[Instruction<'_>]) -> Option<String> {
    const VALUE_FLAGS: [&str; 24] = [
        "-u",
        "-g",
        "-G",
        "-s",
        "-d",
        "-c",
        "-k",
        "-e",
        "-f",
        "-K",
        "-p",
        "-b",
        "-h",
        "--uid",
        "--gid",
        "--groups",
        "--shell",
        "--home-dir",
        "--home",
        "--comment",
        "--ingroup",
        "--gecos",
        "--key",
        "--base-dir",
    ];
    let mut found = None;
    for (_, commands) in runs(model, instructions) {
        for command in commands {
            let Some(program) = command.program() else {
                continue;
            };
            if program != "useradd" && program != "adduser" {
                continue;
            }
            let words = command.effective();
            let mut index = 1;
            let mut last = None;
            while let Some(word) = words.get(index) {
                if word.value.starts_with('-') {
                    if VALUE_FLAGS.contains(&word.value.as_str()) {
                        index += 1;
                    }
                } else {
                    last = Some(word.value.clone());
                }
                index += 1;
            }
            let valid = |name: &String| {
                name.chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            };
            if let Some(name) = last.filter(valid) {
                found = Some(name);
            }
        }
    }
    found
}

fn runs_as_root(cx: &HookCx<'_>, _: &Captures<'_>, out: &mut Vec<Emit>) {
    let Some(model) = model(cx) else { return };
    let Some(last) = model.deployed_stage() else {
        return;
    };
    let base = model.base_image(last);
    // A test runner's image (Playwright, CI) is not deployed.
    if crate::dockerfile::test_image(cx.file.path, &base) {
        return;
    }
    let instructions = model.image_instructions(last);
    let own_entrypoint = instructions
        .iter()
        .any(|instruction| instruction.kind() == "entrypoint_instruction");
    if image_runs_unprivileged(&base)
        || drops_privileges(cx.file.text)
        || (!own_entrypoint && base_entrypoint_drops_privileges(&base))
    {
        return;
    }
    let users: Vec<(Node<'_>, String)> = instructions
        .iter()
        .filter(|instruction| instruction.kind() == "user_instruction")
        .filter_map(|instruction| Some((instruction.node, user_of(model, instruction.node)?)))
        .collect();
    let last_user = users.last();
    if let Some((_, user)) = last_user
        && !ROOT_NAMES.contains(&user.as_str())
    {
        return;
    }
    let range = match last_user {
        Some((node, _)) => node.byte_range(),
        None => model.stages[last].from.byte_range(),
    };
    let earlier_user = users
        .iter()
        .rev()
        .map(|(_, user)| user)
        .find(|user| !ROOT_NAMES.contains(&user.as_str()))
        .cloned();
    let edits = user_fix(model, last, &base, &instructions, earlier_user);
    let message = match last_user {
        Some(_) => "The final stage switches back to `root` and runs the app as root; switch to an unprivileged user before `CMD`/`ENTRYPOINT`.".to_string(),
        None => cx.message(&Captures::empty()),
    };
    out.push(emit(cx, range, message, edits));
}

/// Creates an unprivileged user (Debian or Alpine syntax, by base image)
/// and switches to it before the final stage's first `CMD`/`ENTRYPOINT`.
fn user_fix(
    model: &Dockerfile<'_>,
    stage: usize,
    base: &str,
    instructions: &[Instruction<'_>],
    existing: Option<String>,
) -> Option<Vec<TextEdit>> {
    // Stages built `FROM` this one would inherit the user and their root
    // steps (`apt-get install`) would fail: leave that to a person.
    if model.stages.iter().any(|other| other.parent == Some(stage)) {
        return None;
    }
    let text = model.text;
    let newline = line_break(text);
    let range = model.stages[stage].instructions.clone();
    let at = model.instructions[range.clone()]
        .iter()
        .find(|instruction| {
            matches!(
                instruction.kind(),
                "cmd_instruction" | "entrypoint_instruction"
            )
        })
        .map(|instruction| line_start(text, instruction.node.start_byte()));
    let (at, lead) = match at {
        Some(at) => (at, ""),
        None => {
            let end = model
                .instructions
                .get(range.end.checked_sub(1)?)?
                .node
                .end_byte();
            let at = next_line_start(text, last_char_start(text, end));
            // An instruction left open by a trailing line continuation
            // would swallow the appended lines: leave that to a person.
            if text[..at]
                .trim_end_matches(['\n', '\r'])
                .ends_with(model.escape)
            {
                return None;
            }
            (
                at,
                if at == text.len() && !text.ends_with('\n') {
                    newline
                } else {
                    ""
                },
            )
        }
    };
    let user = existing.or_else(|| created_user(model, instructions));
    let lines = match user {
        Some(user) => format!("USER {user}"),
        None if base.starts_with("node") || base.contains("/node:") => "USER node".to_string(),
        None => match distro_of(base) {
            Distro::Debian => format!(
                "RUN groupadd --system app && useradd --system --gid app --no-create-home --shell /usr/sbin/nologin app{newline}USER app"
            ),
            Distro::Alpine => {
                format!("RUN addgroup -S app && adduser -S -G app -H app{newline}USER app")
            }
            Distro::NoShell if base.contains("distroless") => "USER 65532:65532".to_string(),
            Distro::NoShell => "USER 65534:65534".to_string(),
        },
    };
    Some(vec![TextEdit::insert(
        at,
        format!("{lead}{lines}{newline}"),
    )])
}

// ----------------------------------------------------------------------
// CMD / ENTRYPOINT

/// The dev-server flags of a command and what to delete for each.
fn reload_flags(words: &[Word]) -> Vec<(usize, usize)> {
    // (index of the flag, number of words it spans)
    let mut out = Vec::new();
    let mut server = None::<&str>;
    for (index, word) in words.iter().enumerate() {
        let name = word.value.rsplit('/').next().unwrap_or(&word.value);
        if matches!(
            name,
            "uvicorn" | "gunicorn" | "hypercorn" | "granian" | "flask" | "fastapi"
        ) {
            server = Some(match name {
                "flask" => "flask",
                "fastapi" => "fastapi",
                _ => "asgi",
            });
            continue;
        }
        let Some(server) = server else { continue };
        let value = word.value.as_str();
        let takes_value = matches!(
            value,
            "--reload-dir"
                | "--reload-include"
                | "--reload-exclude"
                | "--reload-delay"
                | "--reload-engine"
                | "--reload-extra-file"
                | "--reload-paths"
        );
        if value == "--reload" || value.starts_with("--reload-") || value.starts_with("--reload=") {
            out.push((index, if takes_value { 2 } else { 1 }));
        } else if (server == "flask" && matches!(value, "--debug" | "--debugger"))
            || (server == "fastapi"
                && value == "dev"
                && index > 0
                && words[index - 1].value.ends_with("fastapi"))
        {
            out.push((index, 1));
        }
    }
    out
}

fn reload_in_cmd(cx: &HookCx<'_>, captures: &Captures<'_>, out: &mut Vec<Emit>) {
    let Some(instruction) = captured(captures) else {
        return;
    };
    let Some(model) = model(cx) else { return };
    let stage = model.stage_at(instruction.start_byte());
    if crate::dockerfile::development_file(cx.file.path) || dev_stage(model, stage) {
        return;
    }
    let words = model.instruction_words(instruction);
    let flags = reload_flags(&words);
    let Some(&(first, _)) = flags.first() else {
        return;
    };
    let array = cx
        .named_children(instruction)
        .into_iter()
        .find(|child| child.kind() == "json_string_array");
    let elements: Vec<std::ops::Range<usize>> = array
        .map(|array| {
            exec_form(array, model.text)
                .into_iter()
                .map(|word| word.range)
                .collect()
        })
        .unwrap_or_default();
    let mut edits = Vec::new();
    for &(index, count) in &flags {
        let word = &words[index];
        if word.value == "dev" {
            // `fastapi dev` -> `fastapi run`.
            let raw = &model.text[word.range.clone()];
            edits.push(TextEdit::replace(
                word.range.clone(),
                raw.replacen("dev", "run", 1),
            ));
            continue;
        }
        let last = &words[(index + count - 1).min(words.len() - 1)];
        let previous_end = if index > 0 {
            words[index - 1].range.end
        } else {
            word.range.start
        };
        if array.is_some() && !elements.contains(&word.range) {
            // A flag inside `sh -c "..."`: delete it with the blanks before it.
            let start = model.text[..word.range.start]
                .trim_end_matches([' ', '\t'])
                .len();
            edits.push(TextEdit::delete(start..last.range.end));
        } else {
            // Shell words or JSON elements: from the end of the previous one.
            edits.push(TextEdit::delete(previous_end..last.range.end));
        }
    }
    let flag = match words[first].value.as_str() {
        "dev" => "fastapi dev".to_string(),
        other => other.to_string(),
    };
    let message = cx.message(captures).replace("${flag}", &flag);
    out.push(emit(cx, words[first].range.clone(), message, Some(edits)));
}

/// Django's development server in the command: a `runserver` (or
/// django-extensions' `runserver_plus`) word of the instruction, in exec
/// form, shell form or inside `sh -c "..."`; reported at that word.
fn django_runserver(cx: &HookCx<'_>, captures: &Captures<'_>, out: &mut Vec<Emit>) {
    let Some(instruction) = captured(captures) else {
        return;
    };
    let Some(model) = model(cx) else { return };
    let words = model.instruction_words(instruction);
    let Some(word) = words
        .iter()
        .find(|word| matches!(word.value.as_str(), "runserver" | "runserver_plus"))
    else {
        return;
    };
    out.push(emit(cx, word.range.clone(), cx.message(captures), None));
}
