//! Predicates for compose rules: which pair is a service, what a service
//! has (with `<<` merge keys and aliases resolved through the file's
//! [`Compose`](crate::compose::Compose) model), what its image is.
//!
//! A rule matches the key of a pair (`(_ key: (_) @key)`) and says
//! `(#compose-service! @key "service")`; the other predicates take that
//! key and look at the service it names.

use tree_sitter::Node;

use super::def::{Arg, Param, PredicateDef, bind, node, regex, text};
use crate::{
    check::{Captures, HookCx},
    compose::{
        Compose, Dependency, EnvVar, Service, Value, database_image, internal_service_image,
        interpolation_default, is_override_or_dev_path, resolve_default, split_tag,
    },
    dockerfile::literal_secret_value,
    kind::FileKind,
    python::url_password,
};

const COMPOSE: &[FileKind] = &[FileKind::Compose];

pub static PREDICATES: &[PredicateDef] = &[
    PredicateDef {
        name: "compose-service",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text],
        doc: "the node is the key of a service under the top-level `services:`; binds the service's name (the key without quotes) to the capture named last",
        eval: compose_service,
    },
    PredicateDef {
        name: "compose-has",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Texts],
        doc: "the service whose key is the node has one of these keys (a dotted path such as `deploy.restart_policy` goes into nested mappings), its own or through `<<` merge keys",
        eval: compose_has,
    },
    PredicateDef {
        name: "compose-stack-has",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Texts],
        doc: "another compose file of the same stack, in the same folder (the base `compose.yaml`/`docker-compose.yml` and its `.prod`, `.production`, `.deploy`, `.staging` variants, deployed together with `-f`), defines the same service with one of these keys (as `#compose-has?`)",
        eval: compose_stack_has,
    },
    PredicateDef {
        name: "compose-value",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text, Param::Text],
        doc: "the service whose key is the node has the key (dotted path) with a value; binds the value's node (where it is written: an anchor's, for merged or aliased values) to the capture named last",
        eval: compose_value,
    },
    PredicateDef {
        name: "compose-scalar",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text, Param::Text],
        doc: "the service whose key is the node has a scalar at the key (dotted path); binds its text without quotes and surrounding blanks to the capture named last",
        eval: compose_scalar,
    },
    PredicateDef {
        name: "compose-scalar-matches",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text, Param::Regex],
        doc: "the service whose key is the node has a scalar at the key (dotted path) whose value (without quotes) matches the regular expression",
        eval: compose_scalar_matches,
    },
    PredicateDef {
        name: "compose-item-of",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text, Param::Text],
        doc: "the node is an item of the list at the key (dotted path, e.g. `volumes`) of a service, written there or reached through an anchor; binds the name of the first such service to the capture named last",
        eval: compose_item_of,
    },
    PredicateDef {
        name: "compose-mounts-project",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture],
        doc: "the service whose key is the node, or that holds the node, bind-mounts the project folder itself (a volume whose source is `.`, `./`, `${PWD}` or `$PWD`) or its own build context (`build: ./backend` with `- ./backend:/app`): the container runs the working copy, a development setup",
        eval: compose_mounts_project,
    },
    PredicateDef {
        name: "compose-volume-source-matches",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Regex],
        doc: "the node is a volume of a service (short syntax `source:target[:mode]`, where a lone path is an anonymous volume with no source; long syntax with `source:`) whose source matches the regular expression; a source that is one `${VAR:-default}` is read as its default",
        eval: compose_volume_source_matches,
    },
    PredicateDef {
        name: "compose-volume-target-matches",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Regex],
        doc: "the node is a volume of a service whose target (short syntax `source:target[:mode]`, a lone path; long syntax `target:`; one `${VAR:-default}` read as its default) matches the regular expression",
        eval: compose_volume_target_matches,
    },
    PredicateDef {
        name: "compose-volume-source",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text],
        doc: "the node is a volume of a service (as `#compose-volume-source-matches?`); binds the node, standing for its source (`${VAR:-default}` read as its default)",
        eval: compose_volume_source,
    },
    PredicateDef {
        name: "compose-database",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture],
        doc: "the service whose key is the node runs a database or cache image (postgres and its variants, mysql, mariadb, mongo, redis, valkey, memcached, qdrant, elasticsearch, ...)",
        eval: compose_database,
    },
    PredicateDef {
        name: "compose-internal-service",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture],
        doc: "the service whose key is the node runs a message broker, queue or coordination or analytics store that serves only other services (rabbitmq, kafka, zookeeper, nats, etcd, consul, clickhouse, opensearch, influxdb); databases and caches are `#compose-database?`'s",
        eval: compose_internal_service,
    },
    PredicateDef {
        name: "compose-image-unpinned",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture],
        doc: "the service whose key is the node runs an `image:` with no tag or the tag `latest` (digests count as pinned; interpolated images are chosen at deploy time and do not count)",
        eval: compose_image_unpinned,
    },
    PredicateDef {
        name: "compose-one-shot",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture],
        doc: "the service whose key is the node is a one-shot job, not a server: others wait for it with `service_completed_successfully`, `restart: \"no\"` without ports, a migration/init/seed/test name or command",
        eval: compose_one_shot,
    },
    PredicateDef {
        name: "compose-healthcheck",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture],
        doc: "the service whose key is the node has a health check that is not disabled: its own `healthcheck:` (not `disable: true`, not `test: [\"NONE\"]`) or a `HEALTHCHECK` (not `NONE`) in the Dockerfile it builds, read through the project's files (an editor's text first)",
        eval: compose_healthcheck,
    },
    PredicateDef {
        name: "compose-environment",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text],
        doc: "per occurrence: each variable of the `environment` of the service whose key is the node, list form (`- NAME=value`, `- NAME`) or map form (`NAME: value`); binds the scalar that holds its value (the whole item in list form; the key of a map entry without a value)",
        eval: compose_environment,
    },
    PredicateDef {
        name: "compose-environment-name",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Text, Param::Text],
        doc: "binds the name of the environment variable bound to NAME (by `#compose-environment!`): the range of its entry, standing for the name",
        eval: compose_environment_name,
    },
    PredicateDef {
        name: "compose-environment-literal",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Text],
        doc: "the environment variable bound to NAME has a value that is a literal that can hold a secret: not empty, no `$` reference, not a path, number or boolean",
        eval: compose_environment_literal,
    },
    PredicateDef {
        name: "compose-environment-matches",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Text, Param::Regex, Param::Regex],
        doc: "the environment variable bound to NAME has a name that matches the first regular expression and a value (without quotes; a variable without one has none; one `${VAR:-default}` read as its default) that matches the second",
        eval: compose_environment_matches,
    },
    PredicateDef {
        name: "compose-environment-url-password",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Text],
        doc: "the value of the environment variable bound to NAME (one `${VAR:-default}` read as its default) is a connection URL with a literal password (`postgresql://app:s3cret@db/app`; not `${DB_PASSWORD}`, not a URL without one)",
        eval: compose_environment_url_password,
    },
    PredicateDef {
        name: "compose-environment-default",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Text, Param::Text],
        doc: "the value of the environment variable bound to NAME is one `${VAR:-default}` (or `${VAR-default}`) whose default is a literal that can hold a secret (as `#compose-environment-literal?`); binds the variable's range, standing for VAR",
        eval: compose_environment_default,
    },
    PredicateDef {
        name: "compose-port",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text],
        doc: "per occurrence: each item of the `ports` of the service whose key is the node (short syntax `[IP:]host:container`, or a long-syntax mapping); binds the item, standing for the mapping as written (without quotes) in short syntax, its `target` (`?` without one) in long syntax",
        eval: compose_port,
    },
    PredicateDef {
        name: "compose-port-on-all-interfaces",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Text],
        doc: "the port mapping bound to NAME (by `#compose-port!`) is published on every host interface: short syntax with no host IP, with `0.0.0.0` or with a host that is neither a loopback nor an IPv4 address; long syntax with no `host_ip` or `host_ip: 0.0.0.0`",
        eval: compose_port_on_all_interfaces,
    },
    PredicateDef {
        name: "compose-data-dir",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text],
        doc: "the service whose key is the node runs a database image that keeps data in a directory (not a cache such as redis or memcached); binds the service's `image` value, standing for the directory to mount (Postgres 18 and later: `/var/lib/postgresql`)",
        eval: compose_data_dir,
    },
    PredicateDef {
        name: "compose-data-mounted",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Capture],
        doc: "the service whose key is the node keeps its database data outside the container: a volume or tmpfs target holds one of the image's data directories or lies inside one, or it has `volumes_from`",
        eval: compose_data_mounted,
    },
    PredicateDef {
        name: "compose-dependency",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text],
        doc: "per occurrence: each `depends_on` entry of the service whose key is the node (a short-syntax item, or a long-syntax key); binds the entry",
        eval: compose_dependency,
    },
    PredicateDef {
        name: "compose-dependency-name",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Text, Param::Text],
        doc: "binds the name of the service the `depends_on` entry bound to NAME (by `#compose-dependency!`) waits for: the entry's range, standing for the name without quotes",
        eval: compose_dependency_name,
    },
    PredicateDef {
        name: "compose-dependency-healthy",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Text],
        doc: "the service that the `depends_on` entry bound to NAME waits for has a health check (as `#compose-healthcheck?`), defined in this file or in a file it includes (`include:`, read through the project's files; unreadable or interpolated paths and cycles count as no check)",
        eval: compose_dependency_healthy,
    },
    PredicateDef {
        name: "compose-dependency-condition-matches",
        binds: false,
        kinds: COMPOSE,
        params: &[Param::Text, Param::Regex],
        doc: "the condition the `depends_on` entry bound to NAME waits for (`service_started` when it gives none) matches the regular expression",
        eval: compose_dependency_condition_matches,
    },
    PredicateDef {
        name: "compose-dev-server-flag",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Capture, Param::Text],
        doc: "per occurrence: each `command` and `entrypoint` (string, list, or a string inside it such as `sh -c \"...\"`) of the service whose key is the node that runs a Python server (uvicorn, gunicorn, hypercorn, granian, flask, fastapi) with development flags (`--reload`, `--reload-dir ...`, flask's `--debug`/`--debugger`); binds the string holding them, or the list item of the first, standing for the first flag",
        eval: compose_dev_server_flag,
    },
    PredicateDef {
        name: "compose-dev-server-flag-removal",
        binds: true,
        kinds: COMPOSE,
        params: &[Param::Text, Param::Text],
        doc: "binds every range to delete to take the development flags bound to NAME (by `#compose-dev-server-flag!`) out of their command: each flag and the value it takes, with the blank before it inside a string, the whole line of a block list item, an item and its comma in a flow list; binds nothing (but holds) when the command comes from a `<<` merge key",
        eval: compose_dev_server_flag_removal,
    },
    PredicateDef {
        name: "compose-override-path",
        binds: false,
        kinds: &[],
        params: &[],
        doc: "the file is a compose override, development or test file (`compose.override.yaml`, `docker-compose.dev.yml`, `*.test.yml`, ...)",
        eval: compose_override_path,
    },
];

