//! A model of a Dockerfile over the tree-sitter-containerfile tree: its
//! instructions, build stages (names, bases, which stages end up in the
//! final image), `ENV`/`ARG` values in both forms, the escape directive, and
//! a small shell word splitter for `RUN`, `CMD` and `ENTRYPOINT` bodies that
//! keeps byte offsets into the file, so fixes can edit the words it finds.

use std::{cell::RefCell, collections::HashMap, ops::Range, path::Path, rc::Rc};

use tree_sitter::Node;

use crate::{
    compose::last_char_start,
    fix::{line_break, line_indent},
    text::TextEdit,
};

/// One instruction of the file (`ONBUILD` wrappers are skipped).
#[derive(Clone, Copy, Debug)]
pub struct Instruction<'t> {
    pub node: Node<'t>,
    /// The stage the instruction belongs to; `None` before the first `FROM`.
    pub stage: Option<usize>,
}

impl<'t> Instruction<'t> {
    /// The node kind, such as `run_instruction`.
    pub fn kind(&self) -> &'t str {
        self.node.kind()
    }
}

/// A build stage: one `FROM` and the instructions up to the next.
#[derive(Clone, Debug)]
pub struct Stage<'t> {
    pub from: Node<'t>,
    /// The image as written (`python:3.12-slim`, `${BASE}`, `builder`).
    pub image: String,
    /// The image with build arguments replaced by their defaults; `None`
    /// when an argument has no default (it is set at build time).
    pub resolved_image: Option<String>,
    /// `AS name`, lowercased.
    pub name: Option<String>,
    /// The earlier stage this one is built on (`FROM builder`).
    pub parent: Option<usize>,
    /// Indexes into [`Dockerfile::instructions`] of this stage's
    /// instructions, `FROM` included.
    pub instructions: Range<usize>,
}

/// The parsed model of a Dockerfile.
pub struct Dockerfile<'t> {
    pub text: &'t str,
    pub instructions: Vec<Instruction<'t>>,
    pub stages: Vec<Stage<'t>>,
    /// `ARG`s before the first `FROM`: name and default.
    pub global_args: Vec<(String, Option<String>)>,
    /// The escape character (`\` unless a `# escape=` directive says `` ` ``).
    pub escape: char,
    /// [`Dockerfile::commands`] of the instructions asked for, by node id:
    /// the query predicates ask for one instruction's commands once per
    /// command and predicate.
    commands_memo: RefCell<HashMap<usize, Rc<[Command]>>>,
}

