//! The editor's `shipshape` settings section, from `initializationOptions`,
//! `workspace/configuration` and `didChangeConfiguration`. Every field is
//! optional; an unknown key or a bad value is logged and ignored, never
//! fatal. The configuration keys (`rules`, `categories`, `exclude`,
//! `perPathIgnores`) become a layer of the core's configuration
//! (`shipshape_core::config::editor_settings`), merged with the project's
//! configuration files by `configurationPreference`.
//!
//! `editors/settings.schema.json` is the source of the editors' settings;
//! a test below fails when it and [`KEYS`] disagree.

use std::path::Path;

use serde_json::Value as Json;
use shipshape_core::config::{
    ConfigLayer, ConfigLoader, ConfigurationPreference, FileSettings, Item, editor_settings,
};

/// The keys of the `shipshape` section this server knows. `path` and
/// `trace` are read by the editors only.
pub const KEYS: [&str; 9] = [
    "enable",
    "path",
    "trace",
    "rules",
    "categories",
    "exclude",
    "perPathIgnores",
    "scope",
    "configurationPreference",
];

/// The configuration keys passed on to the core (also accepted in their
/// configuration-file spelling).
const CONFIG_KEYS: [&str; 6] = [
    "rules",
    "categories",
    "exclude",
    "perPathIgnores",
    "per-path-ignores",
    "per_path_ignores",
];

/// Where project findings (of cross-file rules) are reported.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// In every file of the workspace, open or not.
    #[default]
    Workspace,
    /// Only in open documents (the whole project is still read: cross-file
    /// rules need every file's facts).
    OpenFiles,
}

/// Whether editor settings or configuration files decide, as the editor
/// names it: the core's three preferences plus `filesystemOnly`, which
/// ignores the editor's rule settings.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Preference {
    #[default]
    FilesystemFirst,
    EditorFirst,
    EditorOnly,
    FilesystemOnly,
}

impl Preference {
    fn from_name(name: &str) -> Option<Preference> {
        match name {
            "filesystemOnly" | "filesystem-only" => Some(Preference::FilesystemOnly),
            other => ConfigurationPreference::from_name(other).map(|core| match core {
                ConfigurationPreference::FilesystemFirst => Preference::FilesystemFirst,
                ConfigurationPreference::EditorFirst => Preference::EditorFirst,
                ConfigurationPreference::EditorOnly => Preference::EditorOnly,
            }),
        }
    }

    fn core(self) -> ConfigurationPreference {
        match self {
            Preference::FilesystemFirst | Preference::FilesystemOnly => {
                ConfigurationPreference::FilesystemFirst
            }
            Preference::EditorFirst => ConfigurationPreference::EditorFirst,
            Preference::EditorOnly => ConfigurationPreference::EditorOnly,
        }
    }
}

/// The editor's settings, parsed.
#[derive(Clone, Debug)]
pub struct Settings {
    pub enable: bool,
    pub scope: Scope,
    pub preference: Preference,
    /// The configuration keys, as the core reads them.
    config: Option<Item>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            enable: true,
            scope: Scope::default(),
            preference: Preference::default(),
            config: None,
        }
    }
}

impl Settings {
    /// Parses the `shipshape` section (or an object holding it under
    /// `shipshape`, as some clients send `didChangeConfiguration`). Returns
    /// the settings and the problems found (to log); the problems never stop
    /// the rest from applying.
    pub fn from_json(value: &Json) -> (Settings, Vec<String>) {
        let mut settings = Settings::default();
        let mut problems = Vec::new();
        let section = match value.get("shipshape") {
            Some(inner) if inner.is_object() => inner,
            _ => value,
        };
        let Json::Object(map) = section else {
            if !section.is_null() {
                problems.push(format!(
                    "the shipshape settings must be an object, not {section}"
                ));
            }
            return (settings, problems);
        };
        let mut config = serde_json::Map::new();
        for (key, value) in map {
            match key.as_str() {
                "enable" => match value {
                    Json::Bool(on) => settings.enable = *on,
                    other => problems.push(format!("`enable`: expected true or false, found {other}")),
                },
                "scope" => match value.as_str() {
                    Some("workspace") => settings.scope = Scope::Workspace,
                    Some("openFiles") => settings.scope = Scope::OpenFiles,
                    _ => problems.push(format!(
                        "`scope`: expected \"workspace\" or \"openFiles\", found {value}"
                    )),
                },
                "configurationPreference" => match value.as_str().and_then(Preference::from_name) {
                    Some(preference) => settings.preference = preference,
                    None => problems.push(format!(
                        "`configurationPreference`: expected \"filesystemFirst\", \"editorFirst\", \"editorOnly\" or \"filesystemOnly\", found {value}"
                    )),
                },
                "path" | "trace" => {}
                key if CONFIG_KEYS.contains(&key) => {
                    if !value.is_null() {
                        config.insert(key.to_string(), value.clone());
                    }
                }
                other => problems.push(format!("unknown setting `shipshape.{other}`: ignored")),
            }
        }
        if !config.is_empty() {
            match serde_json::from_value::<Item>(Json::Object(config)) {
                Ok(item) => {
                    // Validate once here so problems are logged when the
                    // settings arrive rather than per file.
                    let (_, _, found) = editor_settings(&item, Path::new("/"));
                    problems.extend(found.into_iter().map(|problem| problem.message));
                    settings.config = Some(item);
                }
                Err(error) => problems.push(format!("the rule settings are unreadable: {error}")),
            }
        }
        (settings, problems)
    }

