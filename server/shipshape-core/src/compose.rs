//! A model of a compose file over the tree-sitter-yaml tree: YAML values
//! with anchors, aliases and `<<` merge keys resolved, the services with
//! their environment (list and map forms), ports (short and long syntax),
//! `depends_on` (short and long), volumes, healthchecks and resource limits,
//! plus helpers that edit YAML at the right indentation.

use std::collections::HashMap;

use tree_sitter::Node;

use crate::{fix, text::TextEdit};

/// A YAML value. Nodes point into the file, so an aliased or merged value
/// points at its anchor's definition.
#[derive(Clone, Debug)]
pub enum Value<'t> {
    Map(Map<'t>),
    Seq(Seq<'t>),
    Scalar(Scalar<'t>),
}

#[derive(Clone, Debug)]
pub struct Map<'t> {
    /// The `block_mapping` or `flow_mapping`.
    pub node: Node<'t>,
    pub pairs: Vec<Pair<'t>>,
}

#[derive(Clone, Debug)]
pub struct Pair<'t> {
    pub key: String,
    pub key_node: Node<'t>,
    /// The `block_mapping_pair` / `flow_pair`.
    pub node: Node<'t>,
    pub value: Option<Value<'t>>,
    /// Whether the pair comes from a `<<` merge rather than this mapping.
    pub merged: bool,
}

#[derive(Clone, Debug)]
pub struct Seq<'t> {
    pub node: Node<'t>,
    pub items: Vec<Value<'t>>,
}

#[derive(Clone, Debug)]
pub struct Scalar<'t> {
    /// The value with quotes and escapes removed.
    pub value: String,
    pub node: Node<'t>,
    pub quoted: bool,
}

impl<'t> Value<'t> {
    pub fn node(&self) -> Node<'t> {
        match self {
            Value::Map(map) => map.node,
            Value::Seq(seq) => seq.node,
            Value::Scalar(scalar) => scalar.node,
        }
    }

    pub fn as_map(&self) -> Option<&Map<'t>> {
        match self {
            Value::Map(map) => Some(map),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&Seq<'t>> {
        match self {
            Value::Seq(seq) => Some(seq),
            _ => None,
        }
    }

    pub fn as_scalar(&self) -> Option<&Scalar<'t>> {
        match self {
            Value::Scalar(scalar) => Some(scalar),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        self.as_scalar().map(|scalar| scalar.value.as_str())
    }

    /// Follows a path of keys through nested mappings.
    pub fn path(&self, keys: &[&str]) -> Option<&Value<'t>> {
        let mut current = self;
        for key in keys {
            current = current.as_map()?.get(key)?;
        }
        Some(current)
    }
}

impl<'t> Map<'t> {
    pub fn pair(&self, key: &str) -> Option<&Pair<'t>> {
        self.pairs.iter().find(|pair| pair.key == key)
    }

    pub fn get(&self, key: &str) -> Option<&Value<'t>> {
        self.pair(key)?.value.as_ref()
    }

    pub fn is_flow(&self) -> bool {
        self.node.kind() == "flow_mapping"
    }
}

/// Reads YAML values from a tree, resolving anchors.
pub struct Reader<'t> {
    text: &'t str,
    anchors: HashMap<String, Node<'t>>,
}

impl<'t> Reader<'t> {
    pub fn new(root: Node<'t>, text: &'t str) -> Reader<'t> {
        let mut anchors = HashMap::new();
        collect_anchors(root, text, &mut anchors);
        Reader { text, anchors }
    }

    /// The value of the first document.
    pub fn document(&self, root: Node<'t>) -> Option<Value<'t>> {
        let mut cursor = root.walk();
        let document = root
            .named_children(&mut cursor)
            .find(|node| node.kind() == "document")?;
        let mut cursor = document.walk();
        let body = document
            .named_children(&mut cursor)
            .find(|node| matches!(node.kind(), "block_node" | "flow_node"))?;
        self.value(body, 0)
    }

    /// The value of a `block_node`/`flow_node` (or a mapping, sequence or
    /// scalar node itself).
    pub fn value(&self, node: Node<'t>, depth: usize) -> Option<Value<'t>> {
        if depth > 32 {
            return None;
        }
        match node.kind() {
            "block_node" | "flow_node" => {
                let mut cursor = node.walk();
                let children: Vec<Node<'t>> = node.named_children(&mut cursor).collect();
                for child in children {
                    match child.kind() {
                        "anchor" | "tag" | "comment" => continue,
                        "alias" => {
                            let name = named_child_text(child, "alias_name", self.text)?;
                            let target = *self.anchors.get(name)?;
                            return self.value(target, depth + 1);
                        }
                        _ => return self.value(child, depth + 1),
                    }
                }
                None
            }
            "block_mapping" | "flow_mapping" => Some(Value::Map(self.map(node, depth))),
            "block_sequence" | "flow_sequence" => {
                let mut items = Vec::new();
                let mut cursor = node.walk();
                for child in node.named_children(&mut cursor) {
                    let item = match child.kind() {
                        "block_sequence_item" => {
                            let mut inner = child.walk();
                            child
                                .named_children(&mut inner)
                                .find(|n| n.kind() != "comment")
                        }
                        "flow_node" => Some(child),
                        "flow_pair" => {
                            // `[a: b]` is a one-pair mapping; rare in compose.
                            None
                        }
                        _ => None,
                    };
                    if let Some(item) = item.and_then(|item| self.value(item, depth + 1)) {
                        items.push(item);
                    }
                }
                Some(Value::Seq(Seq { node, items }))
            }
            "plain_scalar" | "double_quote_scalar" | "single_quote_scalar" | "block_scalar" => {
                Some(Value::Scalar(Scalar {
                    value: scalar_value(node, self.text),
                    node,
                    quoted: node.kind() != "plain_scalar",
                }))
            }
            _ => None,
        }
    }

    fn map(&self, node: Node<'t>, depth: usize) -> Map<'t> {
        let mut pairs: Vec<Pair<'t>> = Vec::new();
        let mut merges: Vec<Value<'t>> = Vec::new();
        let mut cursor = node.walk();
        for pair in node.named_children(&mut cursor) {
            if !matches!(pair.kind(), "block_mapping_pair" | "flow_pair") {
                continue;
            }
            let Some(key_node) = pair.child_by_field_name("key") else {
                continue;
            };
            let key = match self.value(key_node, depth + 1) {
                Some(Value::Scalar(scalar)) => scalar.value,
                _ => continue,
            };
            let value = pair
                .child_by_field_name("value")
                .and_then(|value| self.value(value, depth + 1));
            if key == "<<" {
                match value {
                    Some(Value::Seq(seq)) => merges.extend(seq.items),
                    Some(value) => merges.push(value),
                    None => {}
                }
                continue;
            }
            pairs.push(Pair {
                key,
                key_node,
                node: pair,
                value,
                merged: false,
            });
        }
        // Merged keys come after the mapping's own and never override them;
        // earlier merge sources win over later ones.
        for merge in merges {
            let Value::Map(source) = merge else { continue };
            for pair in source.pairs {
                if !pairs.iter().any(|own| own.key == pair.key) {
                    pairs.push(Pair {
                        merged: true,
                        ..pair
                    });
                }
            }
        }
        Map { node, pairs }
    }
}

fn collect_anchors<'t>(node: Node<'t>, text: &'t str, anchors: &mut HashMap<String, Node<'t>>) {
    if node.kind() == "anchor" {
        if let (Some(name), Some(parent)) =
            (named_child_text(node, "anchor_name", text), node.parent())
        {
            anchors.insert(name.to_string(), parent);
        }
        return;
    }
    let mut cursor = node.walk();
    for child in node.named_children(&mut cursor) {
        collect_anchors(child, text, anchors);
    }
}

fn named_child_text<'t>(node: Node<'_>, kind: &str, text: &'t str) -> Option<&'t str> {
    let mut cursor = node.walk();
    let child = node
        .named_children(&mut cursor)
        .find(|child| child.kind() == kind)?;
    Some(&text[child.byte_range()])
}

/// The value of a scalar node, quotes removed and escapes applied.
pub fn scalar_value(node: Node<'_>, text: &str) -> String {
    let raw = &text[node.byte_range()];
    match node.kind() {
        "double_quote_scalar" => {
            let inner = raw
                .strip_prefix('"')
                .and_then(|raw| raw.strip_suffix('"'))
                .unwrap_or(raw);
            let mut out = String::new();
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                if c == '\\' {
                    match chars.next() {
                        Some('n') => out.push('\n'),
                        Some('t') => out.push('\t'),
                        Some('\n') => {}
                        Some(other) => out.push(other),
                        None => {}
                    }
                } else {
                    out.push(c);
                }
            }
            fold_lines(&out)
        }
        "single_quote_scalar" => {
            let inner = raw
                .strip_prefix('\'')
                .and_then(|raw| raw.strip_suffix('\''))
                .unwrap_or(raw);
            fold_lines(&inner.replace("''", "'"))
        }
        "block_scalar" => {
            // `|` keeps lines, `>` folds them; the command text is all rules need.
            let body = raw.split_once('\n').map_or("", |(_, body)| body);
            let lines: Vec<&str> = body.lines().map(str::trim).collect();
            if raw.starts_with('>') {
                lines.join(" ")
            } else {
                lines.join("\n")
            }
        }
        _ => fold_lines(raw),
    }
}

