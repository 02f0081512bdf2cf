//! Sources as reference-manager records. Each record cites one *version*: the
//! title and byline as they stood then, and the capture time as the access date.

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sqlx::SqliteConnection;

use crate::error::{Error, Result};
use crate::versions;

/// What a citation of a source says, taken from the source and one version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
#[ts(export)]
pub struct CitedSource {
    pub source_id: i64,
    pub version_id: i64,
    pub version_seq: i64,
    /// The outlet: the page's site name, else the URL's host.
    pub outlet: Option<String>,
    pub title: String,
    /// Names from the byline ("By Kim Min-ji and Lee Jun-ho" gives two).
    pub authors: Vec<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    /// When this version was captured (UTC): the access date.
    pub accessed: String,
    pub lang: Option<String>,
    pub text_sha256: String,
}

impl CitedSource {
    /// Builds the citation of `version_id` of a source, or of its latest version.
    pub async fn load(
        conn: &mut SqliteConnection,
        source_id: i64,
        version_id: Option<i64>,
    ) -> Result<Self> {
        let source = versions::get_source(conn, source_id).await?;
        let version = match version_id {
            Some(id) => {
                let v = versions::get_version(conn, id).await?;
                if v.source_id != source_id {
                    return Err(Error::Invalid(format!(
                        "version {id} belongs to source {}, not {source_id}",
                        v.source_id
                    )));
                }
                v
            }
            None => versions::latest_version(conn, source_id)
                .await?
                .ok_or_else(|| Error::not_found("version of source", source_id))?,
        };
        let host = source
            .url
            .as_deref()
            .and_then(|u| url::Url::parse(u).ok())
            .and_then(|u| {
                u.host_str()
                    .map(|h| h.trim_start_matches("www.").to_string())
            });
        Ok(CitedSource {
            source_id,
            version_id: version.id,
            version_seq: version.seq,
            outlet: version
                .site_name
                .clone()
                .filter(|s| !s.trim().is_empty())
                .or(host),
            title: version.title.clone(),
            authors: version
                .byline
                .as_deref()
                .map(split_byline)
                .unwrap_or_default(),
            url: source.url.clone(),
            published: version.published_at.clone(),
            accessed: version.created_at.clone(),
            lang: version.lang.clone(),
            text_sha256: version.text_sha256.clone(),
        })
    }

    fn key(&self) -> String {
        format!("redline{}v{}", self.source_id, self.version_seq)
    }
}

/// Splits a byline into names: drops a leading "By" and splits on commas,
/// " and ", " & ", "|" and "、". Roles ("Staff Reporter") are kept as written.
fn split_byline(byline: &str) -> Vec<String> {
    let mut s = byline.trim();
    for prefix in ["By ", "by ", "BY "] {
        if let Some(rest) = s.strip_prefix(prefix) {
            s = rest;
        }
    }
    s.replace(" and ", ",")
        .replace(" & ", ",")
        .replace(['|', '、'], ",")
        .split(',')
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
        .collect()
}

/// A name as family/given when it looks like "Given Family" in a Latin
/// script; anything else (Chinese, Korean, Arabic names, one word) is kept whole.
fn split_name(name: &str) -> Option<(&str, &str)> {
    let latin = name
        .chars()
        .all(|c| c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c));
    if !latin {
        return None;
    }
    let (given, family) = name.rsplit_once(' ')?;
    Some((family.trim(), given.trim()))
}

/// Year, month and day of an RFC 3339 time or date, for CSL date-parts.
fn date_parts(s: &str) -> Option<[i64; 3]> {
    let d = s.trim().get(..10)?;
    let y = d.get(..4)?.parse().ok()?;
    let m = d.get(5..7)?.parse().ok()?;
    let day = d.get(8..10)?.parse().ok()?;
    (d.as_bytes().get(4) == Some(&b'-')).then_some([y, m, day])
}

fn note(c: &CitedSource) -> String {
    format!(
        "Redline source {} version {}, text sha256 {}",
        c.source_id, c.version_seq, c.text_sha256
    )
}

