//! A small document value (mapping, sequence, scalar) with byte ranges,
//! read from a tree-sitter YAML or JSON tree, so that compose files and
//! `railway.json` can be queried by key path while findings still point at
//! the right bytes. Anchors and aliases are not resolved (an alias is
//! `Null`); a broken tree yields what parsed.

use std::ops::Range;

use tree_sitter::Node;

/// A value and the bytes it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Value {
    pub range: Range<usize>,
    pub data: Data,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// Entries in order: key text, the key's range, the value.
    Map(Vec<(String, Range<usize>, Value)>),
    Seq(Vec<Value>),
    /// A scalar's text with quotes removed (escapes left as written).
    Scalar(String),
    Null,
}

impl Value {
    fn null(range: Range<usize>) -> Value {
        Value {
            range,
            data: Data::Null,
        }
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.entry(key).map(|(_, value)| value)
    }

    /// The key range and value of `key` in a mapping.
    pub fn entry(&self, key: &str) -> Option<(Range<usize>, &Value)> {
        match &self.data {
            Data::Map(entries) => entries
                .iter()
                .find(|(name, _, _)| name == key)
                .map(|(_, range, value)| (range.clone(), value)),
            _ => None,
        }
    }

    /// The value at a path of keys.
    pub fn at(&self, path: &[&str]) -> Option<&Value> {
        path.iter().try_fold(self, |value, key| value.get(key))
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.data {
            Data::Scalar(text) => Some(text),
            _ => None,
        }
    }

    pub fn entries(&self) -> &[(String, Range<usize>, Value)] {
        match &self.data {
            Data::Map(entries) => entries,
            _ => &[],
        }
    }

    pub fn items(&self) -> &[Value] {
        match &self.data {
            Data::Seq(items) => items,
            _ => &[],
        }
    }

    pub fn is_map(&self) -> bool {
        matches!(self.data, Data::Map(_))
    }
}

/// The first document of a YAML tree.
pub fn from_yaml(root: Node<'_>, text: &str) -> Option<Value> {
    let mut cursor = root.walk();
    let document = if root.kind() == "document" {
        root
    } else {
        root.named_children(&mut cursor)
            .find(|child| child.kind() == "document")?
    };
    let mut cursor = document.walk();
    let node = document
        .named_children(&mut cursor)
        .find(|child| child.kind() != "comment")?;
    Some(yaml_value(node, text))
}

fn yaml_value(node: Node<'_>, text: &str) -> Value {
    let range = node.byte_range();
    match node.kind() {
        "block_node" | "flow_node" => {
            let mut cursor = node.walk();
            let inner = node
                .named_children(&mut cursor)
                .find(|child| !matches!(child.kind(), "anchor" | "tag" | "comment"));
            match inner {
                Some(inner) => yaml_value(inner, text),
                None => Value::null(range),
            }
        }
        "block_mapping" | "flow_mapping" => {
            let mut entries = Vec::new();
            let mut cursor = node.walk();
            for pair in node.named_children(&mut cursor) {
                if !matches!(pair.kind(), "block_mapping_pair" | "flow_pair") {
                    continue;
                }
                let Some(key) = pair.child_by_field_name("key") else {
                    continue;
                };
                let key_text = match yaml_value(key, text).data {
                    Data::Scalar(key_text) => key_text,
                    _ => continue,
                };
                let value = match pair.child_by_field_name("value") {
                    Some(value) => yaml_value(value, text),
                    None => Value::null(key.end_byte()..key.end_byte()),
                };
                entries.push((key_text, key.byte_range(), value));
            }
            Value {
                range,
                data: Data::Map(entries),
            }
        }
        "block_sequence" | "flow_sequence" => {
            let mut items = Vec::new();
            let mut cursor = node.walk();
            for item in node.named_children(&mut cursor) {
                match item.kind() {
                    "block_sequence_item" => {
                        let mut inner_cursor = item.walk();
                        let value = item
                            .named_children(&mut inner_cursor)
                            .find(|child| child.kind() != "comment");
                        items.push(match value {
                            Some(value) => yaml_value(value, text),
                            None => Value::null(item.byte_range()),
                        });
                    }
                    "comment" => {}
                    _ => items.push(yaml_value(item, text)),
                }
            }
            Value {
                range,
                data: Data::Seq(items),
            }
        }
        "plain_scalar" => {
            let raw = text[range.clone()].trim();
            if raw == "~" || raw == "null" {
                return Value::null(range);
            }
            Value {
                range,
                data: Data::Scalar(raw.to_string()),
            }
        }
        "double_quote_scalar" | "single_quote_scalar" => {
            let raw = &text[range.clone()];
            let inner = if raw.len() >= 2 {
                &raw[1..raw.len() - 1]
            } else {
                ""
            };
            Value {
                range,
                data: Data::Scalar(inner.to_string()),
            }
        }
        "block_scalar" => {
            let raw = &text[range.clone()];
            let body = raw.split_once('\n').map_or("", |(_, body)| body);
            let lines: Vec<&str> = body.lines().map(str::trim).collect();
            Value {
                range,
                data: Data::Scalar(lines.join(" ").trim().to_string()),
            }
        }
        _ => Value::null(range),
    }
}