fn fold_lines(value: &str) -> String {
    if !value.contains('\n') {
        return value.to_string();
    }
    value.lines().map(str::trim).collect::<Vec<_>>().join(" ")
}

// ----------------------------------------------------------------------
// Compose

/// A compose file: its services, in file order.
pub struct Compose<'t> {
    pub text: &'t str,
    pub root: Option<Value<'t>>,
    pub services: Vec<Service<'t>>,
    /// Each environment variable, `ports` item and `depends_on` entry by
    /// the range of its node: the index of the first service that has it
    /// (merged ones belong to several) and its index there. Built once, so
    /// the predicates that look a binding up do not read every service again.
    environment_index: HashMap<std::ops::Range<usize>, (usize, usize)>,
    port_index: HashMap<std::ops::Range<usize>, (usize, usize)>,
    dependency_index: HashMap<std::ops::Range<usize>, (usize, usize)>,
}

/// One service, with merge keys resolved.
#[derive(Clone, Debug)]
pub struct Service<'t> {
    pub name: String,
    pub key_node: Node<'t>,
    /// The `block_mapping_pair` of the service under `services:`.
    pub pair_node: Node<'t>,
    pub map: Map<'t>,
    /// Its `environment` variables, read once (see [`Service::environment`]).
    environment: Vec<EnvVar<'t>>,
    /// Its `depends_on` entries, read once (see [`Service::depends_on`]).
    dependencies: Vec<Dependency<'t>>,
}

/// An environment variable of a service.
#[derive(Clone, Debug)]
pub struct EnvVar<'t> {
    pub name: String,
    /// `None` for `- NAME` / `NAME:` (passed through from the shell).
    pub value: Option<String>,
    /// The scalar that holds the value (the whole `NAME=value` item in list form).
    pub node: Node<'t>,
    /// Whether the variable is written as a list item `NAME=value`.
    pub list_form: bool,
}

impl<'t> Compose<'t> {
    pub fn new(root: Node<'t>, text: &'t str) -> Compose<'t> {
        let reader = Reader::new(root, text);
        let document = reader.document(root);
        let mut services = Vec::new();
        if let Some(Value::Map(services_map)) =
            document.as_ref().and_then(|doc| doc.path(&["services"]))
        {
            for pair in &services_map.pairs {
                let Some(Value::Map(map)) = &pair.value else {
                    continue;
                };
                let mut service = Service {
                    name: pair.key.clone(),
                    key_node: pair.key_node,
                    pair_node: pair.node,
                    map: map.clone(),
                    environment: Vec::new(),
                    dependencies: Vec::new(),
                };
                service.environment = service.read_environment();
                service.dependencies = service.read_depends_on();
                services.push(service);
            }
        }
        let mut environment_index = HashMap::new();
        let mut port_index = HashMap::new();
        let mut dependency_index = HashMap::new();
        for (index, service) in services.iter().enumerate() {
            for (item, var) in service.environment.iter().enumerate() {
                environment_index
                    .entry(var.node.byte_range())
                    .or_insert((index, item));
            }
            for (item, port) in service.port_mappings().iter().enumerate() {
                port_index
                    .entry(port.node().byte_range())
                    .or_insert((index, item));
            }
            for (item, dependency) in service.dependencies.iter().enumerate() {
                dependency_index
                    .entry(dependency.node.byte_range())
                    .or_insert((index, item));
            }
        }
        Compose {
            text,
            root: document,
            services,
            environment_index,
            port_index,
            dependency_index,
        }
    }

    pub fn service(&self, name: &str) -> Option<&Service<'t>> {
        self.services.iter().find(|service| service.name == name)
    }

    /// The top-level mapping.
    pub fn root_map(&self) -> Option<&Map<'t>> {
        self.root.as_ref()?.as_map()
    }

    /// The files of the top-level `include:` (Compose 2.20+), as written:
    /// short syntax (`- db/compose.yaml`) and long syntax (`- path: ...`,
    /// where `path` may be a list of files merged together).
    pub fn includes(&self) -> Vec<String> {
        let Some(Value::Seq(seq)) = self.root_map().and_then(|root| root.get("include")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in &seq.items {
            match item {
                Value::Scalar(scalar) => out.push(scalar.value.clone()),
                Value::Map(map) => match map.get("path") {
                    Some(Value::Scalar(scalar)) => out.push(scalar.value.clone()),
                    Some(Value::Seq(paths)) => out.extend(
                        paths
                            .items
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string),
                    ),
                    _ => {}
                },
                Value::Seq(_) => {}
            }
        }
        out.retain(|path| !path.is_empty() && !path.contains("://"));
        out
    }
}

impl<'t> Service<'t> {
    pub fn get(&self, key: &str) -> Option<&Value<'t>> {
        self.map.get(key)
    }

    /// The image as written, if any.
    pub fn image(&self) -> Option<&str> {
        self.get("image")?.as_str()
    }

    /// The image's repository name without registry, tag or digest,
    /// lowercased (`postgres`, `bitnami/postgresql`, `qdrant/qdrant`).
    pub fn image_repository(&self) -> Option<String> {
        let image = self.image()?.to_ascii_lowercase();
        let without_digest = image.split('@').next().unwrap_or(&image);
        let (name, _) = split_tag(without_digest);
        let mut parts: Vec<&str> = name.split('/').collect();
        if parts.len() > 1
            && (parts[0].contains('.') || parts[0].contains(':') || parts[0] == "localhost")
        {
            parts.remove(0);
        }
        if parts.first() == Some(&"library") {
            parts.remove(0);
        }
        Some(parts.join("/"))
    }

    pub fn has_build(&self) -> bool {
        self.get("build").is_some()
    }

    /// The environment variables, list and map forms.
    pub fn environment(&self) -> &[EnvVar<'t>] {
        &self.environment
    }

    fn read_environment(&self) -> Vec<EnvVar<'t>> {
        let mut out = Vec::new();
        match self.get("environment") {
            Some(Value::Map(map)) => {
                for pair in &map.pairs {
                    let (value, node) = match &pair.value {
                        Some(Value::Scalar(scalar)) => (Some(scalar.value.clone()), scalar.node),
                        _ => (None, pair.key_node),
                    };
                    out.push(EnvVar {
                        name: pair.key.clone(),
                        value,
                        node,
                        list_form: false,
                    });
                }
            }
            Some(Value::Seq(seq)) => {
                for item in &seq.items {
                    let Some(scalar) = item.as_scalar() else {
                        continue;
                    };
                    let (name, value) = match scalar.value.split_once('=') {
                        Some((name, value)) => (name.trim().to_string(), Some(value.to_string())),
                        None => (scalar.value.trim().to_string(), None),
                    };
                    out.push(EnvVar {
                        name,
                        value,
                        node: scalar.node,
                        list_form: true,
                    });
                }
            }
            _ => {}
        }
        out
    }

    /// The service's command (or entrypoint) as words; a string command is
    /// split at blanks, with the scalar node of each word.
    pub fn command_words(&self, key: &str) -> Vec<(String, Node<'t>)> {
        match self.get(key) {
            Some(Value::Scalar(scalar)) => scalar
                .value
                .split_whitespace()
                .map(|word| (word.to_string(), scalar.node))
                .collect(),
            Some(Value::Seq(seq)) => seq
                .items
                .iter()
                .filter_map(|item| item.as_scalar())
                .flat_map(|scalar| {
                    // `["sh", "-c", "uvicorn app --reload"]`: look inside.
                    scalar
                        .value
                        .split_whitespace()
                        .map(|word| (word.to_string(), scalar.node))
                        .collect::<Vec<_>>()
                })
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether the service has a healthcheck that is not disabled.
    pub fn healthcheck(&self) -> Option<&Value<'t>> {
        let check = self.get("healthcheck")?;
        let map = check.as_map()?;
        if map.get("disable").and_then(Value::as_str) == Some("true") {
            return None;
        }
        if let Some(test) = map.get("test") {
            let first = match test {
                Value::Seq(seq) => seq
                    .items
                    .first()
                    .and_then(Value::as_str)
                    .map(str::to_string),
                Value::Scalar(scalar) => Some(scalar.value.clone()),
                _ => None,
            };
            if first.as_deref() == Some("NONE") {
                return None;
            }
        }
        Some(check)
    }

    /// Whether the healthcheck is explicitly disabled (a decision, not an omission).
    pub fn healthcheck_disabled(&self) -> bool {
        self.get("healthcheck").is_some() && self.healthcheck().is_none()
    }

    /// Volume targets (container paths) and tmpfs mounts.
    pub fn volume_targets(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(Value::Seq(seq)) = self.get("volumes") {
            for item in &seq.items {
                match item {
                    Value::Scalar(scalar) => {
                        let parts: Vec<&str> = scalar.value.split(':').collect();
                        let target = match parts.len() {
                            1 => parts[0],
                            _ => parts[1],
                        };
                        out.push(target.trim_end_matches('/').to_string());
                    }
                    Value::Map(map) => {
                        if let Some(target) = map.get("target").and_then(Value::as_str) {
                            out.push(target.trim_end_matches('/').to_string());
                        }
                    }
                    _ => {}
                }
            }
        }
        match self.get("tmpfs") {
            Some(Value::Seq(seq)) => {
                for item in seq.items.iter().filter_map(Value::as_str) {
                    out.push(
                        item.split(':')
                            .next()
                            .unwrap_or(item)
                            .trim_end_matches('/')
                            .to_string(),
                    );
                }
            }
            Some(Value::Scalar(scalar)) => out.push(
                scalar
                    .value
                    .split(':')
                    .next()
                    .unwrap_or("")
                    .trim_end_matches('/')
                    .to_string(),
            ),
            _ => {}
        }
        out
    }

    /// The source and target of each of the service's `volumes` items
    /// (short syntax `source:target[:mode]`, a lone path an anonymous
    /// volume's target with no source; long
    /// syntax `source:`/`target:`), with the item, as
    /// [`split_volume`] reads them.
    pub fn volume_mounts(&self) -> Vec<(&Value<'t>, String, String)> {
        let Some(Value::Seq(seq)) = self.get("volumes") else {
            return Vec::new();
        };
        seq.items
            .iter()
            .filter_map(|item| match item {
                Value::Scalar(scalar) => {
                    let (source, target) = split_volume(&scalar.value);
                    Some((item, source, target))
                }
                Value::Map(map) => {
                    let field = |key: &str| {
                        map.get(key)
                            .and_then(Value::as_str)
                            .map(|value| resolve_default(value.trim()))
                            .unwrap_or_default()
                    };
                    Some((item, field("source"), field("target")))
                }
                Value::Seq(_) => None,
            })
            .collect()
    }

    /// `depends_on` entries: the service name, its node (item or key) and
    /// the `condition` when the long form gives one.
    pub fn depends_on(&self) -> &[Dependency<'t>] {
        &self.dependencies
    }

    fn read_depends_on(&self) -> Vec<Dependency<'t>> {
        let mut out = Vec::new();
        match self.get("depends_on") {
            Some(Value::Seq(seq)) => {
                for item in &seq.items {
                    if let Some(scalar) = item.as_scalar() {
                        out.push(Dependency {
                            name: scalar.value.clone(),
                            node: scalar.node,
                            condition: None,
                            long: None,
                        });
                    }
                }
            }
            Some(Value::Map(map)) => {
                for pair in &map.pairs {
                    let condition = pair
                        .value
                        .as_ref()
                        .and_then(|value| value.as_map())
                        .and_then(|map| map.pair("condition"))
                        .and_then(|pair| {
                            Some((
                                pair.value.as_ref()?.as_str()?.to_string(),
                                pair.value.as_ref()?.node(),
                            ))
                        });
                    out.push(Dependency {
                        name: pair.key.clone(),
                        node: pair.key_node,
                        condition,
                        long: Some(pair.clone()),
                    });
                }
            }
            _ => {}
        }
        out
    }

    /// Whether the service sets a memory limit.
    pub fn has_memory_limit(&self) -> bool {
        self.get("mem_limit").is_some()
            || self
                .get("deploy")
                .and_then(|deploy| deploy.path(&["resources", "limits", "memory"]))
                .is_some()
    }

    /// Whether a one-shot job: a migration/setup task rather than a server.
    pub fn looks_one_shot(&self, compose: &Compose<'_>) -> bool {
        let awaited = compose.services.iter().any(|other| {
            other.depends_on().iter().any(|dependency| {
                dependency.name == self.name
                    && dependency
                        .condition
                        .as_ref()
                        .is_some_and(|(condition, _)| condition == "service_completed_successfully")
            })
        });
        if awaited {
            return true;
        }
        let serves = self.get("ports").is_some() || self.get("expose").is_some();
        if self.get("restart").and_then(Value::as_str) == Some("no") && !serves {
            return true;
        }
        let name = self.name.to_ascii_lowercase();
        const JOB_WORDS: [&str; 9] = [
            "migrat",
            "init",
            "setup",
            "seed",
            "test",
            "lint",
            "bootstrap",
            "createbuckets",
            "-job",
        ];
        if JOB_WORDS.iter().any(|word| name.contains(word)) {
            return true;
        }
        let command: Vec<String> = self
            .command_words("command")
            .into_iter()
            .map(|(word, _)| word)
            .collect();
        let joined = command.join(" ");
        // `migrate && runserver`: the job ends in a server.
        const SERVERS: [&str; 12] = [
            "runserver",
            "uvicorn",
            "gunicorn",
            "hypercorn",
            "daphne",
            "granian",
            "flask",
            "fastapi",
            "celery",
            "npm",
            "node",
            "nginx",
        ];
        if command
            .iter()
            .any(|word| SERVERS.contains(&word.rsplit('/').next().unwrap_or(word)))
        {
            return false;
        }
        joined.contains("alembic upgrade")
            || joined.contains("manage.py migrate")
            || joined.contains("pytest")
            || joined.contains("migrate ")
            || joined.ends_with("migrate")
    }
}

