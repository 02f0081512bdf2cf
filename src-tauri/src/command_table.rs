//! The list of the app's commands, read from their one definition: the
//! `#[tauri::command]` functions in `commands.rs`. `build.rs` takes the names
//! from it (the handler list and the ACL permissions), and a test writes the
//! UI's typed callers (`ui/src/bindings/commands.ts`) from the signatures, so a
//! new command is written once in Rust and once where the UI calls it.
//!
//! This is a reader for the plain shape those functions have (`pub [async]
//! fn name(arg: Type, …) -> ApiResult<T>`), not a Rust parser; the tests
//! fail loudly on anything it does not understand.

/// One command as the page calls it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The Rust name, which is also the name `invoke` uses.
    pub name: String,
    /// The arguments the page sends, in order: (Rust name, Rust type).
    /// Arguments Tauri fills in itself (`State`, `AppHandle`, …) are left out.
    pub args: Vec<(String, String)>,
    /// `T` of the `ApiResult<T>` it returns.
    pub returns: String,
    /// Its `///` doc comment, one entry per line.
    pub doc: Vec<String>,
}

/// Every `#[tauri::command]` function in `source`, in file order.
pub fn read(source: &str) -> Vec<Command> {
    let pieces: Vec<&str> = source.split("#[tauri::command]").collect();
    pieces
        .windows(2)
        .map(|w| {
            let rest = w[1];
            let signature = &rest[..rest.find('{').expect("a command has a body")];
            let mut c = command(signature);
            c.doc = trailing_doc(w[0]);
            c
        })
        .collect()
}

/// The `///` lines just before the attribute.
fn trailing_doc(before: &str) -> Vec<String> {
    let mut doc: Vec<String> = before
        .trim_end()
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|l| l.starts_with("///"))
        .map(|l| l.trim_start_matches("///").trim().to_string())
        .collect();
    doc.reverse();
    doc
}

fn command(signature: &str) -> Command {
    let after_fn = signature
        .split_once("fn ")
        .unwrap_or_else(|| panic!("no fn in {signature}"))
        .1;
    let name: String = after_fn
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
        .collect();
    let open = after_fn.find('(').expect("an argument list");
    let close = matching(after_fn, open);
    let args = split_top(&after_fn[open + 1..close])
        .into_iter()
        .filter_map(|arg| {
            let (n, t) = arg.split_once(':')?;
            let t = t.trim().to_string();
            (!filled_by_tauri(&t)).then(|| (n.trim().to_string(), t))
        })
        .collect();
    let returns = after_fn[close + 1..]
        .trim()
        .strip_prefix("->")
        .map(str::trim)
        .unwrap_or("()");
    let returns = returns
        .strip_prefix("ApiResult<")
        .and_then(|r| r.strip_suffix('>'))
        .unwrap_or_else(|| panic!("{name} must return ApiResult<T>, not {returns}"))
        .trim()
        .to_string();
    Command {
        name,
        args,
        returns,
        doc: Vec::new(),
    }
}

fn filled_by_tauri(ty: &str) -> bool {
    [
        "App<",
        "State<",
        "AppHandle",
        "Window",
        "Webview",
        "tauri::",
    ]
    .iter()
    .any(|p| ty.starts_with(p))
}

/// The index of the bracket closing the one at `open`.
fn matching(s: &str, open: usize) -> usize {
    let mut depth = 0;
    for (i, c) in s.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' if !s[..i].ends_with('-') => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    panic!("unbalanced brackets in {s}")
}