/// The value of a JSON tree.
pub fn from_json(root: Node<'_>, text: &str) -> Option<Value> {
    let mut cursor = root.walk();
    let node = if root.kind() == "document" {
        root.named_children(&mut cursor)
            .find(|child| child.kind() != "comment")?
    } else {
        root
    };
    Some(json_value(node, text))
}

fn json_value(node: Node<'_>, text: &str) -> Value {
    let range = node.byte_range();
    match node.kind() {
        "object" => {
            let mut entries = Vec::new();
            let mut cursor = node.walk();
            for pair in node.named_children(&mut cursor) {
                if pair.kind() != "pair" {
                    continue;
                }
                let (Some(key), Some(value)) = (
                    pair.child_by_field_name("key"),
                    pair.child_by_field_name("value"),
                ) else {
                    continue;
                };
                let Data::Scalar(key_text) = json_value(key, text).data else {
                    continue;
                };
                entries.push((key_text, key.byte_range(), json_value(value, text)));
            }
            Value {
                range,
                data: Data::Map(entries),
            }
        }
        "array" => {
            let mut cursor = node.walk();
            let items = node
                .named_children(&mut cursor)
                .filter(|child| child.kind() != "comment")
                .map(|child| json_value(child, text))
                .collect();
            Value {
                range,
                data: Data::Seq(items),
            }
        }
        "string" => {
            let raw = &text[range.clone()];
            let inner = raw
                .strip_prefix('"')
                .and_then(|raw| raw.strip_suffix('"'))
                .unwrap_or(raw);
            Value {
                range,
                data: Data::Scalar(inner.to_string()),
            }
        }
        "number" | "true" | "false" => Value {
            data: Data::Scalar(text[range.clone()].to_string()),
            range,
        },
        _ => Value::null(range),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{kind::FileKind, parse::parse};

    #[test]
    fn yaml_maps_sequences_and_scalars_keep_their_ranges() {
        let text = "services:\n  api:\n    image: \"app:1\"\n    ports:\n      - 8000:8000\n    command: [uvicorn, app]\n";
        let tree = parse(FileKind::Compose, text, None).unwrap();
        let value = from_yaml(tree.root_node(), text).unwrap();
        let api = value.at(&["services", "api"]).unwrap();
        assert_eq!(api.get("image").unwrap().as_str(), Some("app:1"));
        let port = &api.get("ports").unwrap().items()[0];
        assert_eq!(port.as_str(), Some("8000:8000"));
        assert_eq!(&text[port.range.clone()], "8000:8000");
        let command: Vec<_> = api
            .get("command")
            .unwrap()
            .items()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert_eq!(command, ["uvicorn", "app"]);
    }

    #[test]
    fn json_objects_become_maps() {
        let text = r#"{"deploy": {"healthcheckPath": "/health", "n": 3}}"#;
        let tree = parse(FileKind::Json, text, None).unwrap();
        let value = from_json(tree.root_node(), text).unwrap();
        assert_eq!(
            value.at(&["deploy", "healthcheckPath"]).unwrap().as_str(),
            Some("/health")
        );
        assert_eq!(value.at(&["deploy", "n"]).unwrap().as_str(), Some("3"));
    }
}
