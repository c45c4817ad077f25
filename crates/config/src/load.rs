//! Reading the file, layering the environment on top, and collecting every error.
//!
//! Unknown keys are found by deserialising each section with `deny_unknown_fields` and, on an "unknown field"
//! error, removing that key and trying again, so that *all* unknown keys are reported, not just the first.

use std::collections::BTreeSet;
use std::path::Path;

use serde::de::DeserializeOwned;
use toml::{Table, Value};

use crate::PipelineConfig;

/// Environment variables overriding keys start with this: `TUJIE__DATABASE__URL`.
pub const ENV_PREFIX: &str = "TUJIE__";

/// Shorthands kept for operators used to twelve-factor names.
const SHORTHANDS: [(&str, &str, &str); 2] =
    [("TUJIE_DATABASE_URL", "database", "url"), ("TUJIE_AMQP_URL", "amqp", "url")];

/// Where the file part of the configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// An explicit `--config FILE`: it must exist.
    File(String),
    /// `pipeline.toml` in the working directory if it exists, defaults otherwise.
    Default,
}

/// Everything wrong with a configuration. Its `Display` lists every problem on its own line.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid configuration:\n  {}", .problems.join("\n  "))]
pub struct ConfigError {
    pub problems: Vec<String>,
}

/// Loads the configuration from `source` and the process environment.
pub fn load(source: &Source) -> Result<PipelineConfig, ConfigError> {
    let (name, text) = match source {
        Source::File(path) => match std::fs::read_to_string(path) {
            Ok(text) => (path.clone(), text),
            Err(e) => return Err(ConfigError { problems: vec![format!("{path}: cannot read: {e}")] }),
        },
        Source::Default => {
            let path = "pipeline.toml";
            if Path::new(path).exists() {
                match std::fs::read_to_string(path) {
                    Ok(text) => (path.to_owned(), text),
                    Err(e) => return Err(ConfigError { problems: vec![format!("{path}: cannot read: {e}")] }),
                }
            } else {
                ("(defaults)".to_owned(), String::new())
            }
        }
    };
    let mut config = load_from_str(&name, &text, std::env::vars())?;
    if config.amqp.instance.is_empty() {
        config.amqp.instance = host_name();
    }
    if let Ok(cwd) = std::env::current_dir() {
        config.database.url = absolute_sqlite_url(&config.database.url, &cwd);
    }
    Ok(config)
}

/// A `sqlite://` URL with a relative path made absolute against `cwd`, so that every message names the file in
/// use and a command run from another folder says which database it opened. Other URLs are returned unchanged.
fn absolute_sqlite_url(url: &str, cwd: &Path) -> String {
    let Some(path) = url.strip_prefix("sqlite://") else { return url.to_owned() };
    if path.is_empty() || path.starts_with('/') || path.starts_with(':') {
        return url.to_owned();
    }
    format!("sqlite://{}", cwd.join(path).display())
}

/// This machine's name: `HOSTNAME`, else `/etc/hostname`, else empty (the relay then says `localhost`).
fn host_name() -> String {
    std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/etc/hostname").ok())
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}