impl<'t> Dockerfile<'t> {
    pub fn new(root: Node<'t>, text: &'t str) -> Dockerfile<'t> {
        let escape = escape_directive(text);
        let mut instructions = Vec::new();
        let mut stages: Vec<Stage<'t>> = Vec::new();
        let mut global_args = Vec::new();
        let mut cursor = root.walk();
        for node in root.named_children(&mut cursor) {
            if !node.kind().ends_with("_instruction") {
                continue;
            }
            if node.kind() == "from_instruction" {
                if let Some(last) = stages.last_mut() {
                    last.instructions.end = instructions.len();
                }
                let image = node
                    .child_by_field_name("image_spec")
                    .or_else(|| named_child_of_kind(node, "image_spec"))
                    .map(|spec| text[spec.byte_range()].to_string())
                    .unwrap_or_default();
                let name = node
                    .child_by_field_name("as")
                    .map(|alias| text[alias.byte_range()].to_ascii_lowercase());
                let lower = image.to_ascii_lowercase();
                let parent = stages
                    .iter()
                    .position(|stage| stage.name.as_deref() == Some(lower.as_str()));
                let resolved_image = resolve_args(&image, &global_args);
                stages.push(Stage {
                    from: node,
                    image,
                    resolved_image,
                    name,
                    parent,
                    instructions: instructions.len()..instructions.len(),
                });
            } else if node.kind() == "arg_instruction" && stages.is_empty() {
                for (name, value) in arg_pairs(node, text) {
                    global_args.push((name, value.map(|value| unquote(&text[value.byte_range()]))));
                }
            }
            let stage = stages.len().checked_sub(1);
            instructions.push(Instruction { node, stage });
        }
        if let Some(last) = stages.last_mut() {
            last.instructions.end = instructions.len();
        }
        Dockerfile {
            text,
            instructions,
            stages,
            global_args,
            escape,
            commands_memo: RefCell::default(),
        }
    }

    /// The text of a node.
    pub fn text_of(&self, node: Node<'_>) -> &'t str {
        &self.text[node.byte_range()]
    }

    /// The index of the final stage (the image `docker build` produces by default).
    pub fn final_stage(&self) -> Option<usize> {
        self.stages.len().checked_sub(1)
    }

    /// The stage that is deployed: the last one, unless it is a
    /// development target (`FROM builder AS dev-envs` at the end), then the
    /// last stage before it that is not.
    pub fn deployed_stage(&self) -> Option<usize> {
        let last = self.final_stage()?;
        let deployed = (0..=last).rev().find(|&index| {
            !self.stages[index]
                .name
                .as_deref()
                .is_some_and(development_name)
        });
        Some(deployed.unwrap_or(last))
    }

    /// Whether `stage`'s layers end up in the deployed image.
    pub fn in_deployed_image(&self, stage: usize) -> bool {
        self.deployed_stage()
            .is_some_and(|deployed| self.chain(deployed).contains(&stage))
    }

    /// The stages whose layers make up `stage`'s image: itself and the
    /// stages it is built `FROM`, nearest first.
    pub fn chain(&self, stage: usize) -> Vec<usize> {
        let mut out = vec![stage];
        let mut current = stage;
        while let Some(parent) = self.stages.get(current).and_then(|stage| stage.parent) {
            if out.contains(&parent) {
                break;
            }
            out.push(parent);
            current = parent;
        }
        out
    }

    /// Whether the layers of `stage` end up in the final image.
    pub fn in_final_image(&self, stage: usize) -> bool {
        self.final_stage()
            .is_some_and(|last| self.chain(last).contains(&stage))
    }

    /// The instructions of the final image, oldest first (through `FROM` of
    /// earlier stages).
    pub fn final_image_instructions(&self) -> Vec<Instruction<'t>> {
        match self.final_stage() {
            Some(last) => self.image_instructions(last),
            None => Vec::new(),
        }
    }

    /// The instructions whose layers make up `stage`'s image, oldest first.
    pub fn image_instructions(&self, stage: usize) -> Vec<Instruction<'t>> {
        let mut chain = self.chain(stage);
        chain.reverse();
        chain
            .into_iter()
            .flat_map(|stage| {
                self.instructions[self.stages[stage].instructions.clone()]
                    .iter()
                    .copied()
            })
            .collect()
    }

    /// The stage whose instructions include the node at `offset`.
    pub fn stage_at(&self, offset: usize) -> Option<usize> {
        self.instructions
            .iter()
            .rev()
            .find(|instruction| instruction.node.start_byte() <= offset)
            .and_then(|instruction| instruction.stage)
    }

    /// The base image the stage finally rests on (following `FROM stage`),
    /// resolved where possible, lowercased.
    pub fn base_image(&self, stage: usize) -> String {
        let chain = self.chain(stage);
        let root = self.stages[*chain.last().unwrap_or(&stage)].clone();
        root.resolved_image
            .unwrap_or(root.image)
            .to_ascii_lowercase()
    }

    /// Whether `ENV name=...` is set in the stage's image before `offset`, or
    /// `ARG name` with a default is declared in the stage.
    pub fn variable_set_before(&self, stage: usize, name: &str, offset: usize) -> bool {
        self.chain(stage).into_iter().any(|stage| {
            self.instructions[self.stages[stage].instructions.clone()]
                .iter()
                .any(|instruction| {
                    instruction.node.start_byte() < offset
                        && match instruction.kind() {
                            "env_instruction" => env_pairs(instruction.node, self.text)
                                .iter()
                                .any(|(key, _)| self.text_of(*key).eq_ignore_ascii_case(name)),
                            "arg_instruction" => {
                                arg_pairs(instruction.node, self.text)
                                    .iter()
                                    .any(|(key, value)| {
                                        key.eq_ignore_ascii_case(name) && value.is_some()
                                    })
                            }
                            _ => false,
                        }
                })
        })
    }

    /// The shell commands of a `RUN`/`CMD`/`ENTRYPOINT` in shell form, and of
    /// `RUN` heredocs; empty for the exec (JSON) form.
    pub fn commands(&self, instruction: Node<'t>) -> Vec<Command> {
        let mut out = Vec::new();
        let mut cursor = instruction.walk();
        for child in instruction.named_children(&mut cursor) {
            match child.kind() {
                "shell_command" => {
                    // `RUN <<EOF` keeps its script in the heredoc block.
                    let text = self.text_of(child);
                    if !text.trim_start().starts_with("<<") {
                        out.extend(split_shell(
                            self.text,
                            child.byte_range(),
                            Some(self.escape),
                        ));
                    }
                }
                "heredoc_block" => {
                    if let Some(content) = named_child_of_kind(child, "heredoc_content") {
                        out.extend(split_shell(self.text, content.byte_range(), None));
                    }
                }
                _ => {}
            }
        }
        out
    }

    /// [`Dockerfile::commands`], split once per instruction and file.
    pub fn commands_shared(&self, instruction: Node<'t>) -> Rc<[Command]> {
        if let Some(commands) = self.commands_memo.borrow().get(&instruction.id()) {
            return commands.clone();
        }
        let commands: Rc<[Command]> = self.commands(instruction).into();
        self.commands_memo
            .borrow_mut()
            .insert(instruction.id(), commands.clone());
        commands
    }

    /// Whether any `RUN` of the file mentions `needle` (a cheap text look
    /// used for file-wide configuration such as apt settings).
    pub fn any_run_contains(&self, needle: &str) -> bool {
        self.instructions
            .iter()
            .filter(|instruction| instruction.kind() == "run_instruction")
            .any(|instruction| self.text_of(instruction.node).contains(needle))
    }

    /// The stage whose `FROM` is `from`.
    pub fn stage_of_from(&self, from: Node<'_>) -> Option<usize> {
        self.stages.iter().position(|stage| stage.from == from)
    }

    /// Whether every stage is a development target: the stage
    /// [`Dockerfile::deployed_stage`] falls back to has a development name.
    pub fn development_only(&self) -> bool {
        self.deployed_stage()
            .and_then(|stage| self.stages[stage].name.as_deref())
            .is_some_and(development_name)
    }

    /// The words of a `CMD`/`ENTRYPOINT`: its exec form's elements, with a
    /// `sh -c "script"` split into the script's words, or its shell words.
    pub fn instruction_words(&self, instruction: Node<'t>) -> Vec<Word> {
        let mut cursor = instruction.walk();
        let children: Vec<Node<'t>> = instruction.named_children(&mut cursor).collect();
        for child in children {
            match child.kind() {
                "json_string_array" => {
                    let mut words = exec_form(child, self.text);
                    if words.len() >= 3 && words[1].value == "-c" {
                        let script = words.remove(2);
                        let inner = script.range.start + 1..script.range.end - 1;
                        let parts: Vec<Word> = split_shell(self.text, inner, None)
                            .into_iter()
                            .flat_map(|command| command.words)
                            .collect();
                        words.truncate(2);
                        words.extend(parts);
                    }
                    return words;
                }
                "shell_command" => {
                    return self
                        .commands(instruction)
                        .into_iter()
                        .flat_map(|command| command.words)
                        .collect();
                }
                _ => {}
            }
        }
        Vec::new()
    }

    /// The edit that appends the shell command `command` to a `RUN`,
    /// following its layout: ` && command` on a one-line `RUN`; a new
    /// continuation line, indented as the others, on a multi-line one
    /// (` && \` at the line ends when its lines end in `&&`, else
    /// ` \` and a line starting with `&& `); the last line of a heredoc
    /// script. `None` when the `RUN` ends in an operator, or its shell text
    /// starts a heredoc it does not hold.
    pub fn append_command(&self, run: Node<'_>, command: &str) -> Option<TextEdit> {
        let text = self.text;
        let mut cursor = run.walk();
        let children: Vec<Node<'_>> = run.named_children(&mut cursor).collect();
        if let Some(content) = children.iter().rev().find_map(|child| {
            if child.kind() != "heredoc_block" {
                return None;
            }
            named_child_of_kind(*child, "heredoc_content")
        }) {
            let indent = line_indent(text, last_char_start(text, content.end_byte()));
            return Some(TextEdit::insert(
                content.end_byte(),
                format!("{indent}{command}{}", line_break(text)),
            ));
        }
        let shell = children
            .iter()
            .rev()
            .find(|child| child.kind() == "shell_command")?;
        let raw = self.text_of(*shell);
        if raw.trim_start().starts_with("<<") {
            return None;
        }
        let end = shell.start_byte() + raw.trim_end().len();
        let tail = raw.trim_end();
        if tail.ends_with("&&")
            || tail.ends_with("||")
            || tail.ends_with(';')
            || tail.ends_with('&')
            || tail.ends_with('|')
        {
            return None;
        }
        if !raw.contains('\n') {
            return Some(TextEdit::insert(end, format!(" && {command}")));
        }
        let newline = line_break(text);
        // `cmd && \` style: the operator ends lines; continue the same way.
        let trailing_operators = tail.lines().rev().nth(1).is_some_and(|line| {
            let line = line.trim_end().trim_end_matches(self.escape).trim_end();
            line.ends_with("&&")
        });
        // Indent like the lines that start with an operator, else like the
        // continuation lines.
        let body_lines: Vec<&str> = tail
            .lines()
            .skip(1)
            .filter(|line| !line.trim().is_empty())
            .collect();
        let indent_of = |line: &str| line[..line.len() - line.trim_start().len()].to_string();
        let indent = body_lines
            .iter()
            .rev()
            .find(|line| line.trim_start().starts_with("&&"))
            .or(body_lines.first())
            .map(|line| indent_of(line))
            .filter(|indent| !indent.is_empty())
            .unwrap_or_else(|| "    ".to_string());
        let escape = self.escape;
        Some(if trailing_operators {
            TextEdit::insert(end, format!(" && {escape}{newline}{indent}{command}"))
        } else {
            TextEdit::insert(end, format!(" {escape}{newline}{indent}&& {command}"))
        })
    }

    /// The edit that rewrites a shell-form `CMD`/`ENTRYPOINT`/`RUN` (the
    /// instruction, or its shell text) as a JSON array of its words,
    /// quotes removed; words on a continuation line stay on their own line
    /// (`, \` and the line's indentation). `None` unless the shell text is
    /// one simple command.
    pub fn exec_form_edit(&self, node: Node<'t>) -> Option<TextEdit> {
        let instruction = if node.kind().ends_with("_instruction") {
            node
        } else {
            node.parent()?
        };
        let shell = named_child_of_kind(instruction, "shell_command")?;
        let commands = self.commands(instruction);
        let [command] = commands.as_slice() else {
            return None;
        };
        let words = &command.words;
        let mut json = String::from("[");
        for (index, word) in words.iter().enumerate() {
            if index > 0 {
                let between = &self.text[words[index - 1].range.end..word.range.start];
                if between.contains('\n') {
                    json.push_str(&format!(", {}{}", self.escape, line_break(self.text)));
                    json.push_str(line_indent(self.text, word.range.start));
                } else {
                    json.push_str(", ");
                }
            }
            json.push_str(&json_string(&word.value));
        }
        json.push(']');
        Some(TextEdit::replace(shell.byte_range(), json))
    }
}

