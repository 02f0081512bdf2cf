//! Lists of addresses to import: a text file of URLs, or a browser's
//! bookmarks export (the Netscape bookmark file every browser writes).

/// One address to fetch, with the labels it brings along.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Link {
    pub url: String,
    /// Folder names it was filed under in the bookmarks (outermost first).
    pub folders: Vec<String>,
    /// Where it came from, to name it in a failure: `LINE n` or the title.
    pub origin: String,
}

/// A URL list: one per line; blank lines and `#` comments are skipped.
pub fn parse_url_list(text: &str) -> Vec<Link> {
    text.lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let line = line.trim().trim_start_matches('\u{feff}');
            (!line.is_empty() && !line.starts_with('#')).then(|| Link {
                url: line.to_string(),
                folders: Vec::new(),
                origin: format!("line {}", i + 1),
            })
        })
        .collect()
}

/// A Netscape bookmark file: `<DT><A HREF=…>` entries inside `<DL>` lists,
/// each list opened after the `<H3>` that names its folder. Read with a
/// tag scanner rather than an HTML parser: the format leaves `<DT>` and
/// `<p>` unclosed, which an HTML5 parser re-nests, losing which folder a
/// link sat in.
pub fn parse_bookmarks(text: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut folders: Vec<Option<String>> = Vec::new();
    let mut pending: Option<String> = None;
    let mut rest = text;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '/')
            .collect::<String>()
            .to_ascii_lowercase();
        let after = &rest[end..];
        match name.as_str() {
            "h3" => {
                let close = find_ci(after, "</h3").unwrap_or(after.len());
                pending = Some(inner_text(&after[..close]));
            }
            "dl" => folders.push(pending.take()),
            "/dl" => {
                folders.pop();
            }
            "a" => {
                let close = find_ci(after, "</a").unwrap_or(after.len());
                if let Some(href) = attribute(tag, "href") {
                    let title = inner_text(&after[..close]);
                    links.push(Link {
                        url: href,
                        folders: folders.iter().flatten().cloned().collect(),
                        origin: if title.is_empty() {
                            "a bookmark".into()
                        } else {
                            format!("bookmark {title:?}")
                        },
                    });
                }
            }
            _ => {}
        }
        rest = after;
    }
    links
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(needle)
}

/// The text between tags, entities decoded, blanks collapsed.
fn inner_text(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = crate::extract::decode_entities(&text);
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// An attribute's value in one start tag (quoted or not), entities decoded.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(name) {
        let at = from + i;
        from = at + name.len();
        let before = lower[..at].chars().last();
        if !before.is_some_and(char::is_whitespace) {
            continue;
        }
        let rest = tag[from..].trim_start();
        let Some(rest) = rest.strip_prefix('=') else {
            continue;
        };
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or_default(),
            _ => rest
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or_default(),
        };
        return Some(crate::extract::decode_entities(value.trim()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_list_skips_blanks_and_comments() {
        let links = parse_url_list("# summit coverage\n\nhttps://wire.example/a\n  https://wire.example/b  \n#https://x.example/\n");
        let urls: Vec<&str> = links.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["https://wire.example/a", "https://wire.example/b"]);
        assert_eq!(links[1].origin, "line 4");
    }

    #[test]
    fn bookmarks_keep_their_folders() {
        let html = r#"<!DOCTYPE NETSCAPE-Bookmark-file-1>
<META HTTP-EQUIV="Content-Type" CONTENT="text/html; charset=UTF-8">
<TITLE>Bookmarks</TITLE>
<H1>Bookmarks</H1>
<DL><p>
    <DT><H3 ADD_DATE="1732000000">Summit &amp; talks</H3>
    <DL><p>
        <DT><A HREF="https://wire.example/summit?id=1&amp;p=2" ADD_DATE="1732000100">Leaders meet</A>
        <DT><H3>Пресса</H3>
        <DL><p>
            <DT><A HREF='https://tass.example/ru/1'>ТАСС</A>
        </DL><p>
    </DL><p>
    <DT><A HREF=https://loose.example/x ADD_DATE="1">Loose</A>
</DL><p>"#;
        let links = parse_bookmarks(html);
        assert_eq!(links.len(), 3, "{links:?}");
        assert_eq!(links[0].url, "https://wire.example/summit?id=1&p=2");
        assert_eq!(links[0].folders, ["Summit & talks"]);
        assert_eq!(links[1].folders, ["Summit & talks", "Пресса"]);
        assert_eq!(links[2].url, "https://loose.example/x");
        assert!(links[2].folders.is_empty());
    }
}