/// Loads from TOML text named `name` (used in messages) and the given environment.
pub fn load_from_str(
    name: &str,
    text: &str,
    env: impl IntoIterator<Item = (String, String)>,
) -> Result<PipelineConfig, ConfigError> {
    let mut problems = Vec::new();
    let mut table: Table = match text.parse() {
        Ok(t) => t,
        Err(e) => return Err(ConfigError { problems: vec![format!("{name}: {}", e.to_string().trim_end())] }),
    };
    let from_env = apply_env(&mut table, env, &mut problems);
    let origin = |key: &str| -> String {
        match from_env.iter().find(|(k, _)| k == key) {
            Some((_, var)) => format!("environment variable {var}"),
            None => name.to_owned(),
        }
    };

    let mut config = PipelineConfig::default();
    let known: BTreeSet<&str> = [
        "pipeline", "database", "amqp", "text", "matcher", "render", "review", "fetch", "report", "media", "video",
        "log",
    ]
    .into_iter()
    .collect();
    for (section, value) in &table {
        if !known.contains(section.as_str()) {
            problems.push(format!("{}: unknown section `[{section}]`", origin(section)));
        } else if !value.is_table() {
            problems.push(format!("{}: `{section}` must be a table (`[{section}]`)", origin(section)));
        }
    }
    section(&table, "pipeline", &mut config.pipeline, &origin, &mut problems);
    section(&table, "database", &mut config.database, &origin, &mut problems);
    section(&table, "amqp", &mut config.amqp, &origin, &mut problems);
    section(&table, "text", &mut config.text, &origin, &mut problems);
    section(&table, "matcher", &mut config.matcher, &origin, &mut problems);
    section(&table, "render", &mut config.render, &origin, &mut problems);
    section(&table, "review", &mut config.review, &origin, &mut problems);
    section(&table, "fetch", &mut config.fetch, &origin, &mut problems);
    section(&table, "report", &mut config.report, &origin, &mut problems);
    section(&table, "media", &mut config.media, &origin, &mut problems);
    section(&table, "video", &mut config.video, &origin, &mut problems);
    section(&table, "log", &mut config.log, &origin, &mut problems);

    let validations = [
        ("pipeline", config.pipeline.validate()),
        ("database", config.database.validate()),
        ("amqp", config.amqp.validate()),
        ("text", config.text.validate()),
        ("matcher", config.matcher.validate()),
        ("render", config.render.validate()),
        ("review", config.review.validate()),
        ("fetch", config.fetch.validate()),
        ("report", config.report.validate()),
        ("media", config.media.validate()),
        ("video", config.video.validate()),
        ("log", config.log.validate()),
    ];
    for (section, errors) in validations {
        for (key, problem) in errors {
            let key = if key.starts_with(&format!("{section}.")) { key } else { format!("{section}.{key}") };
            problems.push(format!("{}: `{key}` {problem}", origin(&key)));
        }
    }
    if problems.is_empty() { Ok(config) } else { Err(ConfigError { problems }) }
}

/// Writes `TUJIE__SECTION__KEY[__SUBKEY]` and the shorthands into `table`. Returns which dotted keys came from
/// which variable, so messages can blame the right place.
fn apply_env(
    table: &mut Table,
    env: impl IntoIterator<Item = (String, String)>,
    problems: &mut Vec<String>,
) -> Vec<(String, String)> {
    let mut from_env = Vec::new();
    let mut vars: Vec<(String, String)> = env.into_iter().collect();
    // Explicit TUJIE__ variables are applied after the shorthands, so they win.
    vars.sort_by_key(|(k, _)| k.starts_with(ENV_PREFIX));
    for (var, raw) in vars {
        let path: Vec<String> = if let Some((_, section, key)) = SHORTHANDS.iter().find(|(v, _, _)| *v == var) {
            vec![(*section).into(), (*key).into()]
        } else if let Some(rest) = var.strip_prefix(ENV_PREFIX) {
            rest.split("__").map(str::to_lowercase).collect()
        } else {
            continue;
        };
        if path.len() < 2 || path.iter().any(String::is_empty) {
            problems.push(format!("environment variable {var}: expected {ENV_PREFIX}SECTION__KEY"));
            continue;
        }
        if let Err(part) = set_path(table, &path, parse_env_value(&raw)) {
            problems.push(format!("environment variable {var}: `{part}` is not a table"));
            continue;
        }
        from_env.push((path.join("."), var.clone()));
        from_env.push((path[0].clone(), var));
    }
    from_env
}

/// Sets `path` (at least two parts) in `table`, creating tables on the way; `Err` names a part that is not a table.
fn set_path(table: &mut Table, path: &[String], value: Value) -> Result<(), String> {
    let (last, parents) = path.split_last().expect("caller checked the length");
    let mut node = table;
    for part in parents {
        match node.entry(part.clone()).or_insert_with(|| Value::Table(Table::new())) {
            Value::Table(t) => node = t,
            _ => return Err(part.clone()),
        }
    }
    node.insert(last.clone(), value);
    Ok(())
}

/// Environment values are TOML when they parse as a TOML value (`5`, `true`, `[1, 2]`), else plain strings, so
/// `TUJIE__AMQP__PREFETCH=20` is a number and `TUJIE__DATABASE__URL=postgres://…` a string without quoting.
fn parse_env_value(raw: &str) -> Value {
    match format!("v = {raw}").parse::<Table>() {
        Ok(mut t) => t.remove("v").unwrap_or_else(|| Value::String(raw.to_owned())),
        Err(_) => Value::String(raw.to_owned()),
    }
}