/// Whether a Dockerfile is meant for development, by its path: it is in a
/// `.devcontainer` folder, or a `.`/`-`/`_`-separated part of its name is
/// `dev`, `develop`, `development`, `local`, `test`, `tests`, `ci` or
/// `debug` (`Dockerfile.dev`, `test.Dockerfile`), letters of any case.
pub fn development_file(path: &Path) -> bool {
    let lower = path.to_string_lossy().to_ascii_lowercase();
    if lower.contains(".devcontainer") {
        return true;
    }
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    name.split(['.', '-', '_']).any(|part| {
        matches!(
            part,
            "dev" | "develop" | "development" | "local" | "test" | "tests" | "ci" | "debug"
        )
    })
}

/// Whether a Dockerfile builds an image that runs tests, not a service: a
/// `.`/`-`/`_`-separated part of its file name is `test`, `tests`, `ci`,
/// `e2e`, `playwright`, `cypress` or `selenium` (`Dockerfile.playwright`,
/// `e2e.Dockerfile`), or its deployed stage starts from a browser-testing
/// image (`mcr.microsoft.com/playwright`, `cypress/...`, `selenium/...`).
/// Such an image runs in CI next to the service; it is not deployed.
pub fn test_image(path: &Path, base_image: &str) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let named = name.split(['.', '-', '_']).any(|part| {
        matches!(
            part,
            "test" | "tests" | "ci" | "e2e" | "playwright" | "cypress" | "selenium"
        )
    });
    let base = base_image.to_ascii_lowercase();
    named
        || ["mcr.microsoft.com/playwright", "cypress/", "selenium/"]
            .iter()
            .any(|prefix| base.starts_with(prefix))
}

/// Whether shell text (the shell form of a `CMD`/`ENTRYPOINT`, split into
/// `commands`) needs a shell to mean what it says: more than one simple
/// command, a redirection, an unquoted shell character (`` ` ``, `*`, `?`,
/// `~`, parentheses, braces, `|`, `&`, `;`, `<`, `>`, `#`, `[`), a `$`
/// anywhere, a leading `VAR=value` or a shell builtin (`cd`, `export`,
/// `source`, `.`, `set`, `ulimit`, `umask`, `trap`, `eval`, `exec`).
pub fn needs_shell(raw: &str, commands: &[Command]) -> bool {
    if commands.len() != 1 || commands[0].redirected {
        return true;
    }
    if unquoted_chars(raw).any(|c| {
        matches!(
            c,
            '`' | '*' | '?' | '~' | '(' | ')' | '{' | '}' | '|' | '&' | ';' | '<' | '>' | '#' | '['
        )
    }) {
        return true;
    }
    // `$` expands inside double quotes too; only single quotes keep it.
    if raw.contains('$') {
        return true;
    }
    let words = &commands[0].words;
    let first = words.first().map(|word| word.value.as_str()).unwrap_or("");
    let assignment = words.first().is_some_and(|word| {
        word.value.find('=').is_some_and(|eq| {
            eq > 0
                && word.value[..eq]
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
        })
    });
    assignment
        || matches!(
            first,
            "cd" | "export"
                | "source"
                | "."
                | "set"
                | "ulimit"
                | "umask"
                | "trap"
                | "eval"
                | "exec"
        )
}

/// The characters of shell text outside single and double quotes.
fn unquoted_chars(raw: &str) -> impl Iterator<Item = char> + '_ {
    let mut quote = None;
    raw.chars().filter(move |&c| match quote {
        Some(open) => {
            if c == open {
                quote = None;
            }
            false
        }
        None if c == '\'' || c == '"' => {
            quote = Some(c);
            false
        }
        None => true,
    })
}

/// Whether a stage name says it is for development (`dev`, `dev-envs`,
/// `local`, `test`, `debug`).
pub fn development_name(name: &str) -> bool {
    name.split(['.', '-', '_']).any(|part| {
        matches!(
            part,
            "dev"
                | "develop"
                | "development"
                | "devcontainer"
                | "local"
                | "test"
                | "tests"
                | "ci"
                | "debug"
        )
    })
}