/// One `depends_on` entry.
#[derive(Clone, Debug)]
pub struct Dependency<'t> {
    pub name: String,
    pub node: Node<'t>,
    /// The `condition` value and its node.
    pub condition: Option<(String, Node<'t>)>,
    /// The long-form pair, when the map form is used.
    pub long: Option<Pair<'t>>,
}

/// The source and target of a short-syntax volume (`source:target[:mode]`;
/// a lone path is the target of an anonymous volume, with no source), split at the colons outside `${...}`, with each
/// part that is one `${VAR:-default}` (or `${VAR-default}`) read as its
/// default.
pub fn split_volume(value: &str) -> (String, String) {
    let mut parts = Vec::new();
    let mut depth = 0usize;
    let mut start = 0;
    for (index, c) in value.char_indices() {
        match c {
            '{' if value[..index].ends_with('$') => depth += 1,
            '}' if depth > 0 => depth -= 1,
            ':' if depth == 0 => {
                parts.push(&value[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&value[start..]);
    match parts.as_slice() {
        [target] => (String::new(), resolve_default(target.trim())),
        [source, target, ..] => (
            resolve_default(source.trim()),
            resolve_default(target.trim()),
        ),
        [] => (String::new(), String::new()),
    }
}

/// `${VAR:-default}` or `${VAR-default}` as its default; other text as is.
pub fn resolve_default(value: &str) -> String {
    interpolation_default(value)
        .map_or_else(|| value.to_string(), |(_, default)| default.to_string())
}

/// The variable and default of a value that is one `${VAR:-default}` or
/// `${VAR-default}` (blanks around it left out).
pub fn interpolation_default(value: &str) -> Option<(&str, &str)> {
    let inner = value.trim().strip_prefix("${")?.strip_suffix('}')?;
    if inner.contains('{') {
        return None;
    }
    let index = inner.find('-')?;
    let name = inner[..index].strip_suffix(':').unwrap_or(&inner[..index]);
    (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .then(|| (name, &inner[index + 1..]))
}

/// Whether an image repository (as [`Service::image_repository`] gives it)
/// is a message broker, queue or coordination or analytics store that
/// serves only other services: RabbitMQ, Kafka, ZooKeeper, NATS, etcd,
/// Consul, ClickHouse, OpenSearch, InfluxDB. Databases and caches are
/// [`database_image`]'s.
pub fn internal_service_image(repository: &str) -> bool {
    const INTERNAL: &[&str] = &[
        "rabbitmq",
        "bitnami/rabbitmq",
        "apache/kafka",
        "bitnami/kafka",
        "confluentinc/cp-kafka",
        "confluentinc/cp-server",
        "wurstmeister/kafka",
        "zookeeper",
        "bitnami/zookeeper",
        "confluentinc/cp-zookeeper",
        "nats",
        "coreos/etcd",
        "bitnami/etcd",
        "hashicorp/consul",
        "consul",
        "clickhouse/clickhouse-server",
        "yandex/clickhouse-server",
        "bitnami/clickhouse",
        "opensearchproject/opensearch",
        "influxdb",
        "bitnami/influxdb",
    ];
    INTERNAL.contains(&repository)
}

/// Splits `name:tag` at the tag's colon (not a registry port's).
pub fn split_tag(image: &str) -> (&str, Option<&str>) {
    let slash = image.rfind('/').map_or(0, |index| index + 1);
    match image[slash..].find(':') {
        Some(colon) => (&image[..slash + colon], Some(&image[slash + colon + 1..])),
        None => (image, None),
    }
}

/// Databases and caches, by image repository, with their data directory
/// (`None` for caches that need no volume).
pub fn database_image(repository: &str) -> Option<(&'static str, Option<&'static [&'static str]>)> {
    const TABLE: &[(&str, Option<&[&str]>)] = &[
        (
            "postgres",
            Some(&["/var/lib/postgresql/data", "/var/lib/postgresql"]),
        ),
        (
            "postgis/postgis",
            Some(&["/var/lib/postgresql/data", "/var/lib/postgresql"]),
        ),
        (
            "pgvector/pgvector",
            Some(&["/var/lib/postgresql/data", "/var/lib/postgresql"]),
        ),
        (
            "timescale/timescaledb",
            Some(&["/var/lib/postgresql/data", "/var/lib/postgresql"]),
        ),
        ("timescale/timescaledb-ha", Some(&["/home/postgres/pgdata"])),
        (
            "ankane/pgvector",
            Some(&["/var/lib/postgresql/data", "/var/lib/postgresql"]),
        ),
        (
            "supabase/postgres",
            Some(&["/var/lib/postgresql/data", "/var/lib/postgresql"]),
        ),
        (
            "bitnami/postgresql",
            Some(&["/bitnami/postgresql", "/bitnami"]),
        ),
        ("mysql", Some(&["/var/lib/mysql"])),
        ("mariadb", Some(&["/var/lib/mysql"])),
        ("bitnami/mysql", Some(&["/bitnami/mysql", "/bitnami"])),
        ("bitnami/mariadb", Some(&["/bitnami/mariadb", "/bitnami"])),
        ("mongo", Some(&["/data/db", "/data"])),
        (
            "mongodb/mongodb-community-server",
            Some(&["/data/db", "/data"]),
        ),
        ("bitnami/mongodb", Some(&["/bitnami/mongodb", "/bitnami"])),
        ("qdrant/qdrant", Some(&["/qdrant/storage"])),
        ("elasticsearch", Some(&["/usr/share/elasticsearch/data"])),
        (
            "docker.elastic.co/elasticsearch/elasticsearch",
            Some(&["/usr/share/elasticsearch/data"]),
        ),
        (
            "elasticsearch/elasticsearch",
            Some(&["/usr/share/elasticsearch/data"]),
        ),
        (
            "opensearchproject/opensearch",
            Some(&["/usr/share/opensearch/data"]),
        ),
        ("neo4j", Some(&["/data"])),
        ("couchdb", Some(&["/opt/couchdb/data"])),
        (
            "clickhouse/clickhouse-server",
            Some(&["/var/lib/clickhouse"]),
        ),
        (
            "influxdb",
            Some(&["/var/lib/influxdb2", "/var/lib/influxdb"]),
        ),
        ("cassandra", Some(&["/var/lib/cassandra"])),
        ("semitechnologies/weaviate", Some(&["/var/lib/weaviate"])),
        ("chromadb/chroma", Some(&["/chroma/chroma", "/data"])),
        ("milvusdb/milvus", Some(&["/var/lib/milvus"])),
        (
            "cockroachdb/cockroach",
            Some(&["/cockroach/cockroach-data"]),
        ),
        ("redis", None),
        ("redis/redis-stack", None),
        ("redis/redis-stack-server", None),
        ("bitnami/redis", None),
        ("valkey/valkey", None),
        ("eqalpha/keydb", None),
        ("memcached", None),
        ("docker.dragonflydb.io/dragonflydb/dragonfly", None),
        ("dragonflydb/dragonfly", None),
    ];
    TABLE
        .iter()
        .find(|(name, _)| *name == repository)
        .map(|(name, dirs)| (*name, *dirs))
}

/// Whether the compose file is an override or development/test variant
/// whose services are partial or deliberately ephemeral.
pub fn is_override_or_dev_path(path: &std::path::Path) -> bool {
    let name = path
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let stem = name.trim_end_matches(".yaml").trim_end_matches(".yml");
    stem.split(['.', '-', '_']).any(|part| {
        matches!(
            part,
            "override"
                | "dev"
                | "development"
                | "local"
                | "test"
                | "tests"
                | "testing"
                | "ci"
                | "debug"
        )
    })
}

// ----------------------------------------------------------------------
// Health checks, ports and data directories

/// Reads a file's text (the project's files: an editor's text first, else
/// the disk's); `None` when it cannot be read.
pub type ReadFile<'r> = &'r dyn Fn(&std::path::Path) -> Option<String>;

impl<'t> Service<'t> {
    /// Whether the service has a health check that is not disabled: its
    /// own, or a `HEALTHCHECK` (not `NONE`) in the Dockerfile it builds, as
    /// `read` gives it; `path` is the compose file's.
    pub fn has_healthcheck_in(&self, path: &std::path::Path, read: ReadFile<'_>) -> bool {
        self.healthcheck().is_some() || self.dockerfile_has_healthcheck(path, read)
    }

    /// Whether the Dockerfile the service builds (when it can be read)
    /// declares a `HEALTHCHECK` that is not `NONE`.
    fn dockerfile_has_healthcheck(&self, path: &std::path::Path, read: ReadFile<'_>) -> bool {
        let Some(built) = self.built_dockerfile(path) else {
            return false;
        };
        let Some(content) = read(&built) else {
            return false;
        };
        content.lines().any(|line| {
            let line = line.trim_start().to_ascii_uppercase();
            line.starts_with("HEALTHCHECK") && !line.trim_end().ends_with("NONE")
        })
    }

    /// The Dockerfile the service builds (`build: ./dir`, or `build:` with
    /// `context` and `dockerfile`), joined to the folder of the compose
    /// file at `path`; `None` without a `build`, or when the build names
    /// a variable or a URL.
    pub fn built_dockerfile(&self, path: &std::path::Path) -> Option<std::path::PathBuf> {
        let build = self.get("build")?;
        let (context, dockerfile) = match build {
            Value::Scalar(scalar) => (scalar.value.clone(), "Dockerfile".to_string()),
            Value::Map(map) => (
                map.get("context")
                    .and_then(Value::as_str)
                    .unwrap_or(".")
                    .to_string(),
                map.get("dockerfile")
                    .and_then(Value::as_str)
                    .unwrap_or("Dockerfile")
                    .to_string(),
            ),
            _ => return None,
        };
        if context.contains('$') || dockerfile.contains('$') || context.contains("://") {
            return None;
        }
        Some(path.parent()?.join(context).join(dockerfile))
    }

    /// The data directories of the service's database image (`None` for
    /// other images and for caches that keep no data).
    pub fn data_dirs(&self) -> Option<&'static [&'static str]> {
        database_image(&self.image_repository()?)?.1
    }

    /// The data directory to mount: Postgres 18 images keep data one level up.
    pub fn data_dir(&self) -> Option<&'static str> {
        let dirs = self.data_dirs()?;
        let tag = self
            .image()
            .and_then(|image| split_tag(image).1)
            .unwrap_or("");
        let major: u32 = tag
            .chars()
            .take_while(char::is_ascii_digit)
            .collect::<String>()
            .parse()
            .unwrap_or(0);
        let postgres = dirs.first() == Some(&"/var/lib/postgresql/data");
        Some(if postgres && major >= 18 {
            dirs[1]
        } else {
            dirs[0]
        })
    }

    /// Whether the database's data lives outside the container: a volume
    /// or tmpfs target (longer than `/`) holds one of its data directories
    /// or lies inside one, or it takes `volumes_from` another service.
    pub fn data_mounted(&self) -> bool {
        let Some(dirs) = self.data_dirs() else {
            return false;
        };
        self.get("volumes_from").is_some()
            || self
                .volume_targets()
                .iter()
                .filter(|target| target.len() > 1)
                .any(|target| {
                    dirs.iter()
                        .any(|dir| dir.starts_with(target.as_str()) || target.starts_with(dir))
                })
    }

    /// The items of `ports` (short syntax scalars and long syntax
    /// mappings) with the pair that holds them.
    pub fn port_mappings(&self) -> Vec<PortMapping<'_, 't>> {
        let Some(pair) = self.map.pair("ports") else {
            return Vec::new();
        };
        let Some(Value::Seq(seq)) = &pair.value else {
            return Vec::new();
        };
        seq.items
            .iter()
            .filter(|item| !matches!(item, Value::Seq(_)))
            .map(|item| PortMapping { pair, item })
            .collect()
    }
}

/// One item of a service's `ports`.
pub struct PortMapping<'s, 't> {
    /// The `ports` pair (merged from an anchor or the service's own).
    pub pair: &'s Pair<'t>,
    /// A scalar (short syntax) or a mapping (long syntax).
    pub item: &'s Value<'t>,
}

fn loopback(host: &str) -> bool {
    host.starts_with("127.") || host == "localhost" || host == "[::1]" || host == "::1"
}

impl<'t> PortMapping<'_, 't> {
    pub fn node(&self) -> Node<'t> {
        self.item.node()
    }

    /// What the mapping says, for messages: the short syntax as written
    /// (without quotes and blanks), the long syntax's `target` (`?` without one).
    pub fn shown(&self) -> String {
        match self.item {
            Value::Scalar(scalar) => scalar.value.trim().to_string(),
            Value::Map(map) => map
                .get("target")
                .and_then(Value::as_str)
                .unwrap_or("?")
                .to_string(),
            Value::Seq(_) => String::new(),
        }
    }

    /// The host IP of a short-syntax mapping: what precedes `host:container`
    /// (a `${VAR:-5432}` host port is not an IP), or a bracketed IPv6.
    fn short_host(value: &str) -> Option<String> {
        if value.starts_with('[') {
            value.split(']').next().map(|host| format!("{host}]"))
        } else {
            let parts: Vec<&str> = value.split(':').collect();
            (parts.len() >= 3 && !value.starts_with("${")).then(|| parts[0].to_string())
        }
    }

    /// Whether the port is published on every host interface: short syntax
    /// without a host IP, with `0.0.0.0` or a host that is neither a
    /// loopback nor an IPv4 address; long syntax without `host_ip` or with
    /// `0.0.0.0`.
    pub fn on_all_interfaces(&self) -> bool {
        match self.item {
            Value::Scalar(scalar) => match Self::short_host(scalar.value.trim()).as_deref() {
                Some(host) if loopback(host) => false,
                Some("0.0.0.0") => true,
                Some(host) => {
                    !(host.chars().next().is_some_and(|c| c.is_ascii_digit()) && host.contains('.'))
                }
                None => true,
            },
            Value::Map(map) => !map
                .get("host_ip")
                .and_then(Value::as_str)
                .is_some_and(|host| loopback(host) || host != "0.0.0.0"),
            Value::Seq(_) => false,
        }
    }

    /// An edit binding the mapping to `host`: in short syntax, `0.0.0.0`
    /// replaced or `host:` put in front (`host::` before a lone container
    /// port); in long syntax, `host_ip` set or added after `published` or
    /// `target`. `None` when the ports come from a merge key.
    pub fn bind_edit(&self, text: &str, host: &str) -> Option<TextEdit> {
        if self.pair.merged {
            return None;
        }
        match self.item {
            Value::Scalar(scalar) => {
                let value = scalar.value.trim();
                if Self::short_host(value).as_deref() == Some("0.0.0.0") {
                    let start = text[scalar.node.byte_range()]
                        .find("0.0.0.0")
                        .map(|index| scalar.node.start_byte() + index)?;
                    return Some(TextEdit::replace(start..start + 7, host));
                }
                let at = scalar.node.start_byte() + scalar.quoted as usize;
                let separator = if value.contains(':') { ":" } else { "::" };
                Some(TextEdit::insert(at, format!("{host}{separator}")))
            }
            Value::Map(map) => match map.get("host_ip") {
                Some(Value::Scalar(scalar)) => {
                    Some(TextEdit::replace(scalar.node.byte_range(), host))
                }
                _ => add_to_mapping(
                    text,
                    map,
                    &["published", "target"],
                    &format!("host_ip: {host}"),
                ),
            },
            Value::Seq(_) => None,
        }
    }
}

impl<'t> Compose<'t> {
    /// Whether a service defined in a file that this one includes (directly
    /// or through further includes, as `read` gives them) has a health
    /// check. Files that cannot be read, interpolated paths and include
    /// cycles count as unknown: `false`. `path` is this file's.
    pub fn included_service_healthy(
        &self,
        path: &std::path::Path,
        name: &str,
        read: ReadFile<'_>,
    ) -> bool {
        self.included_healthy(path, name, read, &mut Vec::new())
    }

    fn included_healthy(
        &self,
        path: &std::path::Path,
        name: &str,
        read: ReadFile<'_>,
        seen: &mut Vec<std::path::PathBuf>,
    ) -> bool {
        const MAX_FILES: usize = 16;
        let Some(dir) = path.parent() else {
            return false;
        };
        for include in self.includes() {
            if include.contains('$') || seen.len() >= MAX_FILES {
                continue;
            }
            let included = dir.join(&include);
            if seen.contains(&included) || included == path {
                continue;
            }
            seen.push(included.clone());
            let Some(text) = read(&included) else {
                continue;
            };
            let Some(tree) = crate::parse::parse(crate::kind::FileKind::Compose, &text, None)
            else {
                continue;
            };
            let inner = Compose::new(tree.root_node(), &text);
            let healthy = match inner.service(name) {
                Some(target) => target.has_healthcheck_in(&included, read),
                None => inner.included_healthy(&included, name, read, seen),
            };
            if healthy {
                return true;
            }
        }
        false
    }

    /// Whether the service `name` (of this file, else of a file it
    /// includes) has a health check (see [`Service::has_healthcheck_in`]).
    pub fn service_healthy(&self, path: &std::path::Path, name: &str, read: ReadFile<'_>) -> bool {
        match self.service(name) {
            Some(target) => target.has_healthcheck_in(path, read),
            None => self.included_service_healthy(path, name, read),
        }
    }
}

impl EnvVar<'_> {
    /// An edit setting the variable to `value`: the scalar that holds it
    /// (`NAME=value` in list form) is rewritten, single-quoted when it was,
    /// else double-quoted. `None` for a map entry without a value.
    pub fn set_value_edit(&self, text: &str, value: &str) -> Option<TextEdit> {
        if !self.list_form && self.value.is_none() {
            return None;
        }
        let content = if self.list_form {
            format!("{}={value}", self.name)
        } else {
            value.to_string()
        };
        let replacement = if text[self.node.byte_range()].starts_with('\'') {
            format!("'{}'", content.replace('\'', "''"))
        } else {
            format!("\"{}\"", content.replace('\\', "\\\\").replace('"', "\\\""))
        };
        Some(TextEdit::replace(self.node.byte_range(), replacement))
    }
}

impl<'t> Compose<'t> {
    /// The environment variable whose scalar (see [`EnvVar::node`]) is at
    /// `range`, in the first service that has it.
    pub fn environment_at(&self, range: std::ops::Range<usize>) -> Option<EnvVar<'t>> {
        let &(service, item) = self.environment_index.get(&range)?;
        self.services[service].environment.get(item).cloned()
    }

    /// The `ports` item at `range`, in the first service that has it.
    pub fn port_at(&self, range: std::ops::Range<usize>) -> Option<PortMapping<'_, 't>> {
        let &(service, item) = self.port_index.get(&range)?;
        self.services[service].port_mappings().into_iter().nth(item)
    }

    /// Edits mounting a named volume `name` (characters other than ASCII
    /// letters, digits, `_` and `-` become `-`) at `target` in the service
    /// whose key is at `key`: a new item of its block `volumes:` list (or a
    /// new `volumes:` key), and the volume declared under the top-level
    /// `volumes:` (added at the end of the file when missing). `None` when
    /// the service's volumes come from a merge key or are not a block list,
    /// or the top-level `volumes:` is not a block mapping.
    pub fn add_named_volume(
        &self,
        key: std::ops::Range<usize>,
        name: &str,
        target: &str,
    ) -> Option<Vec<TextEdit>> {
        let service = self.service_at(key)?;
        let text = self.text;
        let unit = indent_text(self);
        let newline = fix::line_break(text);
        let name: String = name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                    c
                } else {
                    '-'
                }
            })
            .collect();
        let mut edits = Vec::new();
        match service.map.pair("volumes") {
            Some(pair) if pair.merged => return None,
            Some(pair) => {
                let Some(Value::Seq(seq)) = &pair.value else {
                    return None;
                };
                if seq.node.kind() != "block_sequence" {
                    return None;
                }
                let mut cursor = seq.node.walk();
                let last = seq
                    .node
                    .named_children(&mut cursor)
                    .filter(|item| item.kind() == "block_sequence_item")
                    .last()?;
                let indent = " ".repeat(column(text, last.start_byte()));
                edits.push(insert_lines_after(
                    text,
                    last,
                    &format!("{indent}- {name}:{target}"),
                ));
            }
            None => edits.push(add_to_mapping(
                text,
                &service.map,
                &[],
                &format!("volumes:\n{unit}- {name}:{target}"),
            )?),
        }
        let root = self.root_map()?;
        match root.pair("volumes") {
            Some(pair) => match &pair.value {
                Some(Value::Map(map)) if !map.is_flow() => {
                    if map.pair(&name).is_none() {
                        edits.push(add_to_mapping(text, map, &[], &format!("{name}:"))?);
                    }
                }
                None => {
                    edits.push(insert_lines_after(
                        text,
                        pair.node,
                        &format!("{unit}{name}:"),
                    ));
                }
                _ => return None,
            },
            None => {
                let lead = if text.ends_with('\n') { "" } else { newline };
                edits.push(TextEdit::insert(
                    text.len(),
                    format!("{lead}{newline}volumes:{newline}{unit}{name}:{newline}"),
                ));
            }
        }
        // Two inserts at the end of the file would be ambiguous; keep them ordered.
        edits.sort_by_key(|edit| edit.range.start);
        Some(edits)
    }
}

