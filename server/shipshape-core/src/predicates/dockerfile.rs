//! Predicates for Dockerfile rules, over the file's
//! [`Dockerfile`](crate::dockerfile::Dockerfile) model: which stage an
//! instruction belongs to and whether it ends up in the deployed image,
//! what the file's `RUN`s configure, and the shell commands of a `RUN`,
//! `CMD` or `ENTRYPOINT` and their words.
//!
//! A rule matches an instruction (`(run_instruction) @instruction`) and
//! says `(#docker-command! @instruction "command")`: a per-occurrence
//! binding, so each shell command of the instruction continues the match
//! on its own (and becomes its own finding). The word predicates then take
//! the name of a binding inside a command (`"command"`, or a word such as
//! the bound `install`) and look at that command's words, in the
//! instruction the pattern captured.

use std::ops::Range;

use tree_sitter::Node;

use super::def::{Arg, Param, PredicateDef, node, regex, text, texts};
use crate::{
    check::{Captures, HookCx},
    compose::last_char_start,
    compose::split_tag,
    dockerfile::{
        Command, Dockerfile, Instruction, Separator, Stage, Word, cache_mount_targets,
        development_file, exec_form, literal_secret_value, needs_shell, pair_value_range, param,
        unquote,
    },
    fix::{line_start, next_line_start},
    kind::FileKind,
};

const DOCKERFILE: &[FileKind] = &[FileKind::Dockerfile];