/// `--mount=type=cache,...` targets of a `RUN`.
pub fn cache_mount_targets(run: Node<'_>, text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor = run.walk();
    for child in run.named_children(&mut cursor) {
        if child.kind() != "mount_param" {
            continue;
        }
        let value = &text[child.byte_range()];
        let value = value.trim_start_matches("--mount=");
        let options: Vec<&str> = value.split(',').collect();
        if !options.contains(&"type=cache") {
            continue;
        }
        for option in options {
            if let Some(target) = option
                .strip_prefix("target=")
                .or_else(|| option.strip_prefix("dst="))
                .or_else(|| option.strip_prefix("destination="))
            {
                out.push(target.trim_end_matches('/').to_string());
            }
        }
    }
    out
}

/// A `--name=value` parameter of an instruction.
pub fn param<'t>(instruction: Node<'t>, text: &'t str, name: &str) -> Option<&'t str> {
    let mut cursor = instruction.walk();
    instruction.named_children(&mut cursor).find_map(|child| {
        if child.kind() != "param" {
            return None;
        }
        let raw = &text[child.byte_range()];
        let rest = raw.strip_prefix("--")?.strip_prefix(name)?;
        if rest.is_empty() {
            Some("")
        } else {
            rest.strip_prefix('=')
        }
    })
}

/// The `(name, value)` nodes of an `ENV` instruction, `KEY=value` and legacy
/// `KEY value` forms alike. A pair's value may be several adjacent nodes;
/// the node returned is the name, and [`pair_value_range`] gives the value.
pub fn env_pairs<'t>(env: Node<'t>, _text: &str) -> Vec<(Node<'t>, Option<Range<usize>>)> {
    let mut out = Vec::new();
    let mut cursor = env.walk();
    for pair in env.named_children(&mut cursor) {
        if pair.kind() != "env_pair" {
            continue;
        }
        let Some(name) = pair.child_by_field_name("name") else {
            continue;
        };
        out.push((name, pair_value_range(pair, "value")));
    }
    out
}

/// The byte range of all the nodes of field `field` of a pair (adjacent
/// segments such as `pre"mid"post` concatenate).
pub fn pair_value_range(pair: Node<'_>, field: &str) -> Option<Range<usize>> {
    let mut cursor = pair.walk();
    let nodes: Vec<Node<'_>> = pair.children_by_field_name(field, &mut cursor).collect();
    let first = nodes.first()?;
    let last = nodes.last()?;
    Some(first.start_byte()..last.end_byte())
}

/// The `(name, default)` of each pair of an `ARG` instruction.
pub fn arg_pairs<'t>(arg: Node<'t>, text: &str) -> Vec<(String, Option<Node<'t>>)> {
    let mut out = Vec::new();
    let mut cursor = arg.walk();
    for pair in arg.named_children(&mut cursor) {
        if pair.kind() != "arg_pair" {
            continue;
        }
        let Some(name) = pair.child_by_field_name("name") else {
            continue;
        };
        out.push((
            text[name.byte_range()].to_string(),
            pair.child_by_field_name("default"),
        ));
    }
    out
}

/// The value of a quoted or unquoted Dockerfile word, quotes removed.
pub fn unquote(raw: &str) -> String {
    let raw = raw.trim();
    for quote in ['"', '\''] {
        if raw.len() >= 2 && raw.starts_with(quote) && raw.ends_with(quote) {
            return raw[1..raw.len() - 1].to_string();
        }
    }
    raw.to_string()
}

/// Replaces `$NAME` / `${NAME}` / `${NAME:-x}` with the defaults of the
/// global `ARG`s; `None` when one has no default.
pub fn resolve_args(image: &str, args: &[(String, Option<String>)]) -> Option<String> {
    let mut out = String::new();
    let mut rest = image;
    while let Some(start) = rest.find('$') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let (name, default, consumed) = if let Some(inner) = after.strip_prefix('{') {
            let end = inner.find('}')?;
            let body = &inner[..end];
            let (name, default) = match body.find(':') {
                Some(colon) => (
                    &body[..colon],
                    body[colon + 1..].strip_prefix('-').map(str::to_string),
                ),
                None => (body, None),
            };
            (name, default, end + 2)
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], None, end)
        };
        let value = args
            .iter()
            .rev()
            .find(|(arg, _)| arg == name)
            .and_then(|(_, value)| value.clone())
            .filter(|value| !value.is_empty())
            .or(default)?;
        out.push_str(&value);
        rest = &after[consumed..];
    }
    out.push_str(rest);
    Some(out)
}

/// The escape character of a `# escape=` parser directive at the top.
pub fn escape_directive(text: &str) -> char {
    for line in text.lines() {
        let trimmed = line.trim();
        let Some(comment) = trimmed.strip_prefix('#') else {
            break;
        };
        let directive = comment.trim().to_ascii_lowercase();
        if let Some(value) = directive.strip_prefix("escape") {
            let value = value.trim_start().strip_prefix('=').map(str::trim);
            if value == Some("`") {
                return '`';
            }
            return '\\';
        }
        if !directive.contains('=') {
            break;
        }
    }
    '\\'
}

fn named_child_of_kind<'t>(node: Node<'t>, kind: &str) -> Option<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor)
        .find(|child| child.kind() == kind)
}

/// Image names whose default user is not root.
pub fn image_runs_unprivileged(image: &str) -> bool {
    let image = image.to_ascii_lowercase();
    image.contains(":nonroot")
        || image.contains("-nonroot")
        || image.contains("/distroless/") && image.contains("nonroot")
        || image.starts_with("cgr.dev/chainguard/") && !image.contains("-dev")
        || image.starts_with("bitnami/")
        || image.contains("nginx-unprivileged")
        || image.contains("rootless")
}

/// Which `useradd` flavour a base image has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distro {
    /// Debian, Ubuntu, RHEL and most glibc images: `groupadd`/`useradd`.
    Debian,
    /// Alpine and BusyBox: `addgroup -S`/`adduser -S`.
    Alpine,
    /// No shell to create users with (`scratch`, distroless).
    NoShell,
}

pub fn distro_of(image: &str) -> Distro {
    let image = image.to_ascii_lowercase();
    if image == "scratch"
        || image.contains("distroless")
        || image.starts_with("cgr.dev/chainguard/static")
    {
        Distro::NoShell
    } else if image.contains("alpine") || image.starts_with("busybox") {
        Distro::Alpine
    } else {
        Distro::Debian
    }
}

// ----------------------------------------------------------------------
// Shell words

/// A word of a shell command, with quotes removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Word {
    pub value: String,
    /// Where the word is in the file (quotes included).
    pub range: Range<usize>,
    /// Whether any part of it was quoted.
    pub quoted: bool,
}