fn section<T: DeserializeOwned>(
    table: &Table,
    name: &str,
    target: &mut T,
    origin: &dyn Fn(&str) -> String,
    problems: &mut Vec<String>,
) {
    let Some(Value::Table(body)) = table.get(name) else { return };
    let mut body = body.clone();
    // Bounded: each round removes one key, and a table has finitely many.
    loop {
        match Value::Table(body.clone()).try_into::<T>() {
            Ok(parsed) => {
                *target = parsed;
                return;
            }
            Err(e) => {
                let message = e.message().to_owned();
                if let Some(field) = unknown_field(&message)
                    && let Some(path) = remove_key(&mut body, &field)
                {
                    let key = format!("{name}.{path}");
                    problems.push(format!("{}: unknown key `{key}`", origin(&key)));
                    continue;
                }
                let key = first_key_in(&message).map(|k| format!("{name}.{k}")).unwrap_or_else(|| name.to_owned());
                problems.push(format!("{}: `{key}`: {message}", origin(&key)));
                return;
            }
        }
    }
}

/// The field name in serde's "unknown field `x`, expected one of …".
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest[..rest.find('`')?].to_owned())
}

fn first_key_in(message: &str) -> Option<String> {
    let start = message.find("`")? + 1;
    let len = message[start..].find('`')?;
    Some(message[start..start + len].to_owned())
}