pub static PREDICATES: &[PredicateDef] = &[
    PredicateDef {
        name: "docker-in-deployed-image",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture],
        doc: "the instruction belongs to a stage whose layers end up in the deployed image: the last stage that is not a development target (`dev`, `test`, `debug`, ... in its name) and the stages it is built `FROM`",
        eval: docker_in_deployed_image,
    },
    PredicateDef {
        name: "docker-run-contains",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Texts],
        doc: "some `RUN` of the file (outside `ONBUILD`) contains every one of these strings (file-wide settings such as apt configuration written to `apt.conf`)",
        eval: docker_run_contains,
    },
    PredicateDef {
        name: "docker-cache-mount",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Regex],
        doc: "the `RUN` has a `--mount=type=cache` whose target matches the regular expression (`\"\"` for any target)",
        eval: docker_cache_mount,
    },
    PredicateDef {
        name: "docker-variable-set",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Text],
        doc: "the variable is set for the instruction: `ENV NAME` earlier in its stage's image (through `FROM` of earlier stages), or `ARG NAME=default` in it (names compare without case)",
        eval: docker_variable_set,
    },
    PredicateDef {
        name: "docker-command",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Text],
        doc: "per occurrence: each simple command of a `RUN`/`CMD`/`ENTRYPOINT` in shell form or a `RUN` heredoc (split at `&&`, `||`, `;`, `|`, `&` and parentheses; line continuations and comment lines removed); binds its words, first to last, to the name given last, and each command continues the match on its own",
        eval: docker_command,
    },
    PredicateDef {
        name: "docker-program",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Regex, Param::Text],
        doc: "the command holding the binding NAME runs a program whose name (the basename of its first word after `VAR=value` assignments, reserved words and wrappers such as `sudo -H`, `env`, `exec`) matches the regular expression; binds that word",
        eval: docker_program,
    },
    PredicateDef {
        name: "docker-command-name",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Regex, Param::Text],
        doc: "the first word of the command holding the binding NAME that is quoted or has no `=` (the command as written, before wrappers such as `sudo`) matches the regular expression (quotes removed); binds that word",
        eval: docker_command_name,
    },
    PredicateDef {
        name: "docker-subcommand",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Text, Param::Text],
        doc: "the first word after the program of the command holding the binding NAME that is not an option (`-...`) is the given text (`apt-get -q install`); binds that word",
        eval: docker_subcommand,
    },
    PredicateDef {
        name: "docker-pip-install",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Text],
        doc: "the command holding the binding NAME is a `pip install` in any spelling (`pip`, `pip3`, `pip3.12`, `python -m pip`, global options before `install`); binds the `install` word",
        eval: docker_pip_install,
    },
    PredicateDef {
        name: "docker-pip-unpinned",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Text],
        doc: "per occurrence: each argument of the `pip install` whose `install` word is bound to NAME that names a package without a version (not an option or an option's value, not a path, URL, archive, variable or version spec, not `pip`/`setuptools`/`wheel`); binds the argument, standing for the package name without extras in messages",
        eval: docker_pip_unpinned,
    },
    PredicateDef {
        name: "docker-word",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Regex],
        doc: "a word (quotes removed) of the command holding the binding NAME, from that binding on, matches the regular expression (bind the command for all its words, a word such as `install` for the words from it on)",
        eval: docker_word,
    },
    PredicateDef {
        name: "docker-piped",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Text],
        doc: "the command holding the binding NAME reads a pipe (`... | command`)",
        eval: docker_piped,
    },
    PredicateDef {
        name: "docker-first-command",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Text],
        doc: "the first simple command of a `RUN`/`CMD`/`ENTRYPOINT` in shell form or a `RUN` heredoc; binds its words, first to last",
        eval: docker_first_command,
    },
    PredicateDef {
        name: "docker-single-command",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture],
        doc: "the instruction's shell text (shell form or heredoc) is exactly one simple command",
        eval: docker_single_command,
    },
    PredicateDef {
        name: "docker-in-subshell",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Text],
        doc: "the command holding the binding NAME runs in a subshell (`( ... )`)",
        eval: docker_in_subshell,
    },
    PredicateDef {
        name: "docker-argument",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Text, Param::Text],
        doc: "binds word N (`\"1\"`; 0 is the first word as written, assignments included) of the command holding the binding NAME, standing for its value without quotes; a command with fewer words binds an empty range at its end, standing for an empty word (as the shell's `$1`)",
        eval: docker_argument,
    },
    PredicateDef {
        name: "docker-word-matches",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Regex],
        doc: "the word bound to NAME (its value without quotes) matches the regular expression",
        eval: docker_word_matches,
    },
    PredicateDef {
        name: "docker-param",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Texts],
        doc: "the instruction has one of these flags (`--from`, `--checksum=...`; names without `--`)",
        eval: docker_param,
    },
    PredicateDef {
        name: "docker-keyword",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Text],
        doc: "binds the instruction's keyword (`ADD`, as written)",
        eval: docker_keyword,
    },
    PredicateDef {
        name: "docker-instruction-string",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Text],
        doc: "binds the text after the instruction's keyword (blanks around it left out), standing for its value as the inside of a double-quoted string: surrounding quotes removed, `\\` and `\"` escaped",
        eval: docker_instruction_string,
    },
    PredicateDef {
        name: "docker-exec-form",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture],
        doc: "the instruction is written in JSON form (`[\"a\", \"b\"]`)",
        eval: docker_exec_form,
    },
    PredicateDef {
        name: "docker-has-source",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture],
        doc: "the `COPY`/`ADD` names a source and a destination (two paths or more, or two JSON array elements or more)",
        eval: docker_has_source,
    },
    PredicateDef {
        name: "docker-source-matches",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Regex],
        doc: "a source of the `COPY`/`ADD` (a path, or JSON array element, before the last one, the destination; quotes removed in JSON form) matches the regular expression",
        eval: docker_source_matches,
    },
    PredicateDef {
        name: "docker-deps-installed-before",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture],
        doc: "a `RUN` before the instruction, in its stage or the stages it is built `FROM`, installs the project's dependencies from its files (`pip install -r`/`.`/`-e`, `poetry install`, `uv sync`, `pipenv`/`pdm install`, `npm ci`, `yarn`, `bundle install`, `go mod download`)",
        eval: docker_deps_installed_before,
    },
    PredicateDef {
        name: "docker-deps-installed-after",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture],
        doc: "a `RUN` after the instruction in its own stage installs the project's dependencies from its files (as `#docker-deps-installed-before?`)",
        eval: docker_deps_installed_after,
    },
    PredicateDef {
        name: "docker-pair",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Text],
        doc: "per occurrence: each pair of an `ENV` (`NAME=value` or the legacy `NAME value`) or `ARG` (`NAME=default`) that has a name and a value; binds the pair",
        eval: docker_pair,
    },
    PredicateDef {
        name: "docker-arg-without-literal",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Text],
        doc: "per occurrence: each name an `ARG` declares without a literal default (none, an empty one, or one made of `$` references), that is, a value given to the build from outside; binds the name",
        eval: docker_arg_without_literal,
    },
    PredicateDef {
        name: "docker-pair-name",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Text],
        doc: "binds the name of the `ENV`/`ARG` pair bound to NAME",
        eval: docker_pair_name,
    },
    PredicateDef {
        name: "docker-pair-literal",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Text],
        doc: "the value of the `ENV`/`ARG` pair bound to NAME (quotes removed) is a literal that can hold a secret: not empty, no `$` reference, not a path, number or boolean",
        eval: docker_pair_literal,
    },
    PredicateDef {
        name: "docker-pair-removal",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Text],
        doc: "binds what to delete to take the value of the `ENV`/`ARG` pair bound to NAME out of the file: an `ARG`'s `=default`; an `ENV`'s whole lines when it is the instruction's only pair, else the pair up to the next one (the last: from the end of the one before)",
        eval: docker_pair_removal,
    },
    PredicateDef {
        name: "docker-from-image",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Text],
        doc: "the `FROM` builds on an image, not on an earlier stage, whose name is known before the build (its build arguments have defaults); binds the image as written (`python:3.12`, `${BASE}`)",
        eval: docker_from_image,
    },
    PredicateDef {
        name: "docker-image-matches",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Regex],
        doc: "the image of the `FROM`, with build arguments replaced by their defaults, matches the regular expression (an image whose argument has no default matches nothing)",
        eval: docker_image_matches,
    },
    PredicateDef {
        name: "docker-image-pinned-elsewhere",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Text],
        doc: "holds for every `FROM`; when another stage of the file builds on the same image (names compared without case) with a version tag (not `latest`, no `$`) and this `FROM` writes its image without build arguments, binds this `FROM`'s image, standing for that pinned image (a tag preferred to a digest); else binds nothing, so a fix that uses the name is not offered",
        eval: docker_image_pinned_elsewhere,
    },
    PredicateDef {
        name: "docker-development-file",
        binds: false,
        kinds: DOCKERFILE,
        params: &[],
        doc: "the Dockerfile is meant for development: it is in a `.devcontainer` folder, or a `.`/`-`/`_`-separated part of its file name is `dev`, `develop`, `development`, `local`, `test`, `tests`, `ci` or `debug` (`Dockerfile.dev`, `test.Dockerfile`)",
        eval: docker_development_file,
    },
    PredicateDef {
        name: "docker-development-only",
        binds: false,
        kinds: DOCKERFILE,
        params: &[],
        doc: "every stage of the file is a development target (`dev`, `test`, `debug`, ... in its name), so none is meant for deployment",
        eval: docker_development_only,
    },
    PredicateDef {
        name: "docker-compose-healthcheck",
        binds: false,
        kinds: DOCKERFILE,
        params: &[],
        doc: "a compose file (`compose.yaml`, `docker-compose.yml`, their `.override`/`.prod`/`.deploy` variants) in the Dockerfile's folder or a folder above it, inside the folder being checked or the same repository (the folder holding `.git`), at most 6 levels up, has a service that builds this Dockerfile (`build: ./dir`, or `context` and `dockerfile`) and defines a `healthcheck` (not `disable: true`)",
        eval: docker_compose_healthcheck,
    },
    PredicateDef {
        name: "docker-deployed-stage",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture],
        doc: "the instruction (one of the file's top-level instructions) belongs to the deployed stage itself: the last stage that is not a development target (the last stage when all are)",
        eval: docker_deployed_stage,
    },
    PredicateDef {
        name: "docker-image-has",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Texts],
        doc: "the image of the instruction's stage (its instructions and those of the stages it is built `FROM`; not those inside `ONBUILD`) has an instruction of one of these node kinds (`healthcheck_instruction`)",
        eval: docker_image_has,
    },
    PredicateDef {
        name: "docker-image-command-word",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Regex],
        doc: "a `CMD` or `ENTRYPOINT` of the image of the instruction's stage (as `#docker-image-has?`) has a word that matches the regular expression: an element of its JSON form (a `sh -c` script split into its words) or a word of its shell form, quotes removed",
        eval: docker_image_command_word,
    },
    PredicateDef {
        name: "docker-has-command",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Regex, Param::Regex],
        doc: "a simple command of the instruction (as `#docker-command!` splits them) runs a program matching the first regular expression (as `#docker-program!`) and has a word, from the program on (quotes removed), matching the second",
        eval: docker_has_command,
    },
    PredicateDef {
        name: "docker-subcommand-matches",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Regex, Param::Text],
        doc: "the first word after the program of the command holding the binding NAME that is not an option (`-...`) matches the regular expression (as `#docker-subcommand!`); binds that word",
        eval: docker_subcommand_matches,
    },
    PredicateDef {
        name: "docker-command-before",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Regex, Param::Regex],
        doc: "a simple command of the same instruction before the one holding the binding NAME runs a program matching the first regular expression (as `#docker-program!`) whose subcommand (as `#docker-subcommand!`) matches the second",
        eval: docker_command_before,
    },
    PredicateDef {
        name: "docker-word",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Regex, Param::Text],
        doc: "binds the first word (quotes removed) of the command holding the binding NAME, from that binding on, that matches the regular expression",
        eval: docker_word_bind,
    },
    PredicateDef {
        name: "docker-packages-matching",
        binds: true,
        kinds: DOCKERFILE,
        params: &[Param::Text, Param::Regex, Param::Text],
        doc: "the package arguments after the word bound to NAME (a package manager's `install`/`add`; options and the values of `-t`, `--target-release`, `-o`, `--repository`, `-X`, `--virtual` left out) that match the regular expression (quotes removed); binds the first of them, standing for all of them as a list in backquotes (`` `gcc`, `libpq-dev` ``)",
        eval: docker_packages_matching,
    },
    PredicateDef {
        name: "docker-needs-shell",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture],
        doc: "the shell form of the instruction needs a shell to mean what it says: more than one simple command, a redirection, an unquoted `` ` ``, `*`, `?`, `~`, parenthesis, brace, `|`, `&`, `;`, `<`, `>`, `#` or `[`, a `$` anywhere, a leading `VAR=value` or a shell builtin (`cd`, `export`, `source`, `.`, `set`, `ulimit`, `umask`, `trap`, `eval`, `exec`)",
        eval: docker_needs_shell,
    },
    PredicateDef {
        name: "docker-first-word-matches",
        binds: false,
        kinds: DOCKERFILE,
        params: &[Param::Capture, Param::Regex],
        doc: "the first word of the instruction's shell text, as written (quotes removed; an assignment or wrapper such as `exec` is a word), matches the regular expression",
        eval: docker_first_word_matches,
    },
];

/// The innermost captured instruction holding `range`.
fn instruction_holding<'a>(captures: &Captures<'a>, range: &Range<usize>) -> Option<Node<'a>> {
    captures
        .items
        .iter()
        .map(|(_, node)| *node)
        .filter(|node| {
            node.kind().ends_with("_instruction")
                && node.start_byte() <= range.start
                && range.end <= node.end_byte()
        })
        .min_by_key(|node| node.end_byte() - node.start_byte())
}

/// The range from the first to the last of `words`.
fn span(words: &[Word]) -> Option<Range<usize>> {
    Some(words.first()?.range.start..words.last()?.range.end)
}

/// The shell command holding the range bound to `name`, and that range.
fn command_holding(
    cx: &HookCx<'_>,
    captures: &Captures<'_>,
    name: &str,
) -> Option<(Command, Range<usize>)> {
    let range = captures.range(name)?;
    let model = cx.dockerfile()?;
    let instruction = instruction_holding(captures, &range)?;
    let command = model
        .commands_shared(instruction)
        .iter()
        .find(|command| {
            span(&command.words)
                .is_some_and(|span| span.start <= range.start && range.end <= span.end)
        })?
        .clone();
    Some((command, range))
}

