//! OPML import and export: the file every feed reader trades subscriptions
//! in. An outline with an `xmlUrl` is a feed; an outline around feeds is a
//! folder, which becomes a project or a tag — the reporter's choice.

use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use crate::error::{Error, Result};

/// One feed of an OPML file, with the folders it sits in (outermost first).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpmlFeed {
    pub url: String,
    pub title: Option<String>,
    pub folders: Vec<String>,
}

/// What OPML folders become on import.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, ts_rs::TS,
)]
#[serde(rename_all = "lowercase")]
#[ts(export)]
pub enum FolderAs {
    /// The innermost folder names the project the feed's items go into.
    #[default]
    Project,
    /// Every folder becomes a tag on the feed's items.
    Tag,
    /// Folders are ignored.
    Nothing,
}

/// Most feeds one OPML file may hold: far above a beat's few hundred, far
/// below what would take minutes to subscribe.
pub const MAX_OPML_FEEDS: usize = 10_000;

/// The feeds of an OPML document (already decoded to text).
pub fn parse(text: &str) -> Result<Vec<OpmlFeed>> {
    let text = super::parse::without_xml_declaration(text);
    let mut reader = Reader::from_str(text);
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut feeds = Vec::new();
    let mut saw_opml = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| Error::Feed(format!("the OPML file is not well-formed XML: {e}")))?;
        match event {
            Event::Start(e) if e.local_name().as_ref() == "opml" => saw_opml = true,
            Event::Start(e) if e.local_name().as_ref() == "outline" => {
                let o = outline(&e)?;
                match o.url {
                    Some(url) => {
                        push(&mut feeds, url, o.title, &folders)?;
                        // A feed outline with children: its children are not folders of it.
                        folders.push(None);
                    }
                    None => folders.push(o.title),
                }
            }
            Event::Empty(e) if e.local_name().as_ref() == "outline" => {
                let o = outline(&e)?;
                if let Some(url) = o.url {
                    push(&mut feeds, url, o.title, &folders)?;
                }
            }
            Event::End(e) if e.local_name().as_ref() == "outline" => {
                folders.pop();
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_opml {
        return Err(Error::Feed("not an OPML file (no <opml> element)".into()));
    }
    Ok(feeds)
}

fn push(
    feeds: &mut Vec<OpmlFeed>,
    url: String,
    title: Option<String>,
    folders: &[Option<String>],
) -> Result<()> {
    if feeds.len() >= MAX_OPML_FEEDS {
        return Err(Error::Feed(format!(
            "the OPML file lists more than {MAX_OPML_FEEDS} feeds"
        )));
    }
    feeds.push(OpmlFeed {
        url,
        title,
        folders: folders.iter().flatten().cloned().collect(),
    });
    Ok(())
}

struct Outline {
    url: Option<String>,
    title: Option<String>,
}

fn outline(e: &BytesStart) -> Result<Outline> {
    let mut url = None;
    let mut text = None;
    let mut title = None;
    for attr in e.attributes().with_checks(false) {
        let attr = attr.map_err(|e| Error::Feed(format!("a broken OPML attribute: {e}")))?;
        let value = attr
            .normalized_value(XmlVersion::Implicit1_0)
            .map_err(|e| Error::Feed(format!("a broken OPML attribute: {e}")))?
            .trim()
            .to_string();
        if value.is_empty() {
            continue;
        }
        match attr.key.local_name().as_ref() {
            "xmlUrl" | "xmlurl" => url = Some(value),
            "text" => text = Some(value),
            "title" => title = Some(value),
            _ => {}
        }
    }
    Ok(Outline {
        url,
        title: title.or(text),
    })
}

/// An OPML 2.0 document of `feeds`, grouped into one folder per first folder
/// name (feeds without one at the top level).
pub fn write(title: &str, feeds: &[OpmlFeed]) -> String {
    use quick_xml::escape::escape;
    let mut out =
        String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<opml version=\"2.0\">\n");
    out.push_str(&format!(
        "  <head><title>{}</title></head>\n  <body>\n",
        escape(title)
    ));
    let line = |f: &OpmlFeed, indent: &str| {
        let name = f.title.clone().unwrap_or_else(|| f.url.clone());
        format!(
            "{indent}<outline type=\"rss\" text=\"{}\" title=\"{}\" xmlUrl=\"{}\"/>\n",
            escape(name.as_str()),
            escape(name.as_str()),
            escape(f.url.as_str())
        )
    };
    let mut folders: Vec<&str> = feeds
        .iter()
        .filter_map(|f| f.folders.first().map(String::as_str))
        .collect();
    folders.sort_unstable();
    folders.dedup();
    for f in feeds.iter().filter(|f| f.folders.is_empty()) {
        out.push_str(&line(f, "    "));
    }
    for folder in folders {
        out.push_str(&format!("    <outline text=\"{}\">\n", escape(folder)));
        for f in feeds
            .iter()
            .filter(|f| f.folders.first().map(String::as_str) == Some(folder))
        {
            out.push_str(&line(f, "      "));
        }
        out.push_str("    </outline>\n");
    }
    out.push_str("  </body>\n</opml>\n");
    out
}