/// CSL-JSON (an array of items), as read by Zotero, Pandoc and citeproc.
pub fn csl_json(items: &[CitedSource]) -> String {
    let items: Vec<Value> = items
        .iter()
        .map(|c| {
            let mut item = json!({
                "id": c.key(),
                "type": "article-newspaper",
                "title": c.title,
                "note": note(c),
            });
            let obj = item.as_object_mut().expect("object");
            if !c.authors.is_empty() {
                let authors: Vec<Value> = c
                    .authors
                    .iter()
                    .map(|a| match split_name(a) {
                        Some((family, given)) => json!({"family": family, "given": given}),
                        None => json!({"literal": a}),
                    })
                    .collect();
                obj.insert("author".into(), Value::Array(authors));
            }
            if let Some(o) = &c.outlet {
                obj.insert("container-title".into(), json!(o));
            }
            if let Some(u) = &c.url {
                obj.insert("URL".into(), json!(u));
            }
            if let Some(l) = &c.lang {
                obj.insert("language".into(), json!(l));
            }
            if let Some(p) = c.published.as_deref().and_then(date_parts) {
                obj.insert("issued".into(), json!({"date-parts": [p]}));
            }
            if let Some(a) = date_parts(&c.accessed) {
                obj.insert("accessed".into(), json!({"date-parts": [a]}));
            }
            item
        })
        .collect();
    let mut out = serde_json::to_string_pretty(&items).expect("json serialises");
    out.push('\n');
    out
}

/// Escapes text for a BibTeX field: LaTeX specials become commands.
fn tex(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' => out.push_str("\\{"),
            '}' => out.push_str("\\}"),
            '&' => out.push_str("\\&"),
            '%' => out.push_str("\\%"),
            '$' => out.push_str("\\$"),
            '#' => out.push_str("\\#"),
            '_' => out.push_str("\\_"),
            '~' => out.push_str("\\textasciitilde{}"),
            '^' => out.push_str("\\textasciicircum{}"),
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// BibLaTeX `@online` entries (also read by Pandoc and Zotero). Titles are
/// double-braced to keep their capitals; names that are not "Given Family"
/// are braced so BibTeX does not reorder them.
pub fn bibtex(items: &[CitedSource]) -> String {
    let mut out = String::new();
    for c in items {
        let mut fields: Vec<(&str, String)> = vec![("title", format!("{{{}}}", tex(&c.title)))];
        if !c.authors.is_empty() {
            let names: Vec<String> = c
                .authors
                .iter()
                .map(|a| match split_name(a) {
                    Some((family, given)) if !a.contains(" and ") => {
                        format!("{}, {}", tex(family), tex(given))
                    }
                    _ => format!("{{{}}}", tex(a)),
                })
                .collect();
            fields.push(("author", names.join(" and ")));
        }
        if let Some(o) = &c.outlet {
            fields.push(("organization", tex(o)));
        }
        if let Some(p) = c.published.as_deref().and_then(date_parts) {
            fields.push(("date", format!("{:04}-{:02}-{:02}", p[0], p[1], p[2])));
        }
        if let Some(a) = date_parts(&c.accessed) {
            fields.push(("urldate", format!("{:04}-{:02}-{:02}", a[0], a[1], a[2])));
        }
        if let Some(u) = &c.url {
            // `url` is verbatim in BibLaTeX; only unbalanced braces would break it.
            fields.push(("url", u.replace('{', "%7B").replace('}', "%7D")));
        }
        if let Some(l) = &c.lang {
            fields.push(("langid", tex(l)));
        }
        fields.push(("note", tex(&note(c))));
        out.push_str(&format!("@online{{{},\n", c.key()));
        for (k, v) in fields {
            out.push_str(&format!("  {k} = {{{v}}},\n"));
        }
        out.push_str("}\n\n");
    }
    out
}

/// RIS records (`TY  - ELEC` … `ER  - `), one field per line, CRLF endings.
pub fn ris(items: &[CitedSource]) -> String {
    fn line(out: &mut String, tag: &str, value: &str) {
        let value: String = value
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        out.push_str(&format!("{tag}  - {}\r\n", value.trim()));
    }
    let mut out = String::new();
    for c in items {
        line(&mut out, "TY", "ELEC");
        line(&mut out, "ID", &c.key());
        line(&mut out, "TI", &c.title);
        for a in &c.authors {
            match split_name(a) {
                Some((family, given)) => line(&mut out, "AU", &format!("{family}, {given}")),
                None => line(&mut out, "AU", a),
            }
        }
        if let Some(o) = &c.outlet {
            line(&mut out, "T2", o);
        }
        if let Some(p) = c.published.as_deref().and_then(date_parts) {
            line(&mut out, "PY", &format!("{:04}", p[0]));
            line(
                &mut out,
                "DA",
                &format!("{:04}/{:02}/{:02}/", p[0], p[1], p[2]),
            );
        }
        if let Some(a) = date_parts(&c.accessed) {
            line(
                &mut out,
                "Y2",
                &format!("{:04}/{:02}/{:02}/", a[0], a[1], a[2]),
            );
        }
        if let Some(u) = &c.url {
            line(&mut out, "UR", u);
        }
        if let Some(l) = &c.lang {
            line(&mut out, "LA", l);
        }
        line(&mut out, "N1", &note(c));
        out.push_str("ER  - \r\n\r\n");
    }
    out
}