impl<'t> Compose<'t> {
    /// The `depends_on` entry whose node (see [`Dependency::node`]) is at
    /// `range`, with the first service that has it.
    pub fn dependency_at(
        &self,
        range: std::ops::Range<usize>,
    ) -> Option<(&Service<'t>, Dependency<'t>)> {
        let &(service, item) = self.dependency_index.get(&range)?;
        let service = &self.services[service];
        Some((service, service.dependencies.get(item)?.clone()))
    }

    /// Edits setting the `condition` of the `depends_on` entry at `range`:
    /// a long-syntax entry's condition replaced or added; a short-syntax
    /// list rewritten in long syntax, where each dependency for which
    /// `healthy` holds waits for `condition` and the others for
    /// `service_started`. `None` when `depends_on` comes from a merge key
    /// or an entry has no mapping to add to.
    pub fn set_condition_edits(
        &self,
        range: std::ops::Range<usize>,
        condition: &str,
        healthy: &dyn Fn(&str) -> bool,
    ) -> Option<Vec<TextEdit>> {
        let text = self.text;
        let unit = indent_text(self);
        let (service, dependency) = self.dependency_at(range)?;
        let pair = service.map.pair("depends_on").filter(|pair| !pair.merged)?;
        match (&pair.value, &dependency.long, &dependency.condition) {
            (_, Some(_), Some((_, node))) => {
                Some(vec![TextEdit::replace(node.byte_range(), condition)])
            }
            (_, Some(long), None) => match &long.value {
                Some(Value::Map(map)) => {
                    add_to_mapping(text, map, &[], &format!("condition: {condition}"))
                        .map(|edit| vec![edit])
                }
                None => {
                    let indent = " ".repeat(column(text, long.node.start_byte())) + &unit;
                    Some(vec![insert_lines_after(
                        text,
                        long.node,
                        &format!("{indent}condition: {condition}"),
                    )])
                }
                _ => None,
            },
            (Some(Value::Seq(seq)), None, _) => {
                let names: Vec<(String, bool)> = seq
                    .items
                    .iter()
                    .filter_map(|item| item.as_str())
                    .map(|name| (name.to_string(), healthy(name)))
                    .collect();
                short_to_long(
                    text,
                    pair.node,
                    pair.key_node,
                    seq.node,
                    &names,
                    &unit,
                    condition,
                )
            }
            _ => None,
        }
    }
}