/// The service whose key is `key`.
fn service<'c, 'a>(compose: &'c Compose<'a>, key: Node<'_>) -> Option<&'c Service<'a>> {
    compose
        .services
        .iter()
        .find(|service| service.key_node.id() == key.id())
}

/// The service named by the capture argument `index`, with the model.
fn service_of<'c, 'a>(
    cx: &'c HookCx<'a>,
    captures: &Captures<'a>,
    args: &[Arg],
) -> Option<(&'c Compose<'a>, &'c Service<'a>)> {
    let key = node(captures, args, 0)?;
    let compose = cx.compose()?;
    Some((compose, service(compose, key)?))
}

/// The value at a dotted path of keys under the service.
fn at<'s, 't>(service: &'s Service<'t>, path: &str) -> Option<&'s Value<'t>> {
    let mut keys = path.split('.');
    let first = service.get(keys.next()?)?;
    let rest: Vec<&str> = keys.collect();
    first.path(&rest)
}

/// The range of the text of a scalar node without its quotes and the
/// blanks around it.
fn unquoted(text: &str, node: Node<'_>) -> std::ops::Range<usize> {
    let mut range = node.byte_range();
    let raw = &text[range.clone()];
    if matches!(node.kind(), "double_quote_scalar" | "single_quote_scalar") && raw.len() >= 2 {
        range = range.start + 1..range.end - 1;
    }
    let inner = &text[range.clone()];
    let start = range.start + (inner.len() - inner.trim_start().len());
    let end = range.start + inner.trim_end().len();
    start..end.max(start)
}

/// The scalar node inside a key's `flow_node`.
fn scalar_node(node: Node<'_>) -> Node<'_> {
    if matches!(node.kind(), "flow_node" | "block_node") {
        let mut cursor = node.walk();
        if let Some(child) = node.named_children(&mut cursor).find(|child| {
            matches!(
                child.kind(),
                "plain_scalar" | "double_quote_scalar" | "single_quote_scalar"
            )
        }) {
            return child;
        }
    }
    node
}

fn compose_service<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((_, service)) = service_of(cx, captures, args) else {
        return false;
    };
    let range = unquoted(cx.file.text, scalar_node(service.key_node));
    bind(captures, args, range);
    true
}

fn compose_has<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((_, service)) = service_of(cx, captures, args) else {
        return false;
    };
    super::def::texts(args, 1).any(|path| at(service, path).is_some())
}

/// The compose files that may be deployed together, one over the other
/// (`docker compose -f compose.yml -f compose.deploy.yml`).
fn stack_names() -> Vec<String> {
    let mut names = Vec::new();
    for base in ["compose", "docker-compose"] {
        for variant in ["", ".prod", ".production", ".deploy", ".staging"] {
            for extension in ["yml", "yaml"] {
                names.push(format!("{base}{variant}.{extension}"));
            }
        }
    }
    names
}

