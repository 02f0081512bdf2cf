//! `redline extract`: extraction alone, no library.

use std::path::PathBuf;

use clap::Args;
use redline::{charset, extract, Error};
use serde::Serialize;

use super::print_json;

#[derive(Args)]
pub struct ExtractArgs {
    /// An .html/.htm file.
    pub file: PathBuf,
    /// The page's URL, for resolving links and metadata.
    #[arg(long)]
    pub url: Option<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Extracted {
    title: String,
    byline: Option<String>,
    site: Option<String>,
    lang: Option<String>,
    dir: redline::article::Dir,
    published: Option<String>,
    modified: Option<String>,
    canonical_url: Option<String>,
    encoding: &'static str,
    blocks: Vec<redline::article::Block>,
    text: String,
    /// Set when extraction may have missed the article.
    low_confidence: Option<extract::LowConfidence>,
}

pub async fn run(args: ExtractArgs, json: bool) -> Result<(), Error> {
    let bytes = std::fs::read(&args.file).map_err(|e| Error::Io {
        path: args.file.display().to_string(),
        reason: e.to_string(),
    })?;
    let decoded = charset::decode_html(&bytes, None, args.url.as_deref());
    let extraction = extract::extract_page(&decoded.text, args.url.as_deref())?;
    if let Some(why) = extraction.low_confidence {
        eprintln!("warning: low confidence: {}", why.message());
    }
    let a = extraction.article;
    let out = Extracted {
        low_confidence: extraction.low_confidence,
        text: a.text(),
        title: a.title,
        byline: a.byline,
        site: a.site_name,
        lang: a.lang,
        dir: a.dir,
        published: a.published_at,
        modified: a.modified_at,
        canonical_url: a.canonical_url,
        encoding: decoded.encoding,
        blocks: a.blocks,
    };
    if json {
        return print_json(&out);
    }
    println!("title: {}", out.title);
    for (k, v) in [
        ("byline", &out.byline),
        ("site", &out.site),
        ("lang", &out.lang),
        ("published", &out.published),
        ("modified", &out.modified),
        ("canonical", &out.canonical_url),
    ] {
        if let Some(v) = v {
            println!("{k}: {v}");
        }
    }
    println!("dir: {}", out.dir.as_str());
    println!("encoding: {}", out.encoding);
    println!();
    println!("{}", out.text);
    Ok(())
}