/// Rewrites `depends_on: [a, b]` / `- a` items in long syntax: the
/// dependencies marked `true` wait for `wanted`, the others for
/// `service_started`.
fn short_to_long(
    text: &str,
    pair: Node<'_>,
    key: Node<'_>,
    seq: Node<'_>,
    names: &[(String, bool)],
    unit: &str,
    wanted: &str,
) -> Option<Vec<TextEdit>> {
    let newline = fix::line_break(text);
    let entry = |name: &str, healthy: bool, indent: &str| {
        let condition = if healthy { wanted } else { "service_started" };
        format!("{indent}{name}:{newline}{indent}{unit}condition: {condition}")
    };
    if seq.kind() == "flow_sequence" {
        let indent = " ".repeat(column(text, pair.start_byte())) + unit;
        let colon = key.end_byte() + text[key.end_byte()..seq.start_byte()].find(':')? + 1;
        let body: Vec<String> = names
            .iter()
            .map(|(name, healthy)| entry(name, *healthy, &indent))
            .collect();
        return Some(vec![TextEdit::replace(
            colon..seq.end_byte(),
            format!("{newline}{}", body.join(newline)),
        )]);
    }
    let indent = " ".repeat(column(text, seq.start_byte()));
    let start = fix::line_start(text, seq.start_byte());
    let mut cursor = seq.walk();
    let last = seq
        .named_children(&mut cursor)
        .filter(|item| item.kind() == "block_sequence_item")
        .last()?;
    let end = last.end_byte();
    let body: Vec<String> = names
        .iter()
        .map(|(name, healthy)| entry(name, *healthy, &indent))
        .collect();
    Some(vec![TextEdit::replace(start..end, body.join(newline))])
}