/// What comes before a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    Start,
    And,
    Or,
    Sequence,
    Pipe,
    Background,
}

/// A simple command: words up to an operator.
#[derive(Clone, Debug)]
pub struct Command {
    pub words: Vec<Word>,
    pub separator: Separator,
    /// Inside `( ... )` or `$( ... )`-free grouping parentheses.
    pub in_subshell: bool,
    /// Whether it has an output or input redirection.
    pub redirected: bool,
}

impl Command {
    /// The words from the command name on: leading `VAR=value`
    /// assignments, reserved words (`if`, `then`, `do`, `{`, `!`) and
    /// wrappers (`sudo`, `env`, `exec`, `time`, `nohup`) skipped.
    pub fn effective(&self) -> &[Word] {
        let mut index = 0;
        while let Some(word) = self.words.get(index) {
            let value = word.value.as_str();
            let assignment = !word.quoted
                && value.find('=').is_some_and(|eq| {
                    eq > 0
                        && value[..eq]
                            .chars()
                            .all(|c| c.is_ascii_alphanumeric() || c == '_')
                });
            let reserved = matches!(
                value,
                "if" | "then" | "else" | "elif" | "do" | "while" | "until" | "{" | "!"
            );
            let wrapper = matches!(
                value,
                "sudo" | "env" | "exec" | "time" | "nohup" | "command"
            );
            let sudo_flag =
                index > 0 && value.starts_with('-') && self.words[index - 1].value == "sudo";
            if assignment || reserved || wrapper || sudo_flag {
                index += 1;
            } else {
                break;
            }
        }
        &self.words[index.min(self.words.len())..]
    }

    /// The program name (basename) of the effective command.
    pub fn program(&self) -> Option<&str> {
        let word = self.effective().first()?;
        Some(word.value.rsplit('/').next().unwrap_or(&word.value))
    }

    /// The words as written, starting at the first.
    pub fn raw_name(&self) -> Option<&str> {
        self.words.first().map(|word| word.value.as_str())
    }

    /// Whether any word equals `value`.
    pub fn has_word(&self, value: &str) -> bool {
        self.words.iter().any(|word| word.value == value)
    }

    /// The subcommand words of a `pip install` (any spelling: `pip`,
    /// `pip3`, `pip3.12`, `python -m pip`, `uv pip`), from `install` on.
    pub fn pip_install(&self) -> Option<&[Word]> {
        let words = self.effective();
        let program = self.program()?;
        let mut index = if is_pip(program) {
            1
        } else if program.starts_with("python") {
            let module = words.iter().position(|word| word.value == "-m")?;
            if !words
                .get(module + 1)
                .is_some_and(|word| is_pip(&word.value))
            {
                return None;
            }
            module + 2
        } else {
            return None;
        };
        // Global options before the subcommand (`pip --quiet install`).
        while words
            .get(index)
            .is_some_and(|word| word.value.starts_with('-'))
        {
            index += 1;
        }
        (words.get(index)?.value == "install").then(|| &words[index..])
    }

    /// Whether a RUN installs the project's dependencies from its files.
    pub fn installs_dependencies(&self) -> bool {
        let words: Vec<&str> = self
            .effective()
            .iter()
            .map(|word| word.value.as_str())
            .collect();
        if let Some(install) = self.pip_install() {
            let values: Vec<&str> = install.iter().map(|word| word.value.as_str()).collect();
            if values.contains(&"--no-deps") {
                return false;
            }
            return values.iter().any(|value| {
                matches!(*value, "-r" | "--requirement" | "." | "-e" | "--editable")
                    || value.starts_with("-r")
                    || value.starts_with(".[")
                    || value.starts_with("./")
            });
        }
        let program = self.program().unwrap_or("");
        let sub = words.get(1).copied().unwrap_or("");
        match program {
            "poetry" => sub == "install" && !words.contains(&"--only-root"),
            "uv" => {
                (sub == "sync" && !words.contains(&"--no-deps"))
                    || (sub == "pip" && words.contains(&"-r"))
            }
            "pipenv" | "pdm" => sub == "install" || sub == "sync",
            "npm" => matches!(sub, "ci" | "install" | "i") && words.len() == 2 || sub == "ci",
            "yarn" | "pnpm" => words.len() == 1 || sub == "install",
            "bundle" => sub == "install",
            "go" => sub == "mod" && words.contains(&"download"),
            _ => false,
        }
    }

    /// The words of an `apt-get`/`apt` invocation whose subcommand is
    /// `sub`, from the program name on.
    pub fn apt(&self, sub: &str) -> Option<&[Word]> {
        let words = self.effective();
        let program = self.program()?;
        if program != "apt-get" && program != "apt" {
            return None;
        }
        words
            .iter()
            .skip(1)
            .find(|word| !word.value.starts_with('-'))
            .filter(|word| word.value == sub)?;
        Some(words)
    }
}

fn is_pip(name: &str) -> bool {
    name == "pip" || name == "pip3" || name.starts_with("pip3.") || name.starts_with("pip2")
}