fn compose_stack_has<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((_, service)) = service_of(cx, captures, args) else {
        return false;
    };
    let own = cx.file.path.file_name().and_then(|name| name.to_str());
    if !own.is_some_and(|own| stack_names().iter().any(|name| name == own)) {
        return false;
    }
    let dir = cx.file.path.parent().unwrap_or(std::path::Path::new(""));
    stack_names()
        .iter()
        .filter(|name| Some(name.as_str()) != own)
        .any(|name| {
            let Some(text) = cx.project.files.read(&dir.join(name)) else {
                return false;
            };
            let Some(tree) = crate::parse::parse(crate::kind::FileKind::Compose, &text, None)
            else {
                return false;
            };
            let other = Compose::new(tree.root_node(), &text);
            other.service(&service.name).is_some_and(|other| {
                super::def::texts(args, 1).any(|path| at(other, path).is_some())
            })
        })
}

fn compose_value<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(range) = service_of(cx, captures, args)
        .and_then(|(_, service)| at(service, text(args, 1)))
        .map(|value| value.node().byte_range())
    else {
        return false;
    };
    bind(captures, args, range);
    true
}

fn compose_scalar<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(Value::Scalar(scalar)) =
        service_of(cx, captures, args).and_then(|(_, service)| at(service, text(args, 1)))
    else {
        return false;
    };
    let range = unquoted(cx.file.text, scalar.node);
    bind(captures, args, range);
    true
}

fn compose_scalar_matches<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(Value::Scalar(scalar)) =
        service_of(cx, captures, args).and_then(|(_, service)| at(service, text(args, 1)))
    else {
        return false;
    };
    regex(args, 2).is_some_and(|regex| regex.is_match(&scalar.value))
}

/// The first service with `node` as an item of its list at `path`, and
/// that item.
fn item_of<'c, 'a>(
    compose: &'c Compose<'a>,
    node: Node<'_>,
    path: &str,
) -> Option<(&'c Service<'a>, &'c Value<'a>)> {
    compose.services.iter().find_map(|service| {
        let Some(Value::Seq(seq)) = at(service, path) else {
            return None;
        };
        let item = seq
            .items
            .iter()
            .find(|item| item.node().id() == node.id())?;
        Some((service, item))
    })
}

fn compose_item_of<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(node), Some(compose)) = (node(captures, args, 0), cx.compose()) else {
        return false;
    };
    let Some((service, _)) = item_of(compose, node, text(args, 1)) else {
        return false;
    };
    let range = unquoted(cx.file.text, scalar_node(service.key_node));
    bind(captures, args, range);
    true
}

fn compose_volume_source_matches<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    volume_part_matches(cx, captures, args, |(source, _)| source)
}

fn compose_volume_target_matches<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    volume_part_matches(cx, captures, args, |(_, target)| target)
}

/// The source and target of the volume at `node`, a list item of a
/// service's `volumes`.
fn volume_mount(compose: &Compose<'_>, node: Node<'_>) -> Option<(String, String)> {
    let (service, _) = item_of(compose, node, "volumes")?;
    service
        .volume_mounts()
        .into_iter()
        .find(|(item, ..)| item.node().id() == node.id())
        .map(|(_, source, target)| (source, target))
}

fn compose_volume_source<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(node), Some(compose)) = (node(captures, args, 0), cx.compose()) else {
        return false;
    };
    let Some((source, _)) = volume_mount(compose, node) else {
        return false;
    };
    captures.bind_value(text(args, 1), node.byte_range(), source);
    true
}

/// Whether the part `part` picks of the volume captured as argument 0
/// matches the regular expression of argument 1.
fn volume_part_matches<'a>(
    cx: &HookCx<'a>,
    captures: &Captures<'a>,
    args: &[Arg],
    part: fn((String, String)) -> String,
) -> bool {
    let (Some(node), Some(compose)) = (node(captures, args, 0), cx.compose()) else {
        return false;
    };
    let Some((source, target)) = volume_mount(compose, node) else {
        return false;
    };
    let value = part((source, target));
    regex(args, 1).is_some_and(|regex| regex.is_match(&value))
}

fn compose_mounts_project<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let (Some(node), Some(compose)) = (node(captures, args, 0), cx.compose()) else {
        return false;
    };
    let Some(service) = compose.services.iter().find(|service| {
        service.key_node.id() == node.id()
            || service.pair_node.byte_range().contains(&node.start_byte())
    }) else {
        return false;
    };
    let Some(Value::Seq(volumes)) = service.get("volumes") else {
        return false;
    };
    // `./backend/` and `backend` name the same folder.
    let normalize = |path: &str| {
        let path = path.trim().trim_end_matches('/');
        path.strip_prefix("./").unwrap_or(path).to_string()
    };
    let context = match service.get("build") {
        Some(Value::Scalar(scalar)) => Some(normalize(&scalar.value)),
        Some(Value::Map(map)) => map.get("context").and_then(Value::as_str).map(normalize),
        _ => None,
    };
    volumes.items.iter().any(|item| {
        let source = match item {
            Value::Scalar(scalar) => scalar.value.split(':').next().unwrap_or(""),
            Value::Map(map) => map.get("source").and_then(Value::as_str).unwrap_or(""),
            _ => "",
        };
        matches!(source.trim(), "." | "./" | "${PWD}" | "$PWD")
            || (source.trim().starts_with('.')
                && context.as_deref() == Some(normalize(source).as_str()))
    })
}

fn compose_database<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    service_of(cx, captures, args).is_some_and(|(_, service)| {
        service
            .image_repository()
            .is_some_and(|repository| database_image(&repository).is_some())
    })
}

fn compose_internal_service<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    service_of(cx, captures, args).is_some_and(|(_, service)| {
        service
            .image_repository()
            .is_some_and(|repository| internal_service_image(&repository))
    })
}

fn compose_image_unpinned<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((_, service)) = service_of(cx, captures, args) else {
        return false;
    };
    let Some(Value::Scalar(scalar)) = service.get("image") else {
        return false;
    };
    let image = scalar.value.trim();
    if image.is_empty() || image.contains('@') || image.contains('$') {
        return false;
    }
    let (_, tag) = split_tag(image);
    tag.is_none_or(|tag| tag == "latest")
}

fn compose_one_shot<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    service_of(cx, captures, args).is_some_and(|(compose, service)| service.looks_one_shot(compose))
}

fn compose_healthcheck<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let read = |path: &std::path::Path| cx.project.files.read(path);
    service_of(cx, captures, args)
        .is_some_and(|(_, service)| service.has_healthcheck_in(cx.file.path, &read))
}

fn compose_environment<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((_, service)) = service_of(cx, captures, args) else {
        return false;
    };
    let name = text(args, 1).to_string();
    let variables = service.environment();
    for var in variables {
        captures.add_occurrence(vec![(name.clone(), var.node.byte_range(), None)]);
    }
    !variables.is_empty()
}