// ----------------------------------------------------------------------
// Development-server flags

/// The development flags of a Python server (`uvicorn ... --reload`,
/// `flask run --debug`) in one `command` or `entrypoint` of a service.
#[derive(Clone, Debug)]
pub struct DevFlags<'t> {
    /// Where they are reported: the string holding them, or the list item
    /// of the first flag.
    pub node: Node<'t>,
    /// The first flag, as written.
    pub flag: String,
    /// What to delete to take every flag (and the values of flags that
    /// take one) out of the command.
    pub removal: Vec<std::ops::Range<usize>>,
    /// Whether the command comes from a `<<` merge key.
    pub merged: bool,
}

impl<'t> Service<'t> {
    /// The development-server flags of the service's `command` and
    /// `entrypoint` (string, list, or inside `sh -c "..."`), in that order.
    pub fn dev_server_flags(&self, text: &str) -> Vec<DevFlags<'t>> {
        let mut out = Vec::new();
        for key in ["command", "entrypoint"] {
            let Some(pair) = self.map.pair(key) else {
                continue;
            };
            let Some(value) = &pair.value else { continue };
            let (removal, flag, node) = match value {
                Value::Scalar(scalar) => {
                    let (removal, flag) = scalar_flag_ranges(text, scalar.node);
                    (removal, flag, scalar.node)
                }
                Value::Seq(seq) => {
                    let items: Vec<(&str, Node<'t>)> = seq
                        .items
                        .iter()
                        .filter_map(|item| Some((item.as_str()?, item.node())))
                        .collect();
                    let words: Vec<&str> = items.iter().map(|(word, _)| *word).collect();
                    let flags = dev_flags(&words);
                    if !flags.is_empty() {
                        let mut removal = Vec::new();
                        for &(index, count) in &flags {
                            for offset in 0..count {
                                let Some((_, node)) = items.get(index + offset) else {
                                    continue;
                                };
                                removal.push(item_range(
                                    text,
                                    *node,
                                    seq.node.kind() == "flow_sequence",
                                ));
                            }
                        }
                        let (index, _) = flags[0];
                        (removal, Some(words[index].to_string()), items[index].1)
                    } else {
                        // `["sh", "-c", "uvicorn app --reload"]`.
                        let Some((removal, flag, node)) = items.iter().find_map(|(_, node)| {
                            let (removal, flag) = scalar_flag_ranges(text, *node);
                            Some((removal, flag?, *node))
                        }) else {
                            continue;
                        };
                        (removal, Some(flag), node)
                    }
                }
                Value::Map(_) => continue,
            };
            let Some(flag) = flag else { continue };
            out.push(DevFlags {
                node,
                flag,
                removal,
                merged: pair.merged,
            });
        }
        out
    }
}

impl<'t> Compose<'t> {
    /// The development-server flags reported at `range`, in the first
    /// service that has them.
    pub fn dev_server_flags_at(&self, range: std::ops::Range<usize>) -> Option<DevFlags<'t>> {
        self.services.iter().find_map(|service| {
            service
                .dev_server_flags(self.text)
                .into_iter()
                .find(|flags| flags.node.byte_range() == range)
        })
    }
}

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
pub fn dev_flags(words: &[&str]) -> Vec<(usize, usize)> {
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

/// The ranges to delete to take the dev flags out of one scalar
/// (`"uvicorn app --reload"`), and the first flag.
fn scalar_flag_ranges(text: &str, node: Node<'_>) -> (Vec<std::ops::Range<usize>>, Option<String>) {
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
        edits.push(node.start_byte() + from..node.start_byte() + end);
    }
    (edits, first)
}

/// What to delete to take a sequence item out: its line in a block
/// sequence, or the item and the comma before it in a flow sequence.
fn item_range(text: &str, node: Node<'_>, flow: bool) -> std::ops::Range<usize> {
    if flow {
        let before = text[..node.start_byte()].trim_end();
        let start = if before.ends_with(',') {
            before.len() - 1
        } else {
            node.start_byte()
        };
        return start..node.end_byte();
    }
    let item = node
        .parent()
        .filter(|parent| parent.kind() == "block_sequence_item")
        .unwrap_or(node);
    let start = fix::line_start(text, item.start_byte());
    let end = fix::next_line_start(
        text,
        last_char_start(text, item.end_byte()).max(item.start_byte()),
    );
    start..end
}

// ----------------------------------------------------------------------

// ----------------------------------------------------------------------
// Editing YAML

/// The indentation step the file uses (2 unless its mappings say otherwise).
pub fn indent_unit(map: &Map<'_>, text: &str) -> usize {
    // The first nested block mapping under a pair tells the step.
    for pair in &map.pairs {
        if pair.merged {
            continue;
        }
        if let Some(Value::Map(inner)) = &pair.value
            && !inner.is_flow()
            && let Some(first) = inner.pairs.iter().find(|pair| !pair.merged)
        {
            let outer = column(text, pair.node.start_byte());
            let nested = column(text, first.node.start_byte());
            if nested > outer {
                return nested - outer;
            }
        }
    }
    2
}

/// The column (in bytes) of an offset.
pub fn column(text: &str, offset: usize) -> usize {
    offset - fix::line_start(text, offset)
}

/// The offset where a new line may be inserted after `node`: the start of
/// the line after the node's last line (a trailing comment stays put).
pub fn after_line(text: &str, node: Node<'_>) -> usize {
    let end = content_end(node).max(node.start_byte() + 1).min(text.len());
    fix::next_line_start(text, last_char_start(text, end))
}