/// Binds the word's range to the name given as the last argument.
fn bind_word(captures: &mut Captures<'_>, args: &[Arg], word: &Word) {
    if let Some(Arg::Text(name)) = args.last() {
        captures.bind(name, word.range.clone());
    }
}

fn docker_in_deployed_image<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some(instruction), Some(model)) = (node(captures, args, 0), cx.dockerfile()) else {
        return false;
    };
    model
        .stage_at(instruction.start_byte())
        .is_some_and(|stage| model.in_deployed_image(stage))
}

fn docker_run_contains<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(model) = cx.dockerfile() else {
        return false;
    };
    model
        .instructions
        .iter()
        .filter(|instruction| instruction.kind() == "run_instruction")
        .any(|instruction| {
            let text = model.text_of(instruction.node);
            texts(args, 0).all(|needle| text.contains(needle))
        })
}

fn docker_cache_mount<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(run), Some(regex)) = (node(captures, args, 0), regex(args, 1)) else {
        return false;
    };
    cache_mount_targets(run, cx.file.text)
        .iter()
        .any(|target| regex.is_match(target))
}

fn docker_variable_set<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(instruction), Some(model)) = (node(captures, args, 0), cx.dockerfile()) else {
        return false;
    };
    let offset = instruction.start_byte();
    model
        .stage_at(offset)
        .is_some_and(|stage| model.variable_set_before(stage, text(args, 1), offset))
}

fn docker_command<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(instruction), Some(model)) = (node(captures, args, 0), cx.dockerfile()) else {
        return false;
    };
    let name = text(args, 1).to_string();
    let mut found = false;
    for command in model.commands_shared(instruction).iter() {
        if let Some(range) = span(&command.words) {
            captures.add_occurrence(vec![(name.clone(), range, None)]);
            found = true;
        }
    }
    found
}

fn docker_program<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some((command, _)), Some(regex)) =
        (command_holding(cx, captures, text(args, 0)), regex(args, 1))
    else {
        return false;
    };
    let (Some(program), Some(word)) = (command.program(), command.effective().first()) else {
        return false;
    };
    if !regex.is_match(program) {
        return false;
    }
    bind_word(captures, args, word);
    true
}

fn docker_command_name<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some((command, _)), Some(regex)) =
        (command_holding(cx, captures, text(args, 0)), regex(args, 1))
    else {
        return false;
    };
    let Some(word) = command
        .words
        .iter()
        .find(|word| !word.value.contains('=') || word.quoted)
    else {
        return false;
    };
    if !regex.is_match(&word.value) {
        return false;
    }
    bind_word(captures, args, word);
    true
}

fn docker_subcommand<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((command, _)) = command_holding(cx, captures, text(args, 0)) else {
        return false;
    };
    let Some(word) = command
        .effective()
        .iter()
        .skip(1)
        .find(|word| !word.value.starts_with('-'))
    else {
        return false;
    };
    if word.value != text(args, 1) {
        return false;
    }
    bind_word(captures, args, word);
    true
}

fn docker_pip_install<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((command, _)) = command_holding(cx, captures, text(args, 0)) else {
        return false;
    };
    let Some(install) = command.pip_install().and_then(|words| words.first()) else {
        return false;
    };
    bind_word(captures, args, install);
    true
}

/// Options of `pip install` that take a value as the next word.
const PIP_VALUE_FLAGS: [&str; 37] = [
    "-r",
    "--requirement",
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-i",
    "--index-url",
    "--extra-index-url",
    "-f",
    "--find-links",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--only-binary",
    "--no-binary",
    "--progress-bar",
    "--trusted-host",
    "--cache-dir",
    "--src",
    "--upgrade-strategy",
    "--global-option",
    "--config-settings",
    "-C",
    "--report",
    "--log",
    "--timeout",
    "--retries",
    "--proxy",
    "--cert",
    "--client-cert",
    "--python",
];

/// A requirement with no version: `flask`, `uvicorn[standard]` — not a
/// path, URL, archive, variable or pinned spec, and not pip's own tooling.
fn unpinned_requirement(value: &str) -> bool {
    let spec_chars = ['=', '<', '>', '~', '!', '@', '/', '$', ':', '*'];
    if value.contains(spec_chars)
        || value.starts_with('.')
        || value.ends_with(".whl")
        || value.contains(".tar")
        || value.ends_with(".zip")
    {
        return false;
    }
    let name = value
        .split('[')
        .next()
        .unwrap_or(value)
        .to_ascii_lowercase();
    if name.is_empty()
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return false;
    }
    !matches!(name.as_str(), "pip" | "setuptools" | "wheel")
}

fn docker_pip_unpinned<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((command, install)) = command_holding(cx, captures, text(args, 0)) else {
        return false;
    };
    let Some(words) = command.pip_install() else {
        return false;
    };
    if words.first().map(|word| &word.range) != Some(&install) {
        return false;
    }
    let name = text(args, 1).to_string();
    let mut found = false;
    let mut index = 1;
    while let Some(word) = words.get(index) {
        index += 1;
        let value = word.value.as_str();
        if value.starts_with('-') {
            if PIP_VALUE_FLAGS.contains(&value) {
                index += 1;
            }
            continue;
        }
        if !unpinned_requirement(value) {
            continue;
        }
        let package = value.split('[').next().unwrap_or(value).to_string();
        captures.add_occurrence(vec![(name.clone(), word.range.clone(), Some(package))]);
        found = true;
    }
    found
}

fn docker_word<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some((command, range)), Some(regex)) =
        (command_holding(cx, captures, text(args, 0)), regex(args, 1))
    else {
        return false;
    };
    command
        .words
        .iter()
        .filter(|word| word.range.start >= range.start)
        .any(|word| regex.is_match(&word.value))
}

fn docker_piped<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    command_holding(cx, captures, text(args, 0))
        .is_some_and(|(command, _)| command.separator == Separator::Pipe)
}

fn docker_first_command<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(instruction), Some(model)) = (node(captures, args, 0), cx.dockerfile()) else {
        return false;
    };
    let Some(range) = model
        .commands_shared(instruction)
        .first()
        .and_then(|command| span(&command.words))
    else {
        return false;
    };
    super::def::bind(captures, args, range);
    true
}

fn docker_single_command<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(instruction), Some(model)) = (node(captures, args, 0), cx.dockerfile()) else {
        return false;
    };
    model.commands_shared(instruction).len() == 1
}

fn docker_in_subshell<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    command_holding(cx, captures, text(args, 0)).is_some_and(|(command, _)| command.in_subshell)
}

fn docker_argument<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((command, _)) = command_holding(cx, captures, text(args, 0)) else {
        return false;
    };
    let Ok(index) = text(args, 1).parse::<usize>() else {
        return false;
    };
    let name = text(args, 2);
    match command.words.get(index) {
        Some(word) => captures.bind_value(name, word.range.clone(), word.value.clone()),
        None => {
            let end = span(&command.words).map_or(0, |span| span.end);
            captures.bind_value(name, end..end, String::new());
        }
    }
    true
}

fn docker_word_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(value) = captures.text(text(args, 0), cx.file.text) else {
        return false;
    };
    regex(args, 1).is_some_and(|regex| regex.is_match(value))
}

fn docker_param<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(instruction) = node(captures, args, 0) else {
        return false;
    };
    texts(args, 1).any(|name| param(instruction, cx.file.text, name).is_some())
}

fn docker_keyword<'a>(_: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(keyword) = node(captures, args, 0).and_then(|instruction| instruction.child(0)) else {
        return false;
    };
    super::def::bind(captures, args, keyword.byte_range());
    true
}

fn docker_instruction_string<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let Some(instruction) = node(captures, args, 0) else {
        return false;
    };
    let Some(keyword) = instruction.child(0) else {
        return false;
    };
    let raw = &cx.file.text[keyword.end_byte()..instruction.end_byte()];
    let start = keyword.end_byte() + (raw.len() - raw.trim_start().len());
    let end = keyword.end_byte() + raw.trim_end().len();
    let range = start..end.max(start);
    let value = unquote(&cx.file.text[range.clone()]);
    let escaped = value.replace('\\', "\\\\").replace('"', "\\\"");
    if let Some(Arg::Text(name)) = args.last() {
        captures.bind_value(name, range, escaped);
    }
    true
}