/// Splits shell text at `range` of `text` into simple commands. `escape`
/// is the Dockerfile escape character when the text is a Dockerfile shell
/// form (escape + newline joins lines, and comment lines inside the
/// continuation are dropped); `None` for heredoc scripts.
pub fn split_shell(text: &str, range: Range<usize>, escape: Option<char>) -> Vec<Command> {
    let bytes = text.as_bytes();
    let end = range.end.min(text.len());
    let mut commands = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut separator = Separator::Start;
    let mut depth = 0usize;
    let mut redirected = false;
    let mut skip_next_word = false;
    let mut current: Option<Word> = None;
    let mut at = range.start;

    let finish_word = |current: &mut Option<Word>, words: &mut Vec<Word>, skip: &mut bool| {
        if let Some(word) = current.take() {
            if *skip {
                *skip = false;
            } else {
                words.push(word);
            }
        }
    };
    macro_rules! finish_command {
        ($next:expr) => {{
            finish_word(&mut current, &mut words, &mut skip_next_word);
            if !words.is_empty() {
                commands.push(Command {
                    words: std::mem::take(&mut words),
                    separator,
                    in_subshell: depth > 0,
                    redirected,
                });
            }
            redirected = false;
            separator = $next;
        }};
    }

    while at < end {
        let c = bytes[at];
        // Dockerfile line continuation: escape, optional blanks, newline.
        if let Some(escape) = escape
            && c == escape as u8
        {
            let rest = &text[at + 1..end];
            let blanks = rest.len() - rest.trim_start_matches([' ', '\t']).len();
            let after = &rest[blanks..];
            if after.starts_with('\n') || after.starts_with("\r\n") {
                at += 1 + blanks + if after.starts_with('\n') { 1 } else { 2 };
                // Comment and empty lines inside a continuation are dropped.
                loop {
                    let line_end = text[at..end].find('\n').map_or(end, |index| at + index + 1);
                    let line = text[at..line_end].trim();
                    if line.starts_with('#') || (line.is_empty() && line_end < end) {
                        at = line_end;
                    } else {
                        break;
                    }
                }
                continue;
            }
        }
        match c {
            b' ' | b'\t' | b'\r' => {
                finish_word(&mut current, &mut words, &mut skip_next_word);
                at += 1;
            }
            b'\n' => {
                if escape.is_none() && text[..at].ends_with('\\') {
                    at += 1;
                    continue;
                }
                finish_command!(Separator::Sequence);
                at += 1;
            }
            b'#' if current.is_none() => {
                // A comment runs to the end of the line.
                at = text[at..end].find('\n').map_or(end, |index| at + index);
            }
            b'&' | b'|' | b';' => {
                let two = text.get(at..at + 2).unwrap_or("");
                let (next, width) = match two {
                    "&&" => (Separator::And, 2),
                    "||" => (Separator::Or, 2),
                    ";;" => (Separator::Sequence, 2),
                    _ => match c {
                        b'&' => (Separator::Background, 1),
                        b'|' => (Separator::Pipe, 1),
                        _ => (Separator::Sequence, 1),
                    },
                };
                // `2>&1`, `>&2`: part of a redirection.
                if c == b'&' && at > range.start && matches!(bytes[at - 1], b'>' | b'<') {
                    at += 1;
                    continue;
                }
                finish_command!(next);
                at += width;
            }
            b'(' if current.is_none() => {
                finish_command!(separator);
                depth += 1;
                at += 1;
            }
            b')' if current.is_none() || depth > 0 => {
                finish_command!(Separator::Sequence);
                depth = depth.saturating_sub(1);
                at += 1;
            }
            b'>' | b'<' => {
                // A redirection: its target is not an argument.
                let digits_before = current
                    .as_ref()
                    .is_some_and(|word| word.value.chars().all(|c| c.is_ascii_digit()));
                if digits_before {
                    current = None;
                } else {
                    finish_word(&mut current, &mut words, &mut skip_next_word);
                }
                redirected = true;
                at += 1;
                while at < end && matches!(bytes[at], b'>' | b'<' | b'&' | b'|') {
                    at += 1;
                }
                // `>&1`-style duplications have their target glued on.
                let glued = at < end && bytes[at].is_ascii_digit() && text[..at].ends_with('&');
                if glued {
                    while at < end && bytes[at].is_ascii_digit() {
                        at += 1;
                    }
                } else {
                    skip_next_word = true;
                }
            }
            _ => {
                let start = at;
                let (value, next, quoted) = read_word_part(text, at, end);
                at = next;
                match &mut current {
                    Some(word) => {
                        word.value.push_str(&value);
                        word.range.end = at;
                        word.quoted |= quoted;
                    }
                    None => {
                        current = Some(Word {
                            value,
                            range: start..at,
                            quoted,
                        })
                    }
                }
            }
        }
    }
    finish_word(&mut current, &mut words, &mut skip_next_word);
    if !words.is_empty() {
        commands.push(Command {
            words,
            separator,
            in_subshell: depth > 0,
            redirected,
        });
    }
    commands
}

/// Reads one part of a word at `at`: a quoted string, a `$(...)`, or one
/// unquoted character (with its backslash escape). Returns the unquoted
/// value, the offset after it, and whether it was quoted.
fn read_word_part(text: &str, at: usize, end: usize) -> (String, usize, bool) {
    let bytes = text.as_bytes();
    match bytes[at] {
        b'\'' => {
            let close = text[at + 1..end]
                .find('\'')
                .map_or(end, |index| at + 1 + index);
            (text[at + 1..close].to_string(), (close + 1).min(end), true)
        }
        b'"' => {
            let mut value = String::new();
            let mut index = at + 1;
            while index < end && bytes[index] != b'"' {
                if bytes[index] == b'\\' && index + 1 < end {
                    let next = bytes[index + 1];
                    if matches!(next, b'"' | b'\\' | b'$' | b'`') {
                        value.push(next as char);
                        index += 2;
                        continue;
                    }
                    if next == b'\n' {
                        index += 2;
                        continue;
                    }
                }
                let ch = text[index..].chars().next().unwrap_or(' ');
                value.push(ch);
                index += ch.len_utf8();
            }
            (value, (index + 1).min(end), true)
        }
        b'$' if text[at..end].starts_with("$(") => {
            let mut depth = 0;
            let mut index = at + 1;
            while index < end {
                match bytes[index] {
                    b'(' => depth += 1,
                    b')' => {
                        depth -= 1;
                        if depth == 0 {
                            index += 1;
                            break;
                        }
                    }
                    _ => {}
                }
                index += 1;
            }
            (text[at..index.min(end)].to_string(), index.min(end), false)
        }
        b'\\' if at + 1 < end => {
            let ch = text[at + 1..].chars().next().unwrap_or(' ');
            (ch.to_string(), at + 1 + ch.len_utf8(), true)
        }
        _ => {
            let ch = text[at..].chars().next().unwrap_or(' ');
            (ch.to_string(), at + ch.len_utf8(), false)
        }
    }
}

/// The elements of a JSON exec form (`["a", "b"]`) with their ranges.
pub fn exec_form(array: Node<'_>, text: &str) -> Vec<Word> {
    let mut out = Vec::new();
    let mut cursor = array.walk();
    for element in array.named_children(&mut cursor) {
        if element.kind() != "json_string" {
            continue;
        }
        let raw = &text[element.byte_range()];
        let inner = raw
            .strip_prefix('"')
            .and_then(|raw| raw.strip_suffix('"'))
            .unwrap_or(raw);
        out.push(Word {
            value: json_unescape(inner),
            range: element.byte_range(),
            quoted: true,
        });
    }
    out
}

fn json_unescape(inner: &str) -> String {
    let mut out = String::new();
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some(other) => out.push(other),
            None => {}
        }
    }
    out
}

/// A JSON string literal for `value`.
pub fn json_string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            other => out.push(other),
        }
    }
    out.push('"');
    out
}