/// Removes `field` from `body` or from the first nested table that has it; returns its dotted path.
fn remove_key(body: &mut Table, field: &str) -> Option<String> {
    if body.remove(field).is_some() {
        return Some(field.to_owned());
    }
    for (k, v) in body.iter_mut() {
        if let Value::Table(inner) = v
            && let Some(path) = remove_key(inner, field)
        {
            return Some(format!("{k}.{path}"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(vars: &[(&str, &str)]) -> Vec<(String, String)> {
        vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    #[test]
    fn defaults_are_valid() {
        let cfg = load_from_str("pipeline.toml", "", env(&[])).unwrap();
        assert_eq!(cfg.database.url, "sqlite://data/tujie.db");
        assert_eq!(cfg.amqp.prefix, "tujie");
    }

    #[test]
    fn relative_sqlite_paths_are_made_absolute() {
        let cwd = Path::new("/srv/tujie");
        assert_eq!(absolute_sqlite_url("sqlite://data/tujie.db", cwd), "sqlite:///srv/tujie/data/tujie.db");
        assert_eq!(absolute_sqlite_url("sqlite://db.sqlite?mode=ro", cwd), "sqlite:///srv/tujie/db.sqlite?mode=ro");
        for unchanged in ["sqlite:///var/lib/tujie.db", "sqlite::memory:", "postgres://u@h/db"] {
            assert_eq!(absolute_sqlite_url(unchanged, cwd), unchanged);
        }
    }

    #[test]
    fn mistyped_keys_are_named_with_the_file_all_at_once() {
        let text = "[database]\nurll = \"x\"\n[amqp]\nprefetch = 10\nprefx = \"a\"\n[matcher]\naccept_scor = 0.5\n";
        let err = load_from_str("conf/pipeline.toml", text, env(&[])).unwrap_err();
        assert!(err.problems.contains(&"conf/pipeline.toml: unknown key `database.urll`".to_string()), "{err}");
        assert!(err.problems.contains(&"conf/pipeline.toml: unknown key `amqp.prefx`".to_string()), "{err}");
        assert!(err.problems.contains(&"conf/pipeline.toml: unknown key `matcher.accept_scor`".to_string()), "{err}");
    }

    #[test]
    fn ill_typed_values_name_the_key() {
        let err = load_from_str("p.toml", "[amqp]\nprefetch = \"many\"\n", env(&[])).unwrap_err();
        assert!(err.problems[0].starts_with("p.toml: `amqp"), "{err}");
        assert!(err.to_string().contains("prefetch") || err.to_string().contains("invalid type"), "{err}");
    }

    #[test]
    fn environment_overrides_and_shorthands() {
        let cfg = load_from_str(
            "p.toml",
            "[amqp]\nprefix = \"file\"\n",
            env(&[
                ("TUJIE__AMQP__PREFIX", "fromenv"),
                ("TUJIE__AMQP__PREFETCH", "20"),
                ("TUJIE_DATABASE_URL", "postgres://u:secret@127.0.0.1/db"),
                ("UNRELATED", "x"),
            ]),
        )
        .unwrap();
        assert_eq!((cfg.amqp.prefix.as_str(), cfg.amqp.prefetch), ("fromenv", 20));
        assert_eq!(cfg.database.url, "postgres://u:secret@127.0.0.1/db");
        assert_eq!(cfg.redacted().database.url, "postgres://u:***@127.0.0.1/db");
    }

    #[test]
    fn a_bad_environment_key_blames_the_variable() {
        let err = load_from_str("p.toml", "", env(&[("TUJIE__DATABASE__URLL", "x")])).unwrap_err();
        assert_eq!(err.problems, ["environment variable TUJIE__DATABASE__URLL: unknown key `database.urll`"]);
    }

    #[test]
    fn validation_errors_name_their_keys() {
        let err = load_from_str("p.toml", "[database]\nurl = \"mysql://x\"\n[log]\nformat = \"xml\"\n", env(&[]))
            .unwrap_err();
        assert!(err.problems.iter().any(|p| p.starts_with("p.toml: `database.url`")), "{err}");
        assert!(err.problems.iter().any(|p| p.starts_with("p.toml: `log.format`")), "{err}");
    }

    #[test]
    fn fetch_is_off_by_default_and_its_errors_name_their_keys() {
        assert!(!load_from_str("p.toml", "", env(&[])).unwrap().fetch.enabled());
        let file = "[fetch]\nhosts = [\"https://www.example.gov.cn/\"]\nprivate_hosts = [\"10.0.0.1\"]\n";
        let err = load_from_str("p.toml", file, env(&[])).unwrap_err();
        assert!(err.problems.iter().any(|p| p.starts_with("p.toml: `fetch.hosts[0]` `https://")), "{err}");
        assert!(
            err.problems.iter().any(|p| p.contains("`fetch.private_hosts[0]` `10.0.0.1` must also be listed")),
            "{err}"
        );
        let on = load_from_str("p.toml", "", env(&[("TUJIE__FETCH__HOSTS", "[\"www.example.gov.cn\"]")])).unwrap();
        assert!(on.fetch.enabled() && on.fetch.allows("www.example.gov.cn"));
    }

    #[test]
    fn s3_asset_store_errors_name_their_keys() {
        let file = "[database]\nasset_store = \"s3\"\ns3_region = \"\"\ns3_endpoint = \"http://127.0.0.1:9000\"\n\
                    s3_prefix = \"/drafts\"\ns3_access_key_id = \"AKID\"\n";
        let err = load_from_str("p.toml", file, env(&[])).unwrap_err();
        let keys: Vec<&str> = err.problems.iter().map(|p| p.split('`').nth(1).unwrap_or(p)).collect();
        assert_eq!(
            keys,
            [
                "database.s3_bucket",
                "database.s3_region",
                "database.s3_endpoint",
                "database.s3_prefix",
                "database.s3_secret_access_key"
            ],
            "{err}"
        );
        assert!(err.to_string().contains("s3_allow_http = true"), "{err}");
        let ok = "[database]\nasset_store = \"s3\"\ns3_bucket = \"b\"\ns3_endpoint = \"http://127.0.0.1:9000\"\n\
                  s3_allow_http = true\n";
        let cfg = load_from_str("p.toml", ok, env(&[("TUJIE__DATABASE__S3_SECRET_ACCESS_KEY", "hush")])).unwrap_err();
        assert!(cfg.to_string().contains("`database.s3_access_key_id` must be set"), "{cfg}");
        let with_key = format!("{ok}s3_access_key_id = \"AKID\"\n");
        let cfg =
            load_from_str("p.toml", &with_key, env(&[("TUJIE__DATABASE__S3_SECRET_ACCESS_KEY", "hush")])).unwrap();
        assert_eq!(cfg.database.redacted().s3_secret_access_key, "***", "the secret is never printed");
    }

    #[test]
    fn unknown_sections_are_errors() {
        let err = load_from_str("p.toml", "[databse]\nurl = \"x\"\n", env(&[])).unwrap_err();
        assert_eq!(err.problems, ["p.toml: unknown section `[databse]`"]);
    }
}

#[cfg(test)]
mod shipped_file {
    use super::*;

    /// `pipeline.toml` at the top of the repository documents every key with its default value: parsing it gives
    /// exactly the built-in defaults, and it names every key the defaults have.
    #[test]
    fn pipeline_toml_lists_every_key_with_its_default() {
        let shipped = include_str!("../../../pipeline.toml");
        let cfg = load_from_str("pipeline.toml", shipped, Vec::new()).expect("shipped pipeline.toml is valid");
        let as_loaded: Table = toml::to_string(&cfg).unwrap().parse().unwrap();
        let defaults: Table = toml::to_string(&PipelineConfig::default()).unwrap().parse().unwrap();
        assert_eq!(as_loaded, defaults, "pipeline.toml sets a value other than the default");
        let file: Table = shipped.parse().unwrap();
        assert_eq!(file, defaults, "pipeline.toml does not list every key (or lists one the code lacks)");
    }
}