/// The paths of a `COPY`/`ADD`, destination last: its JSON array's
/// elements (quotes removed) when it has one, else its `path`s as written.
fn copy_paths(instruction: Node<'_>, text: &str) -> Vec<String> {
    let mut cursor = instruction.walk();
    let children: Vec<Node<'_>> = instruction.named_children(&mut cursor).collect();
    if let Some(array) = children
        .iter()
        .find(|child| child.kind() == "json_string_array")
    {
        return exec_form(*array, text)
            .into_iter()
            .map(|word| word.value)
            .collect();
    }
    children
        .iter()
        .filter(|child| child.kind() == "path")
        .map(|child| text[child.byte_range()].to_string())
        .collect()
}

fn docker_exec_form<'a>(_: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(instruction) = node(captures, args, 0) else {
        return false;
    };
    let mut cursor = instruction.walk();
    instruction
        .named_children(&mut cursor)
        .any(|child| child.kind() == "json_string_array")
}

fn docker_has_source<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    node(captures, args, 0)
        .is_some_and(|instruction| copy_paths(instruction, cx.file.text).len() >= 2)
}

fn docker_source_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(instruction), Some(regex)) = (node(captures, args, 0), regex(args, 1)) else {
        return false;
    };
    let mut paths = copy_paths(instruction, cx.file.text);
    paths.pop();
    paths.iter().any(|path| regex.is_match(path))
}

/// Whether a `RUN` installs the project's dependencies from its files.
fn installs_dependencies(model: &Dockerfile<'_>, instruction: &Instruction<'_>) -> bool {
    instruction.kind() == "run_instruction"
        && model
            .commands_shared(instruction.node)
            .iter()
            .any(Command::installs_dependencies)
}

fn docker_deps_installed_before<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some(instruction), Some(model)) = (node(captures, args, 0), cx.dockerfile()) else {
        return false;
    };
    let offset = instruction.start_byte();
    let Some(stage) = model.stage_at(offset) else {
        return false;
    };
    model.chain(stage).into_iter().any(|member| {
        model.instructions[model.stages[member].instructions.clone()]
            .iter()
            .any(|other| other.node.start_byte() < offset && installs_dependencies(model, other))
    })
}

fn docker_deps_installed_after<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some(instruction), Some(model)) = (node(captures, args, 0), cx.dockerfile()) else {
        return false;
    };
    let offset = instruction.start_byte();
    let Some(stage) = model.stage_at(offset) else {
        return false;
    };
    model.instructions[model.stages[stage].instructions.clone()]
        .iter()
        .any(|other| other.node.start_byte() > offset && installs_dependencies(model, other))
}

/// The `ENV`/`ARG` pairs of an instruction, in order.
fn pairs(instruction: Node<'_>) -> Vec<Node<'_>> {
    let mut cursor = instruction.walk();
    instruction
        .named_children(&mut cursor)
        .filter(|child| matches!(child.kind(), "env_pair" | "arg_pair"))
        .collect()
}

/// The range of a pair's value (`ENV`) or default (`ARG`).
fn pair_value(pair: Node<'_>) -> Option<Range<usize>> {
    let field = if pair.kind() == "env_pair" {
        "value"
    } else {
        "default"
    };
    pair_value_range(pair, field)
}

/// The pair bound to `name`, its instruction, and its index among the
/// instruction's pairs.
fn pair_holding<'a>(
    captures: &Captures<'a>,
    name: &str,
) -> Option<(Node<'a>, Node<'a>, usize, Vec<Node<'a>>)> {
    let range = captures.range(name)?;
    let instruction = instruction_holding(captures, &range)?;
    let pairs = pairs(instruction);
    let index = pairs.iter().position(|pair| pair.byte_range() == range)?;
    Some((pairs[index], instruction, index, pairs))
}

fn docker_pair<'a>(_: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(instruction) = node(captures, args, 0) else {
        return false;
    };
    let name = text(args, 1).to_string();
    let mut found = false;
    for pair in pairs(instruction) {
        if pair.child_by_field_name("name").is_some() && pair_value(pair).is_some() {
            captures.add_occurrence(vec![(name.clone(), pair.byte_range(), None)]);
            found = true;
        }
    }
    found
}

fn docker_arg_without_literal<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let Some(instruction) = node(captures, args, 0).filter(|node| node.kind() == "arg_instruction")
    else {
        return false;
    };
    let name = text(args, 1).to_string();
    let mut found = false;
    for pair in pairs(instruction) {
        let Some(pair_name) = pair.child_by_field_name("name") else {
            continue;
        };
        let literal = pair_value(pair).is_some_and(|range| {
            let value = unquote(&cx.file.text[range]);
            !value.is_empty() && !value.contains('$')
        });
        if !literal {
            captures.add_occurrence(vec![(name.clone(), pair_name.byte_range(), None)]);
            found = true;
        }
    }
    found
}

fn docker_pair_name<'a>(_: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(name) = pair_holding(captures, text(args, 0))
        .and_then(|(pair, ..)| pair.child_by_field_name("name"))
    else {
        return false;
    };
    super::def::bind(captures, args, name.byte_range());
    true
}

fn docker_pair_literal<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    pair_holding(captures, text(args, 0))
        .and_then(|(pair, ..)| pair_value(pair))
        .is_some_and(|range| literal_secret_value(&unquote(&cx.file.text[range])))
}

fn docker_pair_removal<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((pair, instruction, index, pairs)) = pair_holding(captures, text(args, 0)) else {
        return false;
    };
    let (Some(name), Some(value)) = (pair.child_by_field_name("name"), pair_value(pair)) else {
        return false;
    };
    let text = cx.file.text;
    let range = if pair.kind() == "arg_pair" {
        name.end_byte()..value.end
    } else if pairs.len() == 1 {
        let start = line_start(text, instruction.start_byte());
        let end = next_line_start(
            text,
            last_char_start(text, instruction.end_byte()).max(instruction.start_byte()),
        );
        start..end
    } else if index + 1 < pairs.len() {
        pair.start_byte()..pairs[index + 1].start_byte()
    } else {
        pairs[index - 1].end_byte()..pair.end_byte()
    };
    super::def::bind(captures, args, range);
    true
}

/// The stage whose `FROM` is captured as argument `index`.
fn stage_of_from<'m, 'a>(
    model: &'m Dockerfile<'a>,
    captures: &Captures<'a>,
    args: &[Arg],
    index: usize,
) -> Option<&'m Stage<'a>> {
    let from = node(captures, args, index)?;
    model
        .stage_of_from(from)
        .and_then(|stage| model.stages.get(stage))
}

/// The `image_spec` of a `FROM`.
fn image_spec(from: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = from.walk();
    from.named_children(&mut cursor)
        .find(|child| child.kind() == "image_spec")
}

fn docker_from_image<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(model) = cx.dockerfile() else {
        return false;
    };
    let Some(stage) = stage_of_from(model, captures, args, 0) else {
        return false;
    };
    if stage.parent.is_some() || stage.resolved_image.is_none() {
        return false;
    }
    let Some(spec) = image_spec(stage.from) else {
        return false;
    };
    super::def::bind(captures, args, spec.byte_range());
    true
}

fn docker_image_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(model), Some(regex)) = (cx.dockerfile(), regex(args, 1)) else {
        return false;
    };
    stage_of_from(model, captures, args, 0)
        .and_then(|stage| stage.resolved_image.as_deref())
        .is_some_and(|image| regex.is_match(image))
}