/// Whether an environment variable name looks like it holds a secret:
/// a `_`-separated segment is `SECRET`, `PASSWORD`, `PASSWD`, `TOKEN`,
/// `CREDENTIALS`, or the name holds `API_KEY`/`APIKEY`/`PRIVATE_KEY`/
/// `ACCESS_KEY`/`SECRET_KEY` or ends in `_KEY` — unless its last segment
/// says it is something else about the secret (`_FILE`, `_PATH`, `_LENGTH`,
/// `_URL`, `_EXPIRE_MINUTES`, ...).
pub fn secret_like_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    let segments: Vec<&str> = upper
        .split(['_', '-', '.'])
        .filter(|segment| !segment.is_empty())
        .collect();
    let Some(last) = segments.last() else {
        return false;
    };
    const NOT_THE_SECRET: [&str; 29] = [
        "FILE",
        "PATH",
        "DIR",
        "LENGTH",
        "LEN",
        "SIZE",
        "TTL",
        "EXPIRE",
        "EXPIRES",
        "EXPIRY",
        "EXPIRATION",
        "LIFETIME",
        "TIMEOUT",
        "URL",
        "URI",
        "ENDPOINT",
        "HEADER",
        "NAME",
        "ID",
        "ALGORITHM",
        "TYPE",
        "MODE",
        "ENABLED",
        "MINUTES",
        "SECONDS",
        "HOURS",
        "DAYS",
        "PREFIX",
        "SCHEME",
    ];
    if NOT_THE_SECRET.contains(last)
        || *last == "REQUIRED"
        || *last == "POLICY"
        || *last == "METHOD"
    {
        return false;
    }
    // A frontend build's public variables are compiled into the JavaScript
    // every browser downloads (Vite, Next.js, Create React App, ...): not a
    // secret by construction (dispatch's `VITE_SENTRY_APP_KEY`). A name
    // with a `USE`/`ENABLE`/`DISABLE` part is a switch for a secret
    // (`..._USE_ID_TOKEN`), not the secret.
    const PUBLIC_PREFIXES: [&str; 7] = [
        "VITE_",
        "NEXT_PUBLIC_",
        "REACT_APP_",
        "NUXT_PUBLIC_",
        "EXPO_PUBLIC_",
        "GATSBY_",
        "PUBLIC_",
    ];
    if PUBLIC_PREFIXES
        .iter()
        .any(|prefix| upper.starts_with(prefix))
        || segments
            .iter()
            .any(|segment| matches!(*segment, "USE" | "ENABLE" | "DISABLE"))
    {
        return false;
    }
    // Public keys and their fingerprints verify downloads (the official
    // Python images' `ENV GPG_KEY ...`); a private one is still a secret.
    let public_key = segments
        .iter()
        .any(|segment| matches!(*segment, "GPG" | "PGP" | "PUBLIC" | "PUB" | "FINGERPRINT"));
    let private = segments.iter().any(|segment| {
        matches!(
            *segment,
            "PRIVATE" | "SECRET" | "SECRETS" | "PASSWORD" | "PASSPHRASE" | "TOKEN"
        )
    });
    if public_key && !private {
        return false;
    }
    let segment_match = segments.iter().any(|segment| {
        matches!(
            *segment,
            "SECRET" | "SECRETS" | "PASSWORD" | "PASSWD" | "PASS" | "PWD" | "TOKEN" | "CREDENTIALS"
        ) || segment.ends_with("PASSWORD")
            || segment.ends_with("PASSWD")
    });
    let compact = upper.replace(['-', '.'], "_");
    segment_match
        || compact.contains("API_KEY")
        || compact.contains("APIKEY")
        || compact.contains("PRIVATE_KEY")
        || compact.contains("ACCESS_KEY")
        || compact.ends_with("_KEY")
        || compact == "KEY"
}