/// The start of the character that ends at `end` (a char boundary before
/// it), so that "the line of the last character" never splits a character.
pub fn last_char_start(text: &str, end: usize) -> usize {
    let mut at = end.min(text.len()).saturating_sub(1);
    while at > 0 && !text.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// The end of a node's content: trailing comments that the grammar hangs
/// on a nested mapping belong to what follows, not to the node.
pub fn content_end(node: Node<'_>) -> usize {
    let mut current = node;
    loop {
        let mut cursor = current.walk();
        let children: Vec<Node<'_>> = current.children(&mut cursor).collect();
        match children
            .into_iter()
            .rev()
            .find(|child| child.kind() != "comment")
        {
            Some(child) if child.end_byte() < current.end_byte() || child.child_count() > 0 => {
                if child.child_count() == 0 {
                    return child.end_byte();
                }
                current = child;
            }
            Some(child) => return child.end_byte(),
            None => return current.end_byte(),
        }
    }
}

/// An edit inserting `lines` (already indented, without final line break)
/// on new lines after `node`.
pub fn insert_lines_after(text: &str, node: Node<'_>, lines: &str) -> TextEdit {
    let at = after_line(text, node);
    let newline = fix::line_break(text);
    if at == text.len() && !text.ends_with('\n') {
        TextEdit::insert(at, format!("{newline}{lines}"))
    } else {
        TextEdit::insert(at, format!("{lines}{newline}"))
    }
}

/// The file's indentation step as spaces, from its first nested mapping.
pub fn indent_text(compose: &Compose<'_>) -> String {
    let step = compose
        .root_map()
        .map_or(2, |root| indent_unit(root, compose.text));
    " ".repeat(step.max(1))
}

/// An edit adding the nested keys `path` (the last holding `leaf`) to `map`,
/// going into the parts of the path the mapping already has; a new first key
/// goes after the first of `after_keys` the mapping has (else after its last
/// own pair). `None` when a part of the path is a flow mapping, comes from a
/// merge key, is not a mapping, or the whole path is already there.
pub fn add_path(
    text: &str,
    map: &Map<'_>,
    path: &[&str],
    leaf: &str,
    unit: &str,
    after_keys: &[&str],
) -> Option<TextEdit> {
    let newline = fix::line_break(text);
    let (first, rest) = path.split_first()?;
    match map.pair(first) {
        Some(pair) => {
            if pair.merged {
                return None;
            }
            match &pair.value {
                Some(Value::Map(inner)) if !rest.is_empty() => {
                    add_path(text, inner, rest, leaf, unit, &[])
                }
                None if !rest.is_empty() => {
                    // `deploy:` with nothing under it.
                    let indent = " ".repeat(column(text, pair.node.start_byte())) + unit;
                    let body = nested_lines(rest, leaf, unit, &indent, newline);
                    Some(insert_lines_after(text, pair.node, &body))
                }
                _ => None,
            }
        }
        None => {
            let body = nested_lines(path, leaf, unit, "", "\n");
            add_to_mapping(text, map, after_keys, &body)
        }
    }
}

/// `a:\n  b:\n    c: leaf` with `indent` before each line.
fn nested_lines(path: &[&str], leaf: &str, unit: &str, indent: &str, newline: &str) -> String {
    let mut lines = Vec::new();
    for (depth, key) in path.iter().enumerate() {
        let pad = format!("{indent}{}", unit.repeat(depth));
        if depth + 1 == path.len() {
            lines.push(format!("{pad}{key}: {leaf}"));
        } else {
            lines.push(format!("{pad}{key}:"));
        }
    }
    lines.join(newline)
}

impl<'t> Compose<'t> {
    /// The service whose key is at `range`.
    pub fn service_at(&self, range: std::ops::Range<usize>) -> Option<&Service<'t>> {
        self.services
            .iter()
            .find(|service| service.key_node.byte_range() == range)
    }

    /// An edit adding `path` (dotted, `deploy.resources.limits.memory`) with
    /// the value `leaf` to the service whose key is at `key`, at the file's
    /// indentation (see [`add_path`]).
    pub fn add_to_service(
        &self,
        key: std::ops::Range<usize>,
        path: &str,
        leaf: &str,
        after_keys: &[&str],
    ) -> Option<TextEdit> {
        let service = self.service_at(key)?;
        let path: Vec<&str> = path.split('.').collect();
        add_path(
            self.text,
            &service.map,
            &path,
            leaf,
            &indent_text(self),
            after_keys,
        )
    }
}

/// The block-mapping pairs of a service that are its own (not merged),
/// used to decide where to insert a key.
pub fn own_pairs<'a, 't>(map: &'a Map<'t>) -> impl Iterator<Item = &'a Pair<'t>> {
    map.pairs.iter().filter(|pair| !pair.merged)
}