fn docker_image_pinned_elsewhere<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let Some(model) = cx.dockerfile() else {
        return true;
    };
    let Some(stage) = stage_of_from(model, captures, args, 0) else {
        return true;
    };
    let (Some(image), Some(spec)) = (stage.resolved_image.as_deref(), image_spec(stage.from))
    else {
        return true;
    };
    if stage.image.contains('$') {
        return true;
    }
    let lower = image.to_ascii_lowercase();
    let (name, _) = split_tag(&lower);
    // A tag of the same image elsewhere in the file is the evidence for a pin.
    let mut candidates: Vec<&str> = model
        .stages
        .iter()
        .filter_map(|other| other.resolved_image.as_deref())
        .collect();
    // A plain tag reads better than a digest when both are there.
    candidates.sort_by_key(|candidate| candidate.contains('@'));
    let pinned = candidates.into_iter().find_map(|other| {
        let (other_name, other_tag) = split_tag(other);
        (other_name.eq_ignore_ascii_case(name)
            && other_tag.is_some_and(|tag| tag != "latest" && !tag.contains('$')))
        .then(|| other.to_string())
    });
    if let (Some(pinned), Some(Arg::Text(bound))) = (pinned, args.last()) {
        captures.bind_value(bound, spec.byte_range(), pinned);
    }
    true
}

fn docker_development_file<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    development_file(cx.file.path)
}

fn docker_development_only<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    cx.dockerfile().is_some_and(Dockerfile::development_only)
}

/// The compose file names looked for beside and above a Dockerfile.
const COMPOSE_NAMES: [&str; 12] = [
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
    "compose.override.yaml",
    "compose.override.yml",
    "docker-compose.override.yml",
    "docker-compose.prod.yml",
    "docker-compose.production.yml",
    "compose.prod.yml",
    "compose.deploy.yml",
    "docker-compose.deploy.yml",
];

/// `path` with `.` and `..` parts resolved lexically.
fn normalized(path: &std::path::Path) -> std::path::PathBuf {
    use std::path::Component;
    let mut out = std::path::PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

fn docker_compose_healthcheck<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    const MAX_LEVELS: usize = 6;
    let files = &cx.project.files;
    let dockerfile = normalized(&files.resolve(cx.file.path));
    // A compose file beside the Dockerfile always counts; one above it only
    // inside the folder being checked, or inside the same repository (a
    // `.git` at or above that folder).
    let mut above = false;
    for (level, dir) in dockerfile.ancestors().skip(1).take(MAX_LEVELS).enumerate() {
        for name in COMPOSE_NAMES {
            let path = dir.join(name);
            let Some(text) = files.read(&path) else {
                continue;
            };
            let Some(tree) = crate::parse::parse(FileKind::Compose, &text, None) else {
                continue;
            };
            let compose = crate::compose::Compose::new(tree.root_node(), &text);
            let healthy = compose.services.iter().any(|service| {
                service.healthcheck().is_some()
                    && service
                        .built_dockerfile(&path)
                        .is_some_and(|built| normalized(&built) == dockerfile)
            });
            let checked_folder = files.base().is_some_and(|base| dir.starts_with(base));
            if healthy && (level == 0 || checked_folder) {
                return true;
            }
            above |= healthy;
        }
        // The repository's root: nothing above it builds this image.
        if files.read(&dir.join(".git/HEAD")).is_some() || files.read(&dir.join(".git")).is_some() {
            return above;
        }
    }
    false
}

fn docker_deployed_stage<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(instruction), Some(model)) = (node(captures, args, 0), cx.dockerfile()) else {
        return false;
    };
    // One of the file's instructions (not one the parser could not place).
    model.deployed_stage().is_some_and(|deployed| {
        model
            .instructions
            .iter()
            .any(|other| other.node == instruction && other.stage == Some(deployed))
    })
}

/// The instructions of the image of the captured instruction's stage.
fn image_of<'a>(
    model: &Dockerfile<'a>,
    captures: &Captures<'a>,
    args: &[Arg],
) -> Option<Vec<Instruction<'a>>> {
    let instruction = node(captures, args, 0)?;
    let stage = model.stage_at(instruction.start_byte())?;
    Some(model.image_instructions(stage))
}

fn docker_image_has<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(model) = cx.dockerfile() else {
        return false;
    };
    image_of(model, captures, args).is_some_and(|instructions| {
        instructions
            .iter()
            .any(|instruction| texts(args, 1).any(|kind| instruction.kind() == kind))
    })
}

fn docker_image_command_word<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some(model), Some(regex)) = (cx.dockerfile(), regex(args, 1)) else {
        return false;
    };
    image_of(model, captures, args).is_some_and(|instructions| {
        instructions
            .iter()
            .filter(|instruction| {
                matches!(
                    instruction.kind(),
                    "cmd_instruction" | "entrypoint_instruction"
                )
            })
            .any(|instruction| {
                model
                    .instruction_words(instruction.node)
                    .iter()
                    .any(|word| regex.is_match(&word.value))
            })
    })
}

fn docker_has_command<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(instruction), Some(model), Some(program), Some(word)) = (
        node(captures, args, 0),
        cx.dockerfile(),
        regex(args, 1),
        regex(args, 2),
    ) else {
        return false;
    };
    model.commands_shared(instruction).iter().any(|command| {
        command.program().is_some_and(|name| program.is_match(name))
            && command
                .effective()
                .iter()
                .any(|candidate| word.is_match(&candidate.value))
    })
}

/// The subcommand of a command: its first word after the program that is
/// not an option.
fn subcommand(command: &Command) -> Option<&Word> {
    command
        .effective()
        .iter()
        .skip(1)
        .find(|word| !word.value.starts_with('-'))
}

fn docker_subcommand_matches<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some((command, _)), Some(regex)) =
        (command_holding(cx, captures, text(args, 0)), regex(args, 1))
    else {
        return false;
    };
    let Some(word) = subcommand(&command).filter(|word| regex.is_match(&word.value)) else {
        return false;
    };
    bind_word(captures, args, word);
    true
}

fn docker_command_before<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(range), Some(program), Some(sub), Some(model)) = (
        captures.range(text(args, 0)),
        regex(args, 1),
        regex(args, 2),
        cx.dockerfile(),
    ) else {
        return false;
    };
    let Some(instruction) = instruction_holding(captures, &range) else {
        return false;
    };
    model
        .commands_shared(instruction)
        .iter()
        .take_while(|command| {
            !span(&command.words)
                .is_some_and(|span| span.start <= range.start && range.end <= span.end)
        })
        .any(|command| {
            command.program().is_some_and(|name| program.is_match(name))
                && subcommand(command).is_some_and(|word| sub.is_match(&word.value))
        })
}

fn docker_word_bind<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some((command, range)), Some(regex)) =
        (command_holding(cx, captures, text(args, 0)), regex(args, 1))
    else {
        return false;
    };
    let Some(word) = command
        .words
        .iter()
        .find(|word| word.range.start >= range.start && regex.is_match(&word.value))
    else {
        return false;
    };
    bind_word(captures, args, word);
    true
}

/// Options of package managers' `install`/`add` that take a value.
const PACKAGE_VALUE_FLAGS: [&str; 6] = [
    "-t",
    "--target-release",
    "-o",
    "--repository",
    "-X",
    "--virtual",
];

fn docker_packages_matching<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some((command, range)), Some(regex)) =
        (command_holding(cx, captures, text(args, 0)), regex(args, 1))
    else {
        return false;
    };
    let Some(at) = command
        .words
        .iter()
        .position(|word| word.range.start == range.start)
    else {
        return false;
    };
    let mut found: Vec<&Word> = Vec::new();
    let mut index = at + 1;
    while let Some(word) = command.words.get(index) {
        index += 1;
        if word.value.starts_with('-') {
            if PACKAGE_VALUE_FLAGS.contains(&word.value.as_str()) {
                index += 1;
            }
            continue;
        }
        if regex.is_match(&word.value) {
            found.push(word);
        }
    }
    let (Some(first), Some(Arg::Text(name))) = (found.first(), args.last()) else {
        return false;
    };
    let list = found
        .iter()
        .map(|word| format!("`{}`", word.value))
        .collect::<Vec<_>>()
        .join(", ");
    captures.bind_value(name, first.range.clone(), list);
    true
}