    /// The editor's configuration layer for files of the workspace folder
    /// `folder` (globs are relative to it), unless `filesystemOnly`.
    pub fn layer(&self, folder: &Path) -> Option<ConfigLayer> {
        if self.preference == Preference::FilesystemOnly {
            return None;
        }
        let item = self.config.as_ref()?;
        let (layer, _, _) = editor_settings(item, folder);
        Some(layer)
    }

    /// The resolved settings of the file at `path` (absolute) in the
    /// workspace folder `folder`: the editor's layer and the nearest
    /// configuration file, merged by the preference.
    pub fn file_settings(
        &self,
        loader: &ConfigLoader,
        folder: Option<&Path>,
        path: &Path,
    ) -> FileSettings {
        let layer = folder.and_then(|folder| self.layer(folder));
        loader.settings_with_editor(path, layer.as_ref(), self.preference.core())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use serde_json::json;
    use shipshape_core::registry;

    use super::*;

    #[test]
    fn every_field_is_optional_and_bad_values_are_ignored() {
        let (settings, problems) = Settings::from_json(&json!({}));
        assert!(settings.enable && problems.is_empty());
        assert_eq!(settings.scope, Scope::Workspace);

        let (settings, problems) = Settings::from_json(&json!({
            "shipshape": {
                "enable": "yes",
                "scope": "openFiles",
                "configurationPreference": "sometimes",
                "colour": "blue",
                "rules": { "bare-except": "off", "no-such-rule": "error", "print-in-service-code": 3 },
            }
        }));
        assert!(settings.enable, "a bad value leaves the default");
        assert_eq!(settings.scope, Scope::OpenFiles);
        assert_eq!(settings.preference, Preference::FilesystemFirst);
        assert_eq!(problems.len(), 5, "{problems:?}");
        assert!(matches!(
            settings.config.as_ref().unwrap().value,
            shipshape_core::config::Value::Table(_)
        ));
        let layer = settings.layer(Path::new("/w")).unwrap();
        assert_eq!(layer.rules.len(), 1, "the good entry applies: {layer:?}");

        let (settings, problems) = Settings::from_json(&json!("nonsense"));
        assert_eq!(problems.len(), 1);
        assert!(settings.enable);
    }

    #[test]
    fn a_rule_set_off_in_the_editor_is_off_unless_a_config_file_decides() {
        let rule = registry()
            .rule(shipshape_core::rule::ids::BARE_EXCEPT)
            .unwrap();
        let loader = ConfigLoader::new();
        let folder =
            std::env::temp_dir().join(format!("shipshape-settings-{}", std::process::id()));
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("main.py");
        for (preference, off) in [
            ("filesystemFirst", true),
            ("editorFirst", true),
            ("editorOnly", true),
            ("filesystemOnly", false),
        ] {
            let (settings, problems) = Settings::from_json(&json!({
                "rules": { "bare-except": "off" },
                "configurationPreference": preference,
            }));
            assert!(problems.is_empty(), "{problems:?}");
            let resolved = settings.file_settings(&loader, Some(&folder), &file);
            assert_eq!(!resolved.is_enabled(rule), off, "{preference}");
        }
        let (settings, _) =
            Settings::from_json(&json!({ "perPathIgnores": { "*.py": ["bare-except"] } }));
        assert!(
            !settings
                .file_settings(&loader, Some(&folder), &file)
                .is_enabled(rule)
        );
        let (settings, _) = Settings::from_json(&json!({ "exclude": ["main.py"] }));
        assert!(
            settings
                .file_settings(&loader, Some(&folder), &file)
                .excluded
        );
        let (settings, _) = Settings::from_json(&json!({ "categories": { "reliability": false } }));
        assert!(
            !settings
                .file_settings(&loader, Some(&folder), &file)
                .is_enabled(rule)
        );
        std::fs::remove_dir_all(&folder).unwrap();
    }

    /// `editors/settings.schema.json` is the source of the editors'
    /// settings: its properties and the keys read here must be the same.
    #[test]
    fn the_keys_match_the_editor_settings_schema() {
        let schema_path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../editors/settings.schema.json");
        let schema: Json =
            serde_json::from_str(&std::fs::read_to_string(&schema_path).unwrap()).unwrap();
        let in_schema: BTreeSet<String> = schema["properties"]
            .as_object()
            .unwrap()
            .keys()
            .map(|key| {
                let key = key.strip_prefix("shipshape.").expect("shipshape.* keys");
                key.split('.').next().unwrap().to_string()
            })
            .collect();
        let here: BTreeSet<String> = KEYS.iter().map(|key| key.to_string()).collect();
        assert_eq!(
            in_schema, here,
            "settings.rs KEYS and settings.schema.json disagree"
        );

        // The schema's enums are the values parsed here.
        let scope = &schema["properties"]["shipshape.scope"]["enum"];
        assert_eq!(scope, &json!(["workspace", "openFiles"]));
        for name in schema["properties"]["shipshape.configurationPreference"]["enum"]
            .as_array()
            .unwrap()
        {
            assert!(
                Preference::from_name(name.as_str().unwrap()).is_some(),
                "{name}"
            );
        }
        for level in schema["properties"]["shipshape.rules"]["additionalProperties"]["enum"]
            .as_array()
            .unwrap()
        {
            let (settings, problems) =
                Settings::from_json(&json!({ "rules": { "bare-except": level } }));
            assert!(problems.is_empty(), "{level}: {problems:?}");
            assert!(settings.layer(Path::new("/")).is_some());
        }
    }
}