/// The environment variable bound to the name given as argument `index`.
fn environment_bound<'a>(
    cx: &HookCx<'a>,
    captures: &Captures<'a>,
    args: &[Arg],
    index: usize,
) -> Option<EnvVar<'a>> {
    cx.compose()?
        .environment_at(captures.range(text(args, index))?)
}

fn compose_environment_name<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let Some(var) = environment_bound(cx, captures, args, 0) else {
        return false;
    };
    captures.bind_value(text(args, 1), var.node.byte_range(), var.name);
    true
}

fn compose_environment_literal<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    environment_bound(cx, captures, args, 0)
        .and_then(|var| var.value)
        .is_some_and(|value| literal_secret_value(&value))
}

fn compose_environment_matches<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let Some(var) = environment_bound(cx, captures, args, 0) else {
        return false;
    };
    let (Some(name), Some(value)) = (regex(args, 1), regex(args, 2)) else {
        return false;
    };
    name.is_match(&var.name)
        && var
            .value
            .is_some_and(|text| value.is_match(&resolve_default(text.trim())))
}

fn compose_environment_url_password<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    environment_bound(cx, captures, args, 0).is_some_and(|var| {
        var.value
            .is_some_and(|text| url_password(&resolve_default(text.trim())).is_some())
    })
}

fn compose_environment_default<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let Some(var) = environment_bound(cx, captures, args, 0) else {
        return false;
    };
    let Some((variable, default)) = var.value.as_deref().and_then(interpolation_default) else {
        return false;
    };
    if !literal_secret_value(default) {
        return false;
    }
    captures.bind_value(text(args, 1), var.node.byte_range(), variable.to_string());
    true
}

fn compose_port<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((_, service)) = service_of(cx, captures, args) else {
        return false;
    };
    let name = text(args, 1).to_string();
    let ports = service.port_mappings();
    for port in &ports {
        captures.add_occurrence(vec![(
            name.clone(),
            port.node().byte_range(),
            Some(port.shown()),
        )]);
    }
    !ports.is_empty()
}

fn compose_port_on_all_interfaces<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some(compose), Some(range)) = (cx.compose(), captures.range(text(args, 0))) else {
        return false;
    };
    compose
        .port_at(range)
        .is_some_and(|port| port.on_all_interfaces())
}

fn compose_data_dir<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((_, service)) = service_of(cx, captures, args) else {
        return false;
    };
    let (Some(dir), Some(image)) = (service.data_dir(), service.get("image")) else {
        return false;
    };
    captures.bind_value(text(args, 1), image.node().byte_range(), dir.to_string());
    true
}

fn compose_data_mounted<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    service_of(cx, captures, args).is_some_and(|(_, service)| service.data_mounted())
}

fn compose_dependency<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((_, service)) = service_of(cx, captures, args) else {
        return false;
    };
    let name = text(args, 1).to_string();
    let dependencies = service.depends_on();
    for dependency in dependencies {
        captures.add_occurrence(vec![(name.clone(), dependency.node.byte_range(), None)]);
    }
    !dependencies.is_empty()
}

/// The `depends_on` entry bound to the name given as argument `index`.
fn dependency_bound<'a>(
    cx: &HookCx<'a>,
    captures: &Captures<'a>,
    args: &[Arg],
    index: usize,
) -> Option<Dependency<'a>> {
    let (_, dependency) = cx
        .compose()?
        .dependency_at(captures.range(text(args, index))?)?;
    Some(dependency)
}

fn compose_dependency_name<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some(dependency) = dependency_bound(cx, captures, args, 0) else {
        return false;
    };
    captures.bind_value(text(args, 1), dependency.node.byte_range(), dependency.name);
    true
}

fn compose_dependency_healthy<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some(compose), Some(dependency)) = (cx.compose(), dependency_bound(cx, captures, args, 0))
    else {
        return false;
    };
    let read = |path: &std::path::Path| cx.project.files.read(path);
    compose.service_healthy(cx.file.path, &dependency.name, &read)
}

fn compose_dependency_condition_matches<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let Some(dependency) = dependency_bound(cx, captures, args, 0) else {
        return false;
    };
    let condition = dependency
        .condition
        .as_ref()
        .map_or("service_started", |(condition, _)| condition.as_str());
    regex(args, 1).is_some_and(|regex| regex.is_match(condition))
}

fn compose_dev_server_flag<'a>(cx: &HookCx<'a>, captures: &mut Captures<'a>, args: &[Arg]) -> bool {
    let Some((_, service)) = service_of(cx, captures, args) else {
        return false;
    };
    let name = text(args, 1).to_string();
    let flags = service.dev_server_flags(cx.file.text);
    for flag in &flags {
        captures.add_occurrence(vec![(
            name.clone(),
            flag.node.byte_range(),
            Some(flag.flag.clone()),
        )]);
    }
    !flags.is_empty()
}

fn compose_dev_server_flag_removal<'a>(
    cx: &HookCx<'a>,
    captures: &mut Captures<'a>,
    args: &[Arg],
) -> bool {
    let (Some(compose), Some(range)) = (cx.compose(), captures.range(text(args, 0))) else {
        return false;
    };
    let Some(flags) = compose.dev_server_flags_at(range) else {
        return false;
    };
    if !flags.merged {
        captures.bind_all(text(args, 1), flags.removal);
    }
    true
}