/// The shell text of an instruction in shell form.
fn shell_text(instruction: Node<'_>) -> Option<Node<'_>> {
    let mut cursor = instruction.walk();
    instruction
        .named_children(&mut cursor)
        .find(|child| child.kind() == "shell_command")
}

fn docker_needs_shell<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(instruction), Some(model)) = (node(captures, args, 0), cx.dockerfile()) else {
        return false;
    };
    let Some(shell) = shell_text(instruction) else {
        return false;
    };
    needs_shell(model.text_of(shell), &model.commands_shared(instruction))
}

fn docker_first_word_matches<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some(instruction), Some(model), Some(regex)) =
        (node(captures, args, 0), cx.dockerfile(), regex(args, 1))
    else {
        return false;
    };
    model
        .commands_shared(instruction)
        .first()
        .and_then(|command| command.words.first())
        .is_some_and(|word| regex.is_match(&word.value))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use streaming_iterator::StreamingIterator;
    use tree_sitter::{Query, QueryCursor};

    use crate::{
        check::{Captures, FileFacts, HookCx, SourceFile},
        kind::FileKind,
        parse::parse,
        predicates::{compile_pattern, hold_each},
        project::ProjectContext,
        registry::registry,
    };

    /// Runs `query` (one pattern, engine predicates included) over the
    /// Dockerfile `text` and returns, per match that holds (one per
    /// occurrence), the texts of `names` in messages: the bound value, or
    /// the text of the bound or captured range.
    fn matches(text: &str, query: &str, names: &[&str]) -> Vec<Vec<String>> {
        matches_in("Dockerfile", text, query, names)
    }

    /// [`matches`] in the file at `path`.
    fn matches_in(path: &str, text: &str, query: &str, names: &[&str]) -> Vec<Vec<String>> {
        let tree = parse(FileKind::Dockerfile, text, None).unwrap();
        let file = SourceFile {
            path: Path::new(path),
            kind: FileKind::Dockerfile,
            text,
            tree: Some(&tree),
        };
        let project = ProjectContext::default();
        let facts = FileFacts::default();
        let rule = registry().rules_for(FileKind::Dockerfile).next().unwrap();
        let cx = HookCx::new(&file, &project, rule, &facts, None);
        // Capture names live as long as the query: the engine's are static.
        let query: &'static Query = Box::leak(Box::new(
            Query::new(&FileKind::Dockerfile.language().unwrap(), query).unwrap(),
        ));
        let extras = compile_pattern(query, 0, FileKind::Dockerfile).unwrap();
        let capture_names = query.capture_names();
        let mut cursor = QueryCursor::new();
        let mut found = cursor.matches(query, tree.root_node(), text.as_bytes());
        let mut out = Vec::new();
        while let Some(found) = found.next() {
            let captures = Captures::of(
                found
                    .captures()
                    .iter()
                    .map(|capture| (capture_names[capture.index as usize], capture.node))
                    .collect(),
            );
            for captures in hold_each(&cx, captures, &extras) {
                out.push(
                    names
                        .iter()
                        .map(|name| captures.text(name, text).unwrap_or("-").to_string())
                        .collect(),
                );
            }
        }
        out
    }

    fn texts(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| row.iter().map(|text| text.to_string()).collect())
            .collect()
    }

    #[test]
    fn each_command_of_a_run_is_its_own_match() {
        let text = "FROM debian\nRUN a && b \\\n  # note\n  | c; (d)\nRUN [\"exec\", \"form\"]\nCMD serve --port 80\n";
        let query = "((_) @instruction (#docker-command! @instruction \"command\"))";
        assert_eq!(
            matches(text, query, &["command"]),
            texts(&[&["a"], &["b"], &["c"], &["d"], &["serve --port 80"]])
        );
        // The exec form has no shell commands, so its match does not hold.
        let exec = "FROM debian\nRUN [\"a\"]\n";
        assert!(matches(exec, query, &["command"]).is_empty());
    }

    #[test]
    fn heredoc_scripts_are_split_into_commands() {
        let text = "FROM debian\nRUN <<EOF\napt-get install x\npip install y\nEOF\n";
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-program! \"command\" \"\" \"program\"))";
        assert_eq!(
            matches(text, query, &["program"]),
            texts(&[&["apt-get"], &["pip"]])
        );
    }

    #[test]
    fn the_program_skips_assignments_and_wrappers() {
        let text = "FROM debian\nRUN DEBIAN_FRONTEND=noninteractive sudo -E /usr/bin/apt-get install x && env A=1 ls\n";
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-program! \"command\" \"^apt-get$\" \"program\"))";
        assert_eq!(
            matches(text, query, &["program"]),
            texts(&[&["/usr/bin/apt-get"]])
        );
    }

    #[test]
    fn the_command_name_is_the_first_word_without_an_assignment() {
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-command-name! \"command\" \"^sudo$\" \"name\"))";
        let text = "FROM debian\nRUN A=1 sudo ls && \"sudo\" x && env sudo y && install sudo\n";
        assert_eq!(
            matches(text, query, &["name"]),
            texts(&[&["sudo"], &["\"sudo\""]])
        );
    }

    #[test]
    fn a_subcommand_is_the_first_word_after_the_program_that_is_no_option() {
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-subcommand! \"command\" \"install\" \"sub\"))";
        let text = "FROM debian\nRUN apt-get -q install a && apt-get -o x install b && apt-get update install\n";
        assert_eq!(matches(text, query, &["sub"]), texts(&[&["install"]]));
    }

    #[test]
    fn words_are_looked_at_from_the_binding_on() {
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-pip-install! \"command\" \"install\") (#docker-word? \"install\" \"^--no-cache-dir$\"))";
        let text =
            "FROM python\nRUN pip --no-cache-dir install a && pip install --no-cache-dir b\n";
        assert_eq!(
            matches(text, query, &["command"]),
            texts(&[&["pip install --no-cache-dir b"]])
        );
        let whole = query.replace("(#docker-word? \"install\"", "(#docker-word? \"command\"");
        assert_eq!(matches(text, &whole, &["command"]).len(), 2);
    }

    #[test]
    fn pip_install_is_found_in_every_spelling() {
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-pip-install! \"command\" \"install\"))";
        let text = "FROM python\nRUN pip install a && pip3 --quiet install b && python3 -m pip install c && sudo -H pip install d && pip download e && uv pip install f\n";
        assert_eq!(
            matches(text, query, &["command"]),
            texts(&[
                &["pip install a"],
                &["pip3 --quiet install b"],
                &["python3 -m pip install c"],
                &["sudo -H pip install d"],
            ])
        );
    }

    #[test]
    fn unpinned_requirements_stand_for_their_package_name() {
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-pip-install! \"command\" \"install\") (#docker-pip-unpinned! \"install\" \"package\"))";
        let text = "FROM python\nRUN pip install flask \"uvicorn[standard]\" x==1 ./pkg -i https://mirror y wheel $PKG -e .\n";
        assert_eq!(
            matches(text, query, &["package", "command"]),
            texts(&[
                &[
                    "flask",
                    "pip install flask \"uvicorn[standard]\" x==1 ./pkg -i https://mirror y wheel $PKG -e ."
                ],
                &[
                    "uvicorn",
                    "pip install flask \"uvicorn[standard]\" x==1 ./pkg -i https://mirror y wheel $PKG -e ."
                ],
                &[
                    "y",
                    "pip install flask \"uvicorn[standard]\" x==1 ./pkg -i https://mirror y wheel $PKG -e ."
                ],
            ])
        );
        // The range is the word as written, quotes included.
        let ranges = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-pip-install! \"command\" \"install\") (#docker-pip-unpinned! \"install\" \"package\") (#docker-word? \"package\" \"standard\"))";
        assert_eq!(matches(text, ranges, &["package"]).len(), 2);
    }

    #[test]
    fn a_piped_command_reads_its_input_from_a_pipe() {
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-piped? \"command\"))";
        let text = "FROM debian\nRUN yes | apt-get install x && apt-get install y\n";
        assert_eq!(
            matches(text, query, &["command"]),
            texts(&[&["apt-get install x"]])
        );
    }

    #[test]
    fn the_deployed_image_skips_development_targets_and_unused_stages() {
        let query = "((run_instruction) @instruction (#docker-in-deployed-image? @instruction))";
        let text = "RUN before\nFROM python AS build\nRUN in-build\nFROM python AS other\nRUN in-other\nFROM build AS final\nRUN in-final\nFROM final AS dev\nRUN in-dev\n";
        assert_eq!(
            matches(text, query, &["instruction"]),
            texts(&[&["RUN in-build"], &["RUN in-final"]])
        );
    }

    #[test]
    fn file_settings_cache_mounts_and_variables() {
        let text = "FROM debian\nENV PIP_NO_CACHE_DIR=1\nRUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/x\nRUN --mount=type=cache,target=/root/.cache/pip pip install x\nFROM debian\nARG pip_no_cache_dir=1\nRUN b\nFROM debian\nRUN c\n";
        let configured = "((run_instruction) @instruction (#docker-run-contains? \"Install-Recommends\" \"apt.conf\"))";
        assert_eq!(matches(text, configured, &["instruction"]).len(), 4);
        let not_configured =
            "((run_instruction) @instruction (#docker-run-contains? \"Assume-Yes\" \"apt.conf\"))";
        assert!(matches(text, not_configured, &["instruction"]).is_empty());
        let cached = "((run_instruction) @instruction (#docker-cache-mount? @instruction \"^/root/\\\\.cache\"))";
        assert_eq!(
            matches(text, cached, &["instruction"]),
            texts(&[&["RUN --mount=type=cache,target=/root/.cache/pip pip install x"]])
        );
        let set = "((run_instruction) @instruction (#docker-variable-set? @instruction \"PIP_NO_CACHE_DIR\"))";
        assert_eq!(
            matches(text, set, &["instruction"]),
            texts(&[
                &["RUN echo 'APT::Install-Recommends \"0\";' > /etc/apt/apt.conf.d/x"],
                &["RUN --mount=type=cache,target=/root/.cache/pip pip install x"],
                &["RUN b"],
            ])
        );
    }

    #[test]
    fn the_first_command_its_arguments_and_subshells() {
        let query = "((run_instruction) @instruction (#docker-first-command! @instruction \"first\") (#docker-argument! \"first\" \"1\" \"target\"))";
        let text = "FROM debian\nRUN cd \"/my app\" && ls\nRUN cd\nRUN (cd /x && ls)\n";
        assert_eq!(
            matches(text, query, &["first", "target"]),
            texts(&[
                &["cd \"/my app\"", "/my app"],
                &["cd", ""],
                &["cd /x", "/x"],
            ])
        );
        let subshell = "((run_instruction) @instruction (#docker-first-command! @instruction \"first\") (#docker-in-subshell? \"first\"))";
        assert_eq!(matches(text, subshell, &["first"]), texts(&[&["cd /x"]]));
        let single = "((run_instruction) @instruction (#docker-single-command? @instruction))";
        assert_eq!(
            matches(text, single, &["instruction"]),
            texts(&[&["RUN cd"]])
        );
        let value = "((run_instruction) @instruction (#docker-first-command! @instruction \"first\") (#docker-argument! \"first\" \"1\" \"target\") (#docker-word-matches? \"target\" \"^/my app$\"))";
        assert_eq!(matches(text, value, &["target"]), texts(&[&["/my app"]]));
    }

    #[test]
    fn flags_keywords_and_the_text_after_the_keyword() {
        let text = "FROM debian\nADD --checksum=sha256:x a b\nadd --chown=1 c d\nMAINTAINER  \"Jane \\\"J\\\" Doe\"  \n";
        let flagged = "((add_instruction) @instruction (#docker-param? @instruction \"keep-git-dir\" \"checksum\"))";
        assert_eq!(
            matches(text, flagged, &["instruction"]),
            texts(&[&["ADD --checksum=sha256:x a b"]])
        );
        let keyword =
            "((add_instruction) @instruction (#docker-keyword! @instruction \"keyword\"))";
        assert_eq!(
            matches(text, keyword, &["keyword"]),
            texts(&[&["ADD"], &["add"]])
        );
        let string = "((maintainer_instruction) @instruction (#docker-instruction-string! @instruction \"value\"))";
        assert_eq!(
            matches(text, string, &["value"]),
            texts(&[&["Jane \\\\\\\"J\\\\\\\" Doe"]])
        );
    }

    #[test]
    fn copy_sources_and_destinations() {
        let text =
            "FROM debian\nCOPY . /app\nCOPY [\"./\", \"/app\"]\nCOPY only\nADD https://x/a.tgz /\n";
        let has_source = "([(copy_instruction) (add_instruction)] @instruction (#docker-has-source? @instruction))";
        assert_eq!(matches(text, has_source, &["instruction"]).len(), 3);
        let dot = "([(copy_instruction) (add_instruction)] @instruction (#docker-source-matches? @instruction \"^\\\\./?$\"))";
        assert_eq!(
            matches(text, dot, &["instruction"]),
            texts(&[&["COPY . /app"], &["COPY [\"./\", \"/app\"]"]])
        );
        // The destination is not a source.
        let destination = "([(copy_instruction) (add_instruction)] @instruction (#docker-source-matches? @instruction \"^/app$\"))";
        assert!(matches(text, destination, &["instruction"]).is_empty());
        let exec = "((copy_instruction) @instruction (#docker-exec-form? @instruction))";
        assert_eq!(
            matches(text, exec, &["instruction"]),
            texts(&[&["COPY [\"./\", \"/app\"]"]])
        );
    }

    #[test]
    fn dependency_installs_before_and_after_an_instruction() {
        let text = "FROM python AS base\nCOPY . /a\nRUN pip install -r requirements.txt\nFROM base\nCOPY . /b\nRUN pip install --no-deps .\nFROM node\nCOPY . /c\nRUN npm ci\n";
        let before =
            "((copy_instruction) @instruction (#docker-deps-installed-before? @instruction))";
        assert_eq!(
            matches(text, before, &["instruction"]),
            texts(&[&["COPY . /b"]])
        );
        let after =
            "((copy_instruction) @instruction (#docker-deps-installed-after? @instruction))";
        assert_eq!(
            matches(text, after, &["instruction"]),
            texts(&[&["COPY . /a"], &["COPY . /c"]])
        );
    }

    #[test]
    fn env_and_arg_pairs_their_names_values_and_removal() {
        let text = "FROM debian\nENV A_TOKEN=x\nENV B=1 C_TOKEN=\"p w\" D=2\nENV E=1 F_TOKEN=f\nARG G_TOKEN=g H_TOKEN\nENV I_TOKEN=$I J_TOKEN_FILE=/run/j\n";
        let query = "([(env_instruction) (arg_instruction)] @instruction (#docker-pair! @instruction \"pair\") (#docker-pair-name! \"pair\" \"name\") (#secret-name? \"name\") (#docker-pair-literal? \"pair\") (#docker-pair-removal! \"pair\" \"removal\"))";
        assert_eq!(
            matches(text, query, &["name", "removal"]),
            texts(&[
                &["A_TOKEN", "ENV A_TOKEN=x\n"],
                &["C_TOKEN", "C_TOKEN=\"p w\" "],
                &["F_TOKEN", " F_TOKEN=f"],
                &["G_TOKEN", "=g"],
            ])
        );
        // Every pair with a value is an occurrence; `H_TOKEN` has none.
        let every = "([(env_instruction) (arg_instruction)] @instruction (#docker-pair! @instruction \"pair\"))";
        assert_eq!(matches(text, every, &["pair"]).len(), 9);
    }

    #[test]
    fn build_arguments_without_a_literal_default_are_occurrences() {
        let text = "ARG BASE=python\nFROM $BASE\nARG A_TOKEN B=1 C_TOKEN=\"\" D_TOKEN=${D_TOKEN}\nARG E_TOKEN=\"e\"\nENV F_TOKEN=$F_TOKEN\n";
        let query = "((_) @instruction (#docker-arg-without-literal! @instruction \"name\"))";
        assert_eq!(
            matches(text, query, &["name"]),
            texts(&[&["A_TOKEN"], &["C_TOKEN"], &["D_TOKEN"]])
        );
        // With a secret's name.
        let secret = "((_) @instruction (#docker-arg-without-literal! @instruction \"name\") (#secret-name? \"name\"))";
        assert_eq!(matches(text, secret, &["name"]).len(), 3);
        let names = "((arg_instruction) @instruction (#docker-arg-without-literal! @instruction \"name\") (#not-secret-name? \"name\"))";
        assert!(matches(text, names, &["name"]).is_empty());
    }

    #[test]
    fn from_images_their_resolved_names_and_pins_elsewhere() {
        let text = "ARG BASE=python\nARG LATER\nFROM python:3.12-slim@sha256:ab AS a\nFROM python:3.11 AS b\nFROM ${BASE} AS c\nFROM PYTHON AS d\nFROM b AS e\nFROM $LATER\nFROM node:latest\n";
        let query = "((from_instruction) @instruction (#docker-from-image! @instruction \"image\") (#docker-image-pinned-elsewhere! @instruction \"pinned\"))";
        // A stage built on an earlier one, and an image chosen at build
        // time, are no images; an image written with `$` gets no pin.
        assert_eq!(
            matches(text, query, &["image", "pinned"]),
            texts(&[
                &["python:3.12-slim@sha256:ab", "python:3.11"],
                &["python:3.11", "python:3.11"],
                &["${BASE}", "-"],
                &["PYTHON", "python:3.11"],
                &["node:latest", "-"],
            ])
        );
        let resolved = "((from_instruction) @instruction (#docker-from-image! @instruction \"image\") (#docker-image-matches? @instruction \"^python$\"))";
        assert_eq!(matches(text, resolved, &["image"]), texts(&[&["${BASE}"]]));
    }

    #[test]
    fn packages_after_an_install_word_and_commands_of_an_instruction() {
        let text = "FROM debian\nRUN apt-get -o x=1 install -y -t gcc-x gcc-12 curl libpq-dev=1 && apt-get purge -y foo\nRUN apk add --virtual musl-dev musl-dev && echo apk del\n";
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-program! \"command\" \"\" \"program\") (#docker-word! \"program\" \"^(install|add)$\" \"install\") (#docker-packages-matching! \"install\" \"^gcc|-dev\" \"packages\"))";
        // Option values (`-t gcc-x`, `--virtual musl-dev`) are no packages.
        assert_eq!(
            matches(text, query, &["packages", "install"]),
            texts(&[
                &["`gcc-12`, `libpq-dev=1`", "install"],
                &["`musl-dev`", "add"],
            ])
        );
        let first = query.replace(
            "\"packages\"))",
            "\"packages\") (#docker-word-matches? \"packages\" \"^`gcc-12`\"))",
        );
        assert_eq!(matches(text, &first, &["packages"]).len(), 1);
        let purges = "((run_instruction) @instruction (#docker-has-command? @instruction \"^apt-get$\" \"^purge$\"))";
        assert_eq!(
            matches(text, purges, &["instruction"]),
            texts(&[&[
                "RUN apt-get -o x=1 install -y -t gcc-x gcc-12 curl libpq-dev=1 && apt-get purge -y foo"
            ]])
        );
        // `echo apk del` runs `echo`.
        let deletes = "((run_instruction) @instruction (#docker-has-command? @instruction \"^apk$\" \"^del$\"))";
        assert!(matches(text, deletes, &["instruction"]).is_empty());
    }

    #[test]
    fn development_files_and_stages() {
        for (path, development) in [
            ("Dockerfile", false),
            ("Dockerfile.dev", true),
            ("docker/test.Dockerfile", true),
            ("Dockerfile_CI", true),
            (".devcontainer/Dockerfile", true),
            ("services/devices/Dockerfile", false),
            ("Dockerfile.production", false),
        ] {
            assert_eq!(
                matches_in(
                    path,
                    "FROM python\n",
                    "((from_instruction) @instruction (#docker-development-file?))",
                    &["instruction"]
                )
                .len(),
                usize::from(development),
                "{path}"
            );
        }
        let only = "((run_instruction) @instruction (#docker-development-only?))";
        assert_eq!(
            matches("FROM python AS dev\nRUN x\n", only, &["instruction"]).len(),
            1
        );
        assert!(
            matches(
                "FROM python AS base\nRUN x\nFROM base AS test\n",
                only,
                &["instruction"]
            )
            .is_empty()
        );
        let deployed = "((from_instruction) @instruction (#docker-deployed-stage? @instruction))";
        assert_eq!(
            matches(
                "FROM python AS base\nFROM base AS app\nFROM app AS debug\n",
                deployed,
                &["instruction"]
            ),
            texts(&[&["FROM base AS app"]])
        );
    }

    #[test]
    fn subcommands_by_pattern_and_earlier_commands() {
        let text = "FROM debian\nRUN apt-get -q update && apt-get install -y x && apt-get update && apt list\n";
        let query = "((run_instruction) @instruction (#docker-command! @instruction \"command\") (#docker-subcommand-matches! \"command\" \"^(install|update)$\" \"sub\"))";
        assert_eq!(
            matches(text, query, &["sub"]),
            texts(&[&["update"], &["install"], &["update"]])
        );
        // Only the first `apt-get install|update` has none before it.
        let first = query.replace(
            "\"sub\"))",
            "\"sub\") (#not-docker-command-before? \"command\" \"^apt-get$\" \"^(install|update)$\"))",
        );
        assert_eq!(
            matches(text, &first, &["command"]),
            texts(&[&["apt-get -q update"]])
        );
    }

    #[test]
    fn shell_text_that_needs_a_shell_and_its_first_word() {
        let text = "FROM d\nCMD serve --port 80\nCMD serve --port $PORT\nCMD a && b\nCMD serve > log\nCMD serve '*.py'\nCMD serve *.py\nCMD A=1 serve\nCMD cd /app\nCMD exec serve\nCMD [\"serve\"]\n";
        let query = "((cmd_instruction) @instruction (#docker-needs-shell? @instruction))";
        // Quoted shell characters are plain text; the exec form has no shell text.
        assert_eq!(
            matches(text, query, &["instruction"]),
            texts(&[
                &["CMD serve --port $PORT"],
                &["CMD a && b"],
                &["CMD serve > log"],
                &["CMD serve *.py"],
                &["CMD A=1 serve"],
                &["CMD cd /app"],
                &["CMD exec serve"],
            ])
        );
        let first = "((cmd_instruction) @instruction (#docker-first-word-matches? @instruction \"^(exec|A=1)$\"))";
        assert_eq!(
            matches(text, first, &["instruction"]),
            texts(&[&["CMD A=1 serve"], &["CMD exec serve"]])
        );
    }

    #[test]
    fn the_image_of_a_stage_its_instructions_and_command_words() {
        let text = "FROM python AS base\nEXPOSE 80\nCMD [\"sh\", \"-c\", \"exec /usr/bin/uvicorn app\"]\nFROM python AS other\nONBUILD HEALTHCHECK NONE\nCMD serve --port 80\nFROM base AS final\nENTRYPOINT [\"tini\", \"--\"]\n";
        let exposes = "((from_instruction) @instruction (#docker-image-has? @instruction \"expose_instruction\" \"user_instruction\"))";
        // `final` is built on `base`, which exposes a port.
        assert_eq!(
            matches(text, exposes, &["instruction"]),
            texts(&[&["FROM python AS base"], &["FROM base AS final"]])
        );
        let checks = "((from_instruction) @instruction (#docker-image-has? @instruction \"healthcheck_instruction\"))";
        assert!(matches(text, checks, &["instruction"]).is_empty());
        // `sh -c` scripts are split into their words.
        let serves = "((from_instruction) @instruction (#docker-image-command-word? @instruction \"^/usr/bin/uvicorn$\"))";
        assert_eq!(
            matches(text, serves, &["instruction"]),
            texts(&[&["FROM python AS base"], &["FROM base AS final"]])
        );
        let shell =
            "((from_instruction) @instruction (#docker-image-command-word? @instruction \"^80$\"))";
        assert_eq!(
            matches(text, shell, &["instruction"]),
            texts(&[&["FROM python AS other"]])
        );
    }
}