/// Whether a value is a plausible literal secret: not empty, not a
/// variable reference, not a path, not a boolean or number, not an obvious
/// "unset" placeholder.
pub fn literal_secret_value(value: &str) -> bool {
    let value = value.trim();
    if value.is_empty() || value.contains('$') && !value.contains("$$") {
        return false;
    }
    let lower = value.to_ascii_lowercase();
    let flag = matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "~"
    );
    let number = value.chars().all(|c| c.is_ascii_digit() || c == '.');
    let path = value.starts_with('/') || value.starts_with("./") || value.starts_with("~/");
    !(flag || number || path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{kind::FileKind, parse::parse};

    fn words(commands: &[Command]) -> Vec<Vec<String>> {
        commands
            .iter()
            .map(|command| {
                command
                    .words
                    .iter()
                    .map(|word| word.value.clone())
                    .collect()
            })
            .collect()
    }

    #[test]
    fn shell_text_splits_into_commands_with_file_offsets() {
        let text = "RUN apt-get update \\\n  # a comment\n  && DEBIAN_FRONTEND=noninteractive apt-get install -y \"lib x\" 2>&1 > /log \\\n  || (cd /tmp; echo 'a b')";
        let start = 4;
        let commands = split_shell(text, start..text.len(), Some('\\'));
        assert_eq!(
            words(&commands),
            vec![
                vec!["apt-get", "update"],
                vec![
                    "DEBIAN_FRONTEND=noninteractive",
                    "apt-get",
                    "install",
                    "-y",
                    "lib x"
                ],
                vec!["cd", "/tmp"],
                vec!["echo", "a b"],
            ]
        );
        assert_eq!(commands[1].separator, Separator::And);
        assert!(commands[1].redirected);
        assert!(commands[2].in_subshell);
        assert_eq!(commands[1].program(), Some("apt-get"));
        let quoted = &commands[1].words[4];
        assert_eq!(&text[quoted.range.clone()], "\"lib x\"");
        assert!(commands[1].apt("install").is_some());
    }

    #[test]
    fn pip_install_is_found_in_every_spelling() {
        for script in [
            "pip install x",
            "pip3 --quiet install x",
            "python3 -m pip install x",
            "sudo -H pip install x",
        ] {
            let commands = split_shell(script, 0..script.len(), None);
            assert!(commands[0].pip_install().is_some(), "{script}");
        }
        let script = "pip download x";
        assert!(
            split_shell(script, 0..script.len(), None)[0]
                .pip_install()
                .is_none()
        );
    }

    #[test]
    fn stages_arguments_and_users_are_modelled() {
        let text = "# escape=`\nARG BASE=python:3.12-slim\nFROM --platform=$BUILDPLATFORM ${BASE} AS Build\nENV PIP_NO_CACHE_DIR 1\nFROM build AS final\nUSER app\n";
        let tree = parse(FileKind::Dockerfile, text, None).unwrap();
        let model = Dockerfile::new(tree.root_node(), text);
        assert_eq!(model.escape, '`');
        assert_eq!(model.stages.len(), 2);
        assert_eq!(
            model.stages[0].resolved_image.as_deref(),
            Some("python:3.12-slim")
        );
        assert_eq!(model.stages[0].name.as_deref(), Some("build"));
        assert_eq!(model.stages[1].parent, Some(0));
        assert_eq!(model.chain(1), vec![1, 0]);
        assert!(model.in_final_image(0));
        assert_eq!(model.base_image(1), "python:3.12-slim");
        assert!(model.variable_set_before(1, "PIP_NO_CACHE_DIR", text.len()));
        assert_eq!(
            param(model.stages[0].from, text, "platform"),
            Some("$BUILDPLATFORM")
        );
    }

    #[test]
    fn arguments_without_defaults_do_not_resolve() {
        let args = vec![
            ("TAG".to_string(), None),
            ("PY".to_string(), Some("3.12".to_string())),
        ];
        assert_eq!(
            resolve_args("python:${PY}-slim", &args).as_deref(),
            Some("python:3.12-slim")
        );
        assert_eq!(resolve_args("python:$TAG", &args), None);
        assert_eq!(
            resolve_args("python:${TAG:-3.11}", &args).as_deref(),
            Some("python:3.11")
        );
    }

    #[test]
    fn secret_names_and_values() {
        for name in [
            "SECRET_KEY",
            "DB_PASSWORD",
            "GITHUB_TOKEN",
            "OPENAI_API_KEY",
            "AWS_SECRET_ACCESS_KEY",
            "JWT_SECRET",
            "GPG_PRIVATE_KEY",
            "WEBPASSWORD",
            "DBPASSWD",
        ] {
            assert!(secret_like_name(name), "{name}");
        }
        for name in [
            "TOKENIZERS_PARALLELISM",
            "PASSWORD_FILE",
            "ACCESS_TOKEN_EXPIRE_MINUTES",
            "TOKEN_URL",
            "KEYCLOAK_REALM",
            "PASSWORD_MIN_LENGTH",
            "AWS_ACCESS_KEY_ID",
            "GPG_KEY",
            "PGP_KEY",
            "RELEASE_PUBLIC_KEY",
            "MAILCOW_PASS_SCHEME",
            "VITE_SENTRY_APP_KEY",
            "NEXT_PUBLIC_STRIPE_KEY",
            "VITE_DISPATCH_AUTHENTICATION_PROVIDER_USE_ID_TOKEN",
            "ENABLE_API_KEY",
        ] {
            assert!(!secret_like_name(name), "{name}");
        }
        assert!(literal_secret_value("hunter2"));
        for value in ["", "${SECRET}", "$SECRET", "/run/secrets/x", "true", "0"] {
            assert!(!literal_secret_value(value), "{value}");
        }
    }

    /// `text` with the edit `edit` makes for its instruction number
    /// `index` (counting from 0), or `None` when it makes none.
    fn edited(
        text: &str,
        index: usize,
        edit: impl Fn(&Dockerfile<'_>, Node<'_>) -> Option<TextEdit>,
    ) -> Option<String> {
        let tree = parse(FileKind::Dockerfile, text, None).unwrap();
        let model = Dockerfile::new(tree.root_node(), text);
        let node = model.instructions[index].node;
        let edit = edit(&model, node)?;
        Some(crate::text::apply_edits(text, &[edit]).unwrap())
    }

    fn append(text: &str, index: usize) -> Option<String> {
        edited(text, index, |model, run| {
            model.append_command(run, "rm -rf /x")
        })
    }

    #[test]
    fn a_command_is_appended_to_a_run_following_its_layout() {
        assert_eq!(
            append("FROM d\nRUN apt-get update  \nCMD x\n", 1).as_deref(),
            Some("FROM d\nRUN apt-get update && rm -rf /x  \nCMD x\n")
        );
        // Lines that start with `&&` get one more, indented as they are.
        assert_eq!(
            append("FROM d\nRUN a \\\n      && b\n", 1).as_deref(),
            Some("FROM d\nRUN a \\\n      && b \\\n      && rm -rf /x\n")
        );
        // Lines that end in `&&` keep ending in it.
        assert_eq!(
            append("FROM d\nRUN a && \\\n  b\n", 1).as_deref(),
            Some("FROM d\nRUN a && \\\n  b && \\\n  rm -rf /x\n")
        );
        // The escape directive's character continues the lines; `\r\n` stays.
        assert_eq!(
            append("# escape=`\r\nFROM d\r\nRUN a `\r\n\tb\r\n", 1).as_deref(),
            Some("# escape=`\r\nFROM d\r\nRUN a `\r\n\tb `\r\n\t&& rm -rf /x\r\n")
        );
        // A heredoc script gets a last line.
        assert_eq!(
            append("FROM d\nRUN <<EOF\n  apt-get update\nEOF\n", 1).as_deref(),
            Some("FROM d\nRUN <<EOF\n  apt-get update\n  rm -rf /x\nEOF\n")
        );
        // A RUN that ends in an operator, or the exec form: no edit.
        assert_eq!(append("FROM d\nRUN a &&\n", 1), None);
        assert_eq!(append("FROM d\nRUN [\"a\"]\n", 1), None);
    }

    fn exec(text: &str, index: usize) -> Option<String> {
        edited(text, index, |model, node| model.exec_form_edit(node))
    }

    #[test]
    fn a_shell_form_command_is_rewritten_as_a_json_array() {
        assert_eq!(
            exec("FROM d\nCMD uvicorn 'app:main' --host \"0.0.0.0\"\n", 1).as_deref(),
            Some("FROM d\nCMD [\"uvicorn\", \"app:main\", \"--host\", \"0.0.0.0\"]\n")
        );
        // A word on a continuation line keeps its line and indentation.
        assert_eq!(
            exec("FROM d\nENTRYPOINT gunicorn \\\n    -w 4 app\n", 1).as_deref(),
            Some("FROM d\nENTRYPOINT [\"gunicorn\", \\\n    \"-w\", \"4\", \"app\"]\n")
        );
        // The shell text works as the capture too; `"` and `\` are escaped.
        let text = "FROM d\nRUN echo 'a \"b\" \\c'\n";
        let tree = parse(FileKind::Dockerfile, text, None).unwrap();
        let model = Dockerfile::new(tree.root_node(), text);
        let shell = named_child_of_kind(model.instructions[1].node, "shell_command").unwrap();
        let edit = model.exec_form_edit(shell).unwrap();
        assert_eq!(edit.new_text, "[\"echo\", \"a \\\"b\\\" \\\\c\"]");
        // Two commands, or the exec form already: no edit.
        assert_eq!(exec("FROM d\nCMD a && b\n", 1), None);
        assert_eq!(exec("FROM d\nCMD [\"a\"]\n", 1), None);
    }
}