fn compose_override_path<'a>(cx: &HookCx<'a>, _: &mut Captures<'a>, _: &[Arg]) -> bool {
    is_override_or_dev_path(cx.file.path)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use regex::Regex;

    use crate::{
        check::{Captures, FileFacts, HookCx, SourceFile},
        kind::FileKind,
        parse::parse,
        predicates::def::{Arg, Param},
        project::ProjectContext,
        registry::registry,
    };

    const STACK: &str = "x-base: &base\n  image: postgres\n  deploy:\n    restart_policy:\n      condition: any\nservices:\n  \"db\":\n    <<: *base\n  api:\n    image: 'ghcr.io/acme/api:latest'\n    build: .\n  worker:\n    image: ghcr.io/acme/worker:1.2\n    restart: \"no\"\n  cache:\n    image: redis@sha256:abc\n  migrate:\n    image: ${IMAGE}\n";

    /// Evaluates `predicate` for the key `name` in `STACK` (see [`eval_at`]).
    fn eval(
        path: &str,
        name: &str,
        predicate: &str,
        strings: &[&str],
    ) -> (bool, Vec<(String, String)>) {
        eval_at(
            path,
            STACK,
            &|root| find_key(root, STACK, name),
            predicate,
            strings,
        )
    }

    /// Evaluates `predicate` with the node `find` picks in `text` as its
    /// capture and `strings` as its other arguments; returns whether it
    /// held and the text of the range it bound.
    fn eval_at(
        path: &str,
        text: &str,
        find: &dyn Fn(tree_sitter::Node<'_>) -> Option<tree_sitter::Node<'_>>,
        predicate: &str,
        strings: &[&str],
    ) -> (bool, Vec<(String, String)>) {
        let tree = parse(FileKind::Compose, text, None).unwrap();
        let file = SourceFile {
            path: Path::new(path),
            kind: FileKind::Compose,
            text,
            tree: Some(&tree),
        };
        let project = ProjectContext::default();
        let facts = FileFacts::default();
        let rule = registry().rules_for(FileKind::Compose).next().unwrap();
        let cx = HookCx::new(&file, &project, rule, &facts, None);
        let node = find(tree.root_node()).expect("the node in the text");
        let mut captures = Captures::of(vec![("key", node)]);
        let def = super::PREDICATES
            .iter()
            .find(|def| def.name == predicate)
            .unwrap();
        let mut args = vec![Arg::Capture("key".into())];
        for (param, string) in def.params.iter().skip(1).zip(strings) {
            args.push(match param {
                Param::Regex => Arg::Regex(Regex::new(string).unwrap()),
                _ => Arg::Text((*string).into()),
            });
        }
        args.extend(
            strings[args.len() - 1..]
                .iter()
                .map(|string| Arg::Text((*string).into())),
        );
        let held = (def.eval)(&cx, &mut captures, &args);
        let bound = strings
            .last()
            .filter(|_| def.binds)
            .and_then(|name| captures.range(name))
            .map(|range| {
                (
                    strings[strings.len() - 1].to_string(),
                    text[range].to_string(),
                )
            })
            .into_iter()
            .collect();
        (held, bound)
    }

    /// The first node of `kind` whose text is `wanted`.
    fn find_node<'t>(
        node: tree_sitter::Node<'t>,
        text: &str,
        kind: &str,
        wanted: &str,
    ) -> Option<tree_sitter::Node<'t>> {
        if node.kind() == kind && &text[node.byte_range()] == wanted {
            return Some(node);
        }
        let mut cursor = node.walk();
        let children: Vec<_> = node.named_children(&mut cursor).collect();
        children
            .into_iter()
            .find_map(|child| find_node(child, text, kind, wanted))
    }

    /// The last key node whose text, without quotes, is `name`.
    fn find_key<'t>(
        node: tree_sitter::Node<'t>,
        text: &str,
        name: &str,
    ) -> Option<tree_sitter::Node<'t>> {
        let mut found = None;
        let mut cursor = node.walk();
        for child in node.named_children(&mut cursor) {
            if let Some(key) = find_key(child, text, name) {
                found = Some(key);
            }
        }
        if let Some(key) = node.child_by_field_name("key")
            && text[key.byte_range()].trim_matches('"') == name
        {
            found = Some(key);
        }
        found
    }

    fn holds(name: &str, predicate: &str, strings: &[&str]) -> bool {
        eval("compose.yaml", name, predicate, strings).0
    }

    #[test]
    fn service_keys_are_services_and_bind_their_names() {
        assert_eq!(
            eval("compose.yaml", "db", "compose-service", &["service"]),
            (true, vec![("service".into(), "db".into())])
        );
        assert!(holds("worker", "compose-service", &["service"]));
        // Keys inside a service and outside `services:` are not services.
        assert!(!holds("restart", "compose-service", &["service"]));
        assert!(!holds("x-base", "compose-service", &["service"]));
        assert!(!holds("services", "compose-service", &["service"]));
    }

    #[test]
    fn keys_are_found_through_merge_keys_and_paths() {
        assert!(holds("db", "compose-has", &["image"]));
        assert!(holds("db", "compose-has", &["deploy.restart_policy"]));
        assert!(holds("worker", "compose-has", &["extends", "restart"]));
        assert!(!holds(
            "worker",
            "compose-has",
            &["build", "deploy.restart_policy"]
        ));
        assert!(!holds("api", "compose-has", &["deploy"]));
        // Not a service.
        assert!(!holds("restart", "compose-has", &["restart"]));
    }

    #[test]
    fn values_bind_where_they_are_written() {
        // The merged image is the anchor's node.
        assert_eq!(
            eval("compose.yaml", "db", "compose-value", &["image", "at"]),
            (true, vec![("at".into(), "postgres".into())])
        );
        assert_eq!(
            eval("compose.yaml", "api", "compose-value", &["image", "at"]),
            (
                true,
                vec![("at".into(), "'ghcr.io/acme/api:latest'".into())]
            )
        );
        assert!(!holds("api", "compose-value", &["restart", "at"]));
        // A scalar binds its text without the quotes; a mapping is no scalar.
        assert_eq!(
            eval("compose.yaml", "api", "compose-scalar", &["image", "image"]),
            (
                true,
                vec![("image".into(), "ghcr.io/acme/api:latest".into())]
            )
        );
        assert!(holds(
            "db",
            "compose-value",
            &["deploy.restart_policy", "at"]
        ));
        assert!(!holds(
            "db",
            "compose-scalar",
            &["deploy.restart_policy", "at"]
        ));
        assert!(!holds("api", "compose-scalar", &["restart", "at"]));
    }

    #[test]
    fn images_without_a_version_are_unpinned() {
        assert!(holds("db", "compose-image-unpinned", &[]));
        assert!(holds("api", "compose-image-unpinned", &[]));
        // A tag, a digest, an interpolation.
        assert!(!holds("worker", "compose-image-unpinned", &[]));
        assert!(!holds("cache", "compose-image-unpinned", &[]));
        assert!(!holds("migrate", "compose-image-unpinned", &[]));
    }

    #[test]
    fn jobs_are_one_shot_and_servers_are_not() {
        assert!(holds("migrate", "compose-one-shot", &[]));
        assert!(holds("worker", "compose-one-shot", &[]));
        assert!(!holds("api", "compose-one-shot", &[]));
        assert!(!holds("db", "compose-one-shot", &[]));
    }

    #[test]
    fn override_files_are_recognised_by_path() {
        assert!(eval("compose.override.yaml", "db", "compose-override-path", &[]).0);
        assert!(eval("docker-compose.dev.yml", "db", "compose-override-path", &[]).0);
        assert!(!eval("compose.yaml", "db", "compose-override-path", &[]).0);
    }

    #[test]
    fn scalars_match_by_value_and_databases_by_image() {
        assert!(holds(
            "worker",
            "compose-scalar-matches",
            &["restart", "^no$"]
        ));
        assert!(holds(
            "db",
            "compose-scalar-matches",
            &["image", "^postgres$"]
        ));
        assert!(!holds("api", "compose-scalar-matches", &["restart", "."]));
        assert!(!holds(
            "worker",
            "compose-scalar-matches",
            &["restart", "^always$"]
        ));
        assert!(holds("db", "compose-database", &[]));
        assert!(!holds("api", "compose-database", &[]));
        assert!(!holds("restart", "compose-database", &[]));
    }

    #[test]
    fn brokers_and_coordination_stores_are_internal_services() {
        let text = "services:\n  mq:\n    image: rabbitmq:3.13-management\n  kafka:\n    image: docker.io/bitnami/kafka:3.8\n  db:\n    image: postgres:16\n  api:\n    image: ghcr.io/acme/api:1\n";
        let query = "(_ key: (_) @key (#compose-service! @key \"service\") (#compose-internal-service? @key))";
        assert_eq!(firsts(matches(text, query, &["service"])), ["mq", "kafka"]);
    }

    const VOLUMES: &str = "x-sock: &sock /var/run/docker.sock:/var/run/docker.sock\nservices:\n  proxy:\n    volumes:\n      - *sock\n      - ./conf:/etc/conf:ro\n      - type: bind\n        source: /run/docker.sock\n        target: /run/docker.sock\n  agent:\n    volumes:\n      - *sock\n    ports:\n      - ./x:/y\n";

    fn volume(
        kind: &str,
        wanted: &str,
        predicate: &str,
        strings: &[&str],
    ) -> (bool, Vec<(String, String)>) {
        eval_at(
            "compose.yaml",
            VOLUMES,
            &|root| find_node(root, VOLUMES, kind, wanted),
            predicate,
            strings,
        )
    }

    #[test]
    fn list_items_belong_to_their_first_service_through_anchors() {
        // The anchored socket is an item of both; the first service wins.
        let socket = "/var/run/docker.sock:/var/run/docker.sock";
        assert_eq!(
            volume(
                "plain_scalar",
                socket,
                "compose-item-of",
                &["volumes", "service"]
            ),
            (true, vec![("service".into(), "proxy".into())])
        );
        assert!(
            volume(
                "plain_scalar",
                "./conf:/etc/conf:ro",
                "compose-item-of",
                &["volumes", "s"]
            )
            .0
        );
        // An item of another key, and a key, are not volumes.
        assert!(
            !volume(
                "plain_scalar",
                "./x:/y",
                "compose-item-of",
                &["volumes", "s"]
            )
            .0
        );
        assert!(
            !volume(
                "plain_scalar",
                "proxy",
                "compose-item-of",
                &["volumes", "s"]
            )
            .0
        );
        assert!(volume("plain_scalar", "./x:/y", "compose-item-of", &["ports", "s"]).0);
    }

    #[test]
    fn volume_sources_match_in_short_and_long_syntax() {
        let socket = "/var/run/docker.sock:/var/run/docker.sock";
        let long = "type: bind\n        source: /run/docker.sock\n        target: /run/docker.sock";
        assert!(
            volume(
                "plain_scalar",
                socket,
                "compose-volume-source-matches",
                &["docker\\.sock$"]
            )
            .0
        );
        assert!(
            volume(
                "block_mapping",
                long,
                "compose-volume-source-matches",
                &["^/run/docker\\.sock$"]
            )
            .0
        );
        // The target is not the source; a bind of another folder; not a volume.
        assert!(
            !volume(
                "plain_scalar",
                "./conf:/etc/conf:ro",
                "compose-volume-source-matches",
                &["conf:ro"]
            )
            .0
        );
        assert!(
            !volume(
                "plain_scalar",
                "./conf:/etc/conf:ro",
                "compose-volume-source-matches",
                &["docker"]
            )
            .0
        );
        assert!(
            !volume(
                "plain_scalar",
                "./x:/y",
                "compose-volume-source-matches",
                &["x"]
            )
            .0
        );
    }

    /// Runs `query` (one pattern, engine predicates included) over the
    /// compose file `text` at `path`, with `project`'s view of other files,
    /// and returns, per match that holds (one per occurrence), the texts of
    /// `names` as messages show them: the bound value, else the text of the
    /// bound or captured range (`-` when unbound).
    fn matches_in(
        project: &ProjectContext,
        path: &str,
        text: &str,
        query: &str,
        names: &[&str],
    ) -> Vec<Vec<String>> {
        use streaming_iterator::StreamingIterator;
        use tree_sitter::{Query, QueryCursor};

        let tree = parse(FileKind::Compose, text, None).unwrap();
        let file = SourceFile {
            path: Path::new(path),
            kind: FileKind::Compose,
            text,
            tree: Some(&tree),
        };
        let facts = FileFacts::default();
        let rule = registry().rules_for(FileKind::Compose).next().unwrap();
        let cx = HookCx::new(&file, project, rule, &facts, None);
        // Capture names live as long as the query: the engine's are static.
        let query: &'static Query = Box::leak(Box::new(
            Query::new(&FileKind::Compose.language().unwrap(), query).unwrap(),
        ));
        let extras = crate::predicates::compile_pattern(query, 0, FileKind::Compose).unwrap();
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
            for captures in crate::predicates::hold_each(&cx, captures, &extras) {
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

    fn matches(text: &str, query: &str, names: &[&str]) -> Vec<Vec<String>> {
        matches_in(
            &ProjectContext::default(),
            "/project/compose.yaml",
            text,
            query,
            names,
        )
    }

    /// The first column of each row.
    fn firsts(rows: Vec<Vec<String>>) -> Vec<String> {
        rows.into_iter().map(|mut row| row.remove(0)).collect()
    }

    fn rows(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| row.iter().map(|text| text.to_string()).collect())
            .collect()
    }

    #[test]
    fn health_checks_are_the_services_own_or_its_dockerfiles_as_the_editor_has_it() {
        let text = "services:\n  own:\n    healthcheck:\n      test: [\"CMD\", \"true\"]\n  disabled:\n    healthcheck:\n      disable: true\n  none-test:\n    healthcheck:\n      test: [\"NONE\"]\n  built:\n    build: ./api\n  built-long:\n    build:\n      context: ./api\n      dockerfile: worker.Dockerfile\n  built-none:\n    build:\n      dockerfile: none.Dockerfile\n  unreadable:\n    build: ./missing\n  image:\n    image: postgres:16\n";
        let overlay: crate::project::Overlay =
            std::sync::Arc::new(|path: &Path| match path.to_str()? {
                "/project/./api/Dockerfile" => {
                    Some("FROM python:3.12\nHEALTHCHECK CMD true\n".into())
                }
                "/project/./api/worker.Dockerfile" => {
                    Some("FROM python:3.12\n  healthcheck --interval=5s CMD true\n".into())
                }
                "/project/./none.Dockerfile" => Some("FROM x\nHEALTHCHECK NONE\n".into()),
                _ => None,
            });
        let project = ProjectContext::default().with_overlay(overlay);
        let query = "(_ key: (_) @key (#compose-service! @key \"s\") (#compose-healthcheck? @key))";
        assert_eq!(
            firsts(matches_in(
                &project,
                "/project/compose.yaml",
                text,
                query,
                &["s"]
            )),
            ["own", "built", "built-long"]
        );
        // Without the editor's texts (and nothing on disk there) only the
        // service's own check counts.
        let negated =
            "(_ key: (_) @key (#compose-service! @key \"s\") (#not-compose-healthcheck? @key))";
        assert_eq!(
            firsts(matches(text, negated, &["s"])),
            [
                "disabled",
                "none-test",
                "built",
                "built-long",
                "built-none",
                "unreadable",
                "image"
            ]
        );
    }

    const ENVIRONMENT: &str = "x-env: &env\n  API_TOKEN: abcdef123456\nservices:\n  api:\n    environment:\n      <<: *env\n      DB_PASSWORD: 'hunter2'\n      REF_PASSWORD: ${DB_PASSWORD}\n      GITHUB_TOKEN:\n      JWT_SECRET_FILE: /run/secrets/jwt\n  worker:\n    environment:\n      - API_KEY=abc123def456\n      - \"STRIPE_SECRET=sk_live_1\"\n      - PASSWORD\n      - DEBUG=1\n  flow:\n    environment: {SECRET_KEY: abc}\n  other:\n    image: x\n";

    #[test]
    fn environment_variables_are_occurrences_in_list_and_map_form() {
        let query = "(_ key: (_) @key (#compose-environment! @key \"var\") (#compose-environment-name! \"var\" \"name\"))";
        assert_eq!(
            matches(ENVIRONMENT, query, &["name", "var"]),
            rows(&[
                &["DB_PASSWORD", "'hunter2'"],
                &["REF_PASSWORD", "${DB_PASSWORD}"],
                &["GITHUB_TOKEN", "GITHUB_TOKEN"],
                &["JWT_SECRET_FILE", "/run/secrets/jwt"],
                // Merged pairs come after the mapping's own.
                &["API_TOKEN", "abcdef123456"],
                &["API_KEY", "API_KEY=abc123def456"],
                &["STRIPE_SECRET", "\"STRIPE_SECRET=sk_live_1\""],
                &["PASSWORD", "PASSWORD"],
                &["DEBUG", "DEBUG=1"],
                &["SECRET_KEY", "abc"],
            ])
        );
    }

    #[test]
    fn secret_names_and_literal_values_are_told_apart() {
        let secret = "(_ key: (_) @key (#compose-environment! @key \"var\") (#compose-environment-name! \"var\" \"name\") (#secret-name? \"name\"))";
        assert_eq!(
            firsts(matches(ENVIRONMENT, secret, &["name"])),
            [
                "DB_PASSWORD",
                "REF_PASSWORD",
                "GITHUB_TOKEN",
                "API_TOKEN",
                "API_KEY",
                "STRIPE_SECRET",
                "PASSWORD",
                "SECRET_KEY"
            ]
        );
        // A reference, no value, a path and a number are no literal secrets.
        let literal = "(_ key: (_) @key (#compose-environment! @key \"var\") (#compose-environment-literal? \"var\") (#compose-environment-name! \"var\" \"name\"))";
        assert_eq!(
            firsts(matches(ENVIRONMENT, literal, &["name"])),
            [
                "DB_PASSWORD",
                "API_TOKEN",
                "API_KEY",
                "STRIPE_SECRET",
                "SECRET_KEY"
            ]
        );
    }

    #[test]
    fn environment_names_and_values_match_by_regular_expression() {
        let query = "(_ key: (_) @key (#compose-environment! @key \"var\") (#compose-environment-matches? \"var\" \"PASSWORD|SECRET\" \"^[a-z]\") (#compose-environment-name! \"var\" \"name\"))";
        // Values without quotes; a variable without a value has none.
        assert_eq!(
            firsts(matches(ENVIRONMENT, query, &["name"])),
            ["DB_PASSWORD", "STRIPE_SECRET", "SECRET_KEY"]
        );
    }

    const PORTS: &str = "x-ports: &ports\n  ports:\n    - 6379:6379\nservices:\n  db:\n    ports:\n      - \"5432:5432\"\n      - '0.0.0.0:5433:5432'\n      - \"127.0.0.1:5434:5432\"\n      - \"[::1]:5435:5432\"\n      - \"10.0.0.5:5437:5432\"\n      - \"${PG_PORT:-5432}:5432\"\n      - 5439\n      - target: 5432\n        published: 5441\n      - target: 5432\n        host_ip: 0.0.0.0\n      - target: 5432\n        host_ip: 127.0.0.1\n      - published: 5443\n  cache:\n    <<: *ports\n  flow:\n    ports: [\"8080:80\", \"localhost:1:2\"]\n";

    #[test]
    fn ports_are_occurrences_shown_as_written_or_by_target() {
        let query = "(_ key: (_) @key (#compose-port! @key \"port\"))";
        assert_eq!(
            firsts(matches(PORTS, query, &["port"])),
            [
                "5432:5432",
                "0.0.0.0:5433:5432",
                "127.0.0.1:5434:5432",
                "[::1]:5435:5432",
                "10.0.0.5:5437:5432",
                "${PG_PORT:-5432}:5432",
                "5439",
                "5432",
                "5432",
                "5432",
                "?",
                "6379:6379",
                "8080:80",
                "localhost:1:2"
            ]
        );
    }

    #[test]
    fn ports_bound_to_a_loopback_or_an_address_are_not_on_all_interfaces() {
        let query = "(_ key: (_) @key (#compose-port! @key \"port\") (#compose-port-on-all-interfaces? \"port\"))";
        assert_eq!(
            firsts(matches(PORTS, query, &["port"])),
            [
                "5432:5432",
                "0.0.0.0:5433:5432",
                "${PG_PORT:-5432}:5432",
                "5439",
                "5432",
                "5432",
                "?",
                "6379:6379",
                "8080:80"
            ]
        );
    }

    #[test]
    fn databases_have_a_data_dir_and_mounts_cover_it() {
        let text = "services:\n  pg16:\n    image: postgres:16\n  pg18:\n    image: docker.io/library/postgres:18.1-alpine\n    volumes:\n      - data:/var/lib/postgresql/data\n  mysql:\n    image: mysql:8\n    volumes_from: [other]\n  mongo:\n    image: mongo:7\n    tmpfs: /data/db\n  maria:\n    image: mariadb:11\n    volumes:\n      - ./x:/var/lib/mysql/sub\n      - /:/\n  redis:\n    image: redis:7\n  api:\n    build: .\n";
        let dirs =
            "(_ key: (_) @key (#compose-service! @key \"s\") (#compose-data-dir! @key \"dir\"))";
        assert_eq!(
            matches(text, dirs, &["s", "dir"]),
            rows(&[
                &["pg16", "/var/lib/postgresql/data"],
                &["pg18", "/var/lib/postgresql"],
                &["mysql", "/var/lib/mysql"],
                &["mongo", "/data/db"],
                &["maria", "/var/lib/mysql"],
            ])
        );
        let unmounted = "(_ key: (_) @key (#compose-service! @key \"s\") (#compose-data-dir! @key \"dir\") (#not-compose-data-mounted? @key))";
        // pg18's volume holds `/var/lib/postgresql/data`, inside its data
        // dir; a mount of `/` covers nothing.
        assert_eq!(firsts(matches(text, unmounted, &["s"])), ["pg16"]);
    }

    const DEPENDS: &str = "services:\n  api:\n    depends_on:\n      - db\n      - \"cache\"\n      - nowhere\n  worker:\n    depends_on:\n      db:\n        condition: service_started\n      cache:\n        condition: service_healthy\n      api:\n        restart: true\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n  cache:\n    image: redis:7\n";

    #[test]
    fn dependencies_are_occurrences_with_their_names_and_conditions() {
        let query = "(_ key: (_) @key (#compose-service! @key \"s\") (#compose-dependency! @key \"d\") (#compose-dependency-name! \"d\" \"name\"))";
        assert_eq!(
            matches(DEPENDS, query, &["s", "name"]),
            rows(&[
                &["api", "db"],
                &["api", "cache"],
                &["api", "nowhere"],
                &["worker", "db"],
                &["worker", "cache"],
                &["worker", "api"],
            ])
        );
        // No condition is `service_started`.
        let started = "(_ key: (_) @key (#compose-dependency! @key \"d\") (#compose-dependency-condition-matches? \"d\" \"^service_started$\") (#compose-dependency-name! \"d\" \"name\"))";
        assert_eq!(
            firsts(matches(DEPENDS, started, &["name"])),
            ["db", "cache", "nowhere", "db", "api"]
        );
        let healthy = "(_ key: (_) @key (#compose-dependency! @key \"d\") (#compose-dependency-healthy? \"d\") (#compose-dependency-name! \"d\" \"name\"))";
        assert_eq!(firsts(matches(DEPENDS, healthy, &["name"])), ["db", "db"]);
    }

    #[test]
    fn dependencies_defined_in_included_files_are_healthy_as_the_editor_has_them() {
        let text = "include:\n  - db/compose.yaml\n  - path: ${OTHER}/compose.yaml\nservices:\n  api:\n    depends_on: [db, queue, cache]\n";
        let overlay: crate::project::Overlay = std::sync::Arc::new(|path: &Path| {
            match path.to_str()? {
                "/project/db/compose.yaml" => Some(
                    "include:\n  - ../queue.yaml\nservices:\n  db:\n    image: postgres:16\n    healthcheck:\n      test: [\"CMD\", \"pg_isready\"]\n"
                        .into(),
                ),
                // Includes the file that includes it: a cycle.
                "/project/db/../queue.yaml" => Some(
                    "include:\n  - db/compose.yaml\nservices:\n  queue:\n    build: ./q\n  cache:\n    image: redis:7\n"
                        .into(),
                ),
                "/project/db/.././q/Dockerfile" => Some("FROM x\nHEALTHCHECK CMD true\n".into()),
                _ => None,
            }
        });
        let project = ProjectContext::default().with_overlay(overlay);
        let healthy = "(_ key: (_) @key (#compose-dependency! @key \"d\") (#compose-dependency-healthy? \"d\") (#compose-dependency-name! \"d\" \"name\"))";
        assert_eq!(
            firsts(matches_in(
                &project,
                "/project/compose.yaml",
                text,
                healthy,
                &["name"]
            )),
            ["db", "queue"]
        );
        assert!(matches(text, healthy, &["name"]).is_empty());
    }

    const COMMANDS: &str = "x-cmd: &cmd\n  command: uvicorn app:app --reload\nservices:\n  api:\n    command: uvicorn app:app --host 0.0.0.0 --reload --reload-dir src\n    entrypoint: [\"gunicorn\", \"app:app\", \"--reload\"]\n  web:\n    command:\n      - flask\n      - run\n      - --debug\n  shell:\n    command: [\"sh\", \"-c\", \"alembic upgrade head && uvicorn app:app --reload\"]\n  merged:\n    <<: *cmd\n  prod:\n    command: gunicorn app:app --workers 4\n  other:\n    command: npm run dev --reload\n";

    #[test]
    fn dev_server_flags_are_occurrences_per_command() {
        let query = "(_ key: (_) @key (#compose-service! @key \"s\") (#compose-dev-server-flag! @key \"flag\"))";
        assert_eq!(
            matches(COMMANDS, query, &["s", "flag"]),
            rows(&[
                &["api", "--reload"],
                &["api", "--reload"],
                &["web", "--debug"],
                &["shell", "--reload"],
                &["merged", "--reload"],
            ])
        );
    }

    #[test]
    fn dev_server_flag_removal_binds_every_range_unless_merged() {
        let tree = parse(FileKind::Compose, COMMANDS, None).unwrap();
        let file = SourceFile {
            path: Path::new("compose.yaml"),
            kind: FileKind::Compose,
            text: COMMANDS,
            tree: Some(&tree),
        };
        let project = ProjectContext::default();
        let facts = FileFacts::default();
        let rule = registry().rules_for(FileKind::Compose).next().unwrap();
        let cx = HookCx::new(&file, &project, rule, &facts, None);
        let compose = cx.compose().unwrap();
        let removal = |service: &str, index: usize| {
            let flags = &compose.service(service).unwrap().dev_server_flags(COMMANDS)[index];
            let mut captures = Captures::empty();
            captures.bind("flag", flags.node.byte_range());
            let def = super::PREDICATES
                .iter()
                .find(|def| def.name == "compose-dev-server-flag-removal")
                .unwrap();
            let held = (def.eval)(
                &cx,
                &mut captures,
                &[Arg::Text("flag".into()), Arg::Text("removal".into())],
            );
            let texts: Vec<&str> = captures
                .ranges("removal")
                .into_iter()
                .map(|range| &COMMANDS[range])
                .collect();
            (held, texts.join("|"))
        };
        // Inside a string: each flag with the blank before it, a flag's value too.
        assert_eq!(
            removal("api", 0),
            (true, " --reload| --reload-dir src".into())
        );
        // A flow list: the item and its comma; a block list: the line.
        assert_eq!(removal("api", 1), (true, ", \"--reload\"".into()));
        assert_eq!(removal("web", 0), (true, "      - --debug\n".into()));
        assert_eq!(removal("shell", 0), (true, " --reload".into()));
        // From a merge key: holds, binds nothing (no fix).
        assert_eq!(removal("merged", 0), (true, String::new()));
    }

    #[test]
    fn a_name_bound_to_several_ranges_gives_them_all_until_bound_again() {
        let mut captures = Captures::empty();
        captures.bind_all("removal", vec![1..2, 5..7, 9..9]);
        assert_eq!(captures.range("removal"), Some(1..2));
        assert_eq!(captures.ranges("removal"), vec![1..2, 5..7, 9..9]);
        captures.bind("removal", 3..4);
        assert_eq!(captures.ranges("removal"), vec![3..4]);
        assert_eq!(
            captures.ranges("other"),
            Vec::<std::ops::Range<usize>>::new()
        );
    }
}

/// The compose rules end to end, with the files they read on disk.
#[cfg(test)]
mod rule_tests {
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