/// Splits `a: A, b: B<C, D>` at its top-level commas.
fn split_top(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => {
                out.push(s[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(s[start..].trim());
    out.retain(|a| !a.is_empty());
    out
}

/// `ui/src/bindings/commands.ts`: one typed caller per command, over the
/// `call` that api.ts passes in (it waits for first paint and shapes errors).
pub fn typescript(commands: &[Command]) -> String {
    let mut types = std::collections::BTreeSet::new();
    let mut body = String::new();
    for c in commands {
        let params: Vec<String> = c
            .args
            .iter()
            .map(|(n, t)| format!("{}: {}", camel(n), ts_type(t, &mut types)))
            .collect();
        let sent: Vec<String> = c.args.iter().map(|(n, _)| camel(n)).collect();
        let returns = ts_type(&c.returns, &mut types);
        if !c.doc.is_empty() {
            let doc = c.doc.join(" ").replace("*/", "*\\/");
            body.push_str(&format!("  /** {doc} */\n"));
        }
        let args = if sent.is_empty() {
            String::new()
        } else {
            format!(", {{ {} }}", sent.join(", "))
        };
        body.push_str(&format!(
            "  {}: ({}) => call<{}>(\"{}\"{}),\n",
            camel(&c.name),
            params.join(", "),
            returns,
            c.name,
            args
        ));
    }
    let mut out = String::from(
        "// The shell's commands as typed calls, written from src-tauri/src/commands.rs\n\
         // by `cargo test -p redline-app export_bindings`. Do not edit: change the command.\n\n",
    );
    for t in &types {
        out.push_str(&format!("import type {{ {t} }} from \"./{t}\";\n"));
    }
    out.push_str(
        "\n/** How a command is sent: api.ts passes its own (first paint, error shape). */\n\
         export type Call = <T>(command: string, args?: Record<string, unknown>) => Promise<T>;\n\n\
         export const commands = (call: Call) => ({\n",
    );
    out.push_str(&body);
    out.push_str("});\n");
    out
}

fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The TypeScript of a Rust argument or result type; named types are the
/// ts-rs bindings of the same name (collected into `named` for the imports).
fn ts_type(ty: &str, named: &mut std::collections::BTreeSet<String>) -> String {
    let ty = ty.trim().trim_start_matches('&').trim();
    let inner = |prefix: &str| {
        ty.strip_prefix(prefix)
            .and_then(|r| r.strip_suffix('>'))
            .map(str::to_string)
    };
    if let Some(t) = inner("Option<") {
        return format!("{} | null", ts_type(&t, named));
    }
    if let Some(t) = inner("Vec<") {
        let t = ts_type(&t, named);
        return if t.contains(' ') {
            format!("({t})[]")
        } else {
            format!("{t}[]")
        };
    }
    match ty {
        "()" => "void".into(),
        "bool" => "boolean".into(),
        "String" | "str" => "string".into(),
        "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" | "f32"
        | "f64" => "number".into(),
        _ => {
            let name = ty.rsplit("::").next().unwrap_or(ty);
            assert!(
                !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
                "no TypeScript for the Rust type {ty}"
            );
            named.insert(name.to_string());
            name.to_string()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = include_str!("commands.rs");

    #[test]
    fn reads_each_command_with_the_arguments_the_page_sends() {
        let all = read(SOURCE);
        let clip = all.iter().find(|c| c.name == "clip_file").unwrap();
        assert_eq!(
            clip.args,
            [
                ("path".to_string(), "String".to_string()),
                ("url".to_string(), "Option<String>".to_string())
            ]
        );
        assert_eq!(clip.returns, "ClipOutcome");
        let backup = all.iter().find(|c| c.name == "backup_library").unwrap();
        assert!(backup.args.is_empty(), "{backup:?}");
        assert_eq!(backup.returns, "Option<SavedFile>");
        assert_eq!(
            SOURCE.matches("#[tauri::command]").count(),
            all.len(),
            "every command is read"
        );
    }

    /// Writes ui/src/bindings/commands.ts, as ts-rs writes the types beside
    /// it (scripts/test-app fails when the committed file is stale).
    #[test]
    fn export_bindings_commands() {
        let ts = typescript(&read(SOURCE));
        assert!(ts.contains(
            "clipFile: (path: string, url: string | null) => call<ClipOutcome>(\"clip_file\", { path, url }),"
        ), "{ts}");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/src/bindings");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("commands.ts"), ts).unwrap();
    }
}