/// An edit adding `key` lines to a service's mapping: after the `image` or
/// `build` pair when there is one, else after the last own pair, at the
/// indentation of the service's keys. `body` is the text after the key
/// indentation, lines joined with `\n` and relative indentation in `unit`s
/// already applied by the caller.
pub fn add_to_mapping(
    text: &str,
    map: &Map<'_>,
    after_keys: &[&str],
    body: &str,
) -> Option<TextEdit> {
    if map.is_flow() {
        return None;
    }
    let own: Vec<&Pair<'_>> = own_pairs(map).collect();
    let first = own.first()?;
    let indent = " ".repeat(column(text, first.node.start_byte()));
    let anchor = after_keys
        .iter()
        .find_map(|key| own.iter().find(|pair| pair.key == *key))
        .or(own.last())?;
    let newline = fix::line_break(text);
    let lines: Vec<String> = body
        .split('\n')
        .map(|line| format!("{indent}{line}"))
        .collect();
    Some(insert_lines_after(text, anchor.node, &lines.join(newline)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{kind::FileKind, parse::parse};

    const STACK: &str = "x-common: &common\n  restart: unless-stopped\n  environment: &env\n    LOG_LEVEL: info\nservices:\n  api:\n    <<: *common\n    image: ghcr.io/acme/api:1.2\n    environment:\n      - SECRET_KEY=abc\n      - DEBUG\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres\n    volumes:\n      - pgdata:/var/lib/postgresql/data:rw\n";

    #[test]
    fn services_resolve_merge_keys_and_forms() {
        let tree = parse(FileKind::Compose, STACK, None).unwrap();
        let compose = Compose::new(tree.root_node(), STACK);
        assert_eq!(compose.services.len(), 2);
        let api = compose.service("api").unwrap();
        assert_eq!(
            api.get("restart").and_then(Value::as_str),
            Some("unless-stopped")
        );
        assert!(api.map.pair("restart").unwrap().merged);
        let env = api.environment();
        assert_eq!(env.len(), 2);
        assert_eq!(env[0].name, "SECRET_KEY");
        assert_eq!(env[0].value.as_deref(), Some("abc"));
        assert_eq!(env[1].value, None);
        assert_eq!(
            api.depends_on()[0]
                .condition
                .as_ref()
                .map(|(c, _)| c.as_str()),
            Some("service_healthy")
        );
        assert_eq!(api.image_repository().as_deref(), Some("acme/api"));
        let db = compose.service("db").unwrap();
        assert_eq!(db.volume_targets(), vec!["/var/lib/postgresql/data"]);
        assert_eq!(indent_unit(&api.map, STACK), 2);
    }

    #[test]
    fn tags_are_split_after_registry_ports() {
        assert_eq!(
            split_tag("localhost:5000/app"),
            ("localhost:5000/app", None)
        );
        assert_eq!(
            split_tag("localhost:5000/app:1"),
            ("localhost:5000/app", Some("1"))
        );
        assert_eq!(split_tag("postgres:16"), ("postgres", Some("16")));
    }

    #[test]
    fn new_keys_go_after_the_image_line_at_key_indentation() {
        let text = "services:\n  api:\n    image: app:1  # pinned\n    ports:\n      - \"80:80\"\n";
        let tree = parse(FileKind::Compose, text, None).unwrap();
        let compose = Compose::new(tree.root_node(), text);
        let edit = add_to_mapping(
            text,
            &compose.services[0].map,
            &["image"],
            "restart: unless-stopped",
        )
        .unwrap();
        let fixed = crate::text::apply_edits(text, &[edit]).unwrap();
        assert_eq!(
            fixed,
            "services:\n  api:\n    image: app:1  # pinned\n    restart: unless-stopped\n    ports:\n      - \"80:80\"\n"
        );
    }

    /// A dotted path goes into the parts a service has, at the file's
    /// indentation step; a missing path is added after the first `after`
    /// key; a merged part, a flow mapping or a path already there is no edit.
    #[test]
    fn paths_are_added_to_services_inside_what_they_have() {
        let text = "x-base: &base\n   deploy: {}\nservices:\n   api:\n      build: .\n      deploy:\n         replicas: 2\n      ports: []\n   web:\n      <<: *base\n   job: {image: app}\n";
        let tree = parse(FileKind::Compose, text, None).unwrap();
        let compose = Compose::new(tree.root_node(), text);
        let key = |name: &str| compose.service(name).unwrap().key_node.byte_range();
        let fixed = |edit: TextEdit| crate::text::apply_edits(text, &[edit]).unwrap();
        let memory = compose
            .add_to_service(key("api"), "deploy.resources.limits.memory", "512M", &[])
            .unwrap();
        assert!(fixed(memory).contains(
            "      deploy:\n         replicas: 2\n         resources:\n            limits:\n               memory: 512M\n      ports: []\n"
        ));
        let restart = compose
            .add_to_service(key("api"), "restart", "unless-stopped", &["image", "build"])
            .unwrap();
        assert!(
            fixed(restart)
                .contains("      build: .\n      restart: unless-stopped\n      deploy:\n")
        );
        assert!(
            compose
                .add_to_service(key("api"), "deploy", "x", &[])
                .is_none()
        );
        assert!(
            compose
                .add_to_service(key("web"), "deploy.resources", "x", &[])
                .is_none()
        );
        assert!(
            compose
                .add_to_service(key("job"), "restart", "x", &[])
                .is_none()
        );
        // Not the key of a service.
        assert!(compose.add_to_service(0..6, "restart", "x", &[]).is_none());
    }

    /// `text` after `edits`.
    fn edited(text: &str, edits: &[TextEdit]) -> String {
        crate::text::apply_edits(text, edits).unwrap()
    }

    #[test]
    fn environment_values_are_set_keeping_single_quotes() {
        let text = "services:\n  api:\n    environment:\n      - API_KEY=abc\n      - 'TOKEN=x'\n      - PASSWORD\n  web:\n    environment:\n      SECRET: plain\n      QUOTED: 'it''s'\n      EMPTY:\n";
        let tree = parse(FileKind::Compose, text, None).unwrap();
        let compose = Compose::new(tree.root_node(), text);
        let set = |service: &str, name: &str, value: &str| {
            let var = compose
                .service(service)
                .unwrap()
                .environment()
                .iter()
                .find(|var| var.name == name)
                .unwrap();
            var.set_value_edit(text, value)
                .map(|edit| edited(text, &[edit]))
        };
        let line = |edited: Option<String>, line: usize| {
            edited.map(|text| text.lines().nth(line).unwrap().to_string())
        };
        assert_eq!(
            line(set("api", "API_KEY", "${API_KEY:?}"), 3).as_deref(),
            Some("      - \"API_KEY=${API_KEY:?}\"")
        );
        assert_eq!(
            line(set("api", "TOKEN", "it's"), 4).as_deref(),
            Some("      - 'TOKEN=it''s'")
        );
        // A variable passed through gets a value.
        assert_eq!(
            line(set("api", "PASSWORD", "a\"b"), 5).as_deref(),
            Some("      - \"PASSWORD=a\\\"b\"")
        );
        assert_eq!(
            line(set("web", "SECRET", "${SECRET}"), 8).as_deref(),
            Some("      SECRET: \"${SECRET}\"")
        );
        assert_eq!(
            line(set("web", "QUOTED", "v"), 9).as_deref(),
            Some("      QUOTED: 'v'")
        );
        // A map entry without a value has no scalar to rewrite.
        assert_eq!(set("web", "EMPTY", "v"), None);
    }

    #[test]
    fn ports_are_bound_to_a_host_in_short_and_long_syntax() {
        let text = "x-ports: &ports\n  ports:\n    - 6379:6379\nservices:\n  db:\n    ports:\n      - \"5432:5432\"\n      - '0.0.0.0:5433:5432'\n      - 5439\n      - target: 5432\n        published: 5441\n        protocol: tcp\n      - target: 5432\n        host_ip: 0.0.0.0\n  cache:\n    <<: *ports\n";
        let tree = parse(FileKind::Compose, text, None).unwrap();
        let compose = Compose::new(tree.root_node(), text);
        let bound = |service: &str, index: usize| {
            let ports = compose.service(service).unwrap().port_mappings();
            ports[index]
                .bind_edit(text, "127.0.0.1")
                .map(|edit| edited(text, &[edit]))
        };
        let db = |index: usize, line: usize| {
            bound("db", index).map(|text| text.lines().nth(line).unwrap().to_string())
        };
        assert_eq!(db(0, 6).as_deref(), Some("      - \"127.0.0.1:5432:5432\""));
        assert_eq!(db(1, 7).as_deref(), Some("      - '127.0.0.1:5433:5432'"));
        // A lone container port gets an empty host port.
        assert_eq!(db(2, 8).as_deref(), Some("      - 127.0.0.1::5439"));
        // Long syntax: `host_ip` after `published`, or set in place.
        assert_eq!(db(3, 11).as_deref(), Some("        host_ip: 127.0.0.1"));
        assert_eq!(db(4, 13).as_deref(), Some("        host_ip: 127.0.0.1"));
        // Ports merged from an anchor are not edited in place.
        assert_eq!(bound("cache", 0), None);
    }

    #[test]
    fn bindings_are_looked_up_by_range_in_the_first_service_that_has_them() {
        let text = "x-common: &common\n  environment:\n    TOKEN: abc\n  ports:\n    - 80:80\n  depends_on:\n    - db\nservices:\n  api:\n    <<: *common\n  worker:\n    <<: *common\n    environment:\n      OWN: x\n  db:\n    image: postgres:16\n";
        let tree = parse(FileKind::Compose, text, None).unwrap();
        let compose = Compose::new(tree.root_node(), text);
        let token = compose.service("api").unwrap().environment()[0]
            .node
            .byte_range();
        assert_eq!(compose.environment_at(token).unwrap().name, "TOKEN");
        let own = compose.service("worker").unwrap().environment()[0]
            .node
            .byte_range();
        assert_eq!(compose.environment_at(own).unwrap().name, "OWN");
        let port = compose.service("worker").unwrap().port_mappings()[0]
            .node()
            .byte_range();
        assert_eq!(compose.port_at(port).unwrap().shown(), "80:80");
        let dependency = compose.service("worker").unwrap().depends_on()[0]
            .node
            .byte_range();
        let (service, found) = compose.dependency_at(dependency.clone()).unwrap();
        assert_eq!((service.name.as_str(), found.name.as_str()), ("api", "db"));
        // A range that holds no binding finds nothing.
        assert!(
            compose
                .environment_at(dependency.start..dependency.start)
                .is_none()
        );
    }

    #[test]
    fn volumes_split_at_colons_outside_variables_and_read_their_defaults() {
        let split = |value: &str| {
            let (source, target) = split_volume(value);
            format!("{source} -> {target}")
        };
        assert_eq!(split("./data:/data:ro"), "./data -> /data");
        assert_eq!(
            split("${DOCKER_SOCK:-/var/run/docker.sock}:/var/run/docker.sock:ro"),
            "/var/run/docker.sock -> /var/run/docker.sock"
        );
        assert_eq!(split("${ROOT-/}:/host"), "/ -> /host");
        assert_eq!(
            split("${DOCKER_SOCKET}:/var/run/docker.sock"),
            "${DOCKER_SOCKET} -> /var/run/docker.sock"
        );
        assert_eq!(
            split("$XDG_RUNTIME_DIR/docker.sock:/run/docker.sock"),
            "$XDG_RUNTIME_DIR/docker.sock -> /run/docker.sock"
        );
        // A lone path is an anonymous volume's target; a nested default is
        // kept as written.
        assert_eq!(split("/var/run/docker.sock"), " -> /var/run/docker.sock");
        assert_eq!(split("${A:-${B:-/x}}:/y"), "${A:-${B:-/x}} -> /y");
    }

    #[test]
    fn named_volumes_are_mounted_and_declared() {
        let volume = |text: &str, service: &str| {
            let tree = parse(FileKind::Compose, text, None).unwrap();
            let compose = Compose::new(tree.root_node(), text);
            let key = compose.service(service).unwrap().key_node.byte_range();
            compose
                .add_named_volume(key, &format!("{service}-data"), "/data")
                .map(|edits| edited(text, &edits))
        };
        // A new `volumes:` key and a new top-level section.
        assert_eq!(
            volume("services:\n  db:\n    image: postgres:16\n", "db").as_deref(),
            Some(
                "services:\n  db:\n    image: postgres:16\n    volumes:\n      - db-data:/data\n\nvolumes:\n  db-data:\n"
            )
        );
        // An item after the last, the name declared in the section; the
        // name's dot becomes `-`; a file without a final newline.
        assert_eq!(
            volume(
                "services:\n  my.db:\n    volumes:\n      - ./a:/a\nvolumes:\n  other:",
                "my.db"
            )
            .as_deref(),
            Some(
                "services:\n  my.db:\n    volumes:\n      - ./a:/a\n      - my-db-data:/data\nvolumes:\n  other:\n  my-db-data:"
            )
        );
        // An empty top-level `volumes:`, at the file's indentation.
        assert_eq!(
            volume("services:\n    db:\n        image: x\nvolumes:\n", "db").as_deref(),
            Some(
                "services:\n    db:\n        image: x\n        volumes:\n            - db-data:/data\nvolumes:\n    db-data:\n"
            )
        );
        // A flow list, volumes from a merge key, a flow top-level section.
        assert_eq!(
            volume("services:\n  db:\n    volumes: [./a:/a]\n", "db"),
            None
        );
        assert_eq!(
            volume(
                "x: &x\n  volumes:\n    - ./a:/a\nservices:\n  db:\n    <<: *x\n",
                "db"
            ),
            None
        );
        assert_eq!(
            volume("services:\n  db:\n    image: x\nvolumes: {a: {}}\n", "db"),
            None
        );
    }

    #[test]
    fn conditions_are_set_in_long_syntax_and_short_lists_rewritten() {
        let text = "x: &deps\n  depends_on: [db]\nservices:\n  api:\n    depends_on:\n      - db\n      - cache\n  flow:\n    depends_on: [db, cache]\n  long:\n    depends_on:\n      db:\n        condition: service_started\n      cache:\n        restart: true\n      queue:\n  merged:\n    <<: *deps\n";
        let tree = parse(FileKind::Compose, text, None).unwrap();
        let compose = Compose::new(tree.root_node(), text);
        let healthy = |name: &str| name == "db";
        let set = |service: &str, index: usize| {
            let dependency = &compose.service(service).unwrap().depends_on()[index];
            compose
                .set_condition_edits(dependency.node.byte_range(), "service_healthy", &healthy)
                .map(|edits| edited(text, &edits))
        };
        let lines = |text: Option<String>, from: usize, to: usize| {
            text.map(|text| {
                text.lines()
                    .skip(from)
                    .take(to - from)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        };
        assert_eq!(
            lines(set("api", 1), 4, 9).as_deref(),
            Some(
                "    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_started"
            )
        );
        assert_eq!(
            lines(set("flow", 0), 7, 13).as_deref(),
            Some(
                "  flow:\n    depends_on:\n      db:\n        condition: service_healthy\n      cache:\n        condition: service_started"
            )
        );
        assert_eq!(
            lines(set("long", 0), 12, 13).as_deref(),
            Some("        condition: service_healthy")
        );
        assert_eq!(
            lines(set("long", 1), 13, 16).as_deref(),
            Some("      cache:\n        restart: true\n        condition: service_healthy")
        );
        assert_eq!(
            lines(set("long", 2), 15, 17).as_deref(),
            Some("      queue:\n        condition: service_healthy")
        );
        // From a merge key: not edited in place.
        assert_eq!(set("merged", 0), None);
    }
}
