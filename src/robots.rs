//! robots.txt: which paths of a site Redline may fetch on its own (the
//! scheduler's re-checks and feed polls). A clip the reporter asks for is a
//! person reading a page and does not consult it; a per-source override,
//! set on purpose, lets the schedule ignore it too.
//!
//! Rules follow RFC 9309: the group naming our product token (`redline`),
//! else the `*` group; the longest matching rule wins, `allow` on a tie;
//! `*` and a final `$` in paths. An unreachable or missing robots.txt
//! allows everything.

/// The product token Redline answers to in robots.txt.
pub const AGENT: &str = "redline";

/// The rules of one site for Redline.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Robots {
    /// (allow, pattern)
    rules: Vec<(bool, String)>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or it could not be fetched).
    pub fn allow_all() -> Self {
        Robots::default()
    }

    /// Parses a robots.txt body.
    pub fn parse(text: &str) -> Self {
        let mut ours: Vec<(bool, String)> = Vec::new();
        let mut star: Vec<(bool, String)> = Vec::new();
        let mut have_ours = false;
        // The agents of the group being read, and whether its rules started.
        let mut agents: Vec<String> = Vec::new();
        let mut in_rules = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" => {
                    if in_rules {
                        agents.clear();
                        in_rules = false;
                    }
                    agents.push(value.to_ascii_lowercase());
                }
                "allow" | "disallow" => {
                    in_rules = true;
                    // An empty Disallow allows everything: no rule.
                    if value.is_empty() {
                        if agents
                            .iter()
                            .any(|a| a != "*" && AGENT.contains(a.as_str()))
                        {
                            have_ours = true;
                        }
                        continue;
                    }
                    let rule = (key == "allow", value.to_string());
                    if agents
                        .iter()
                        .any(|a| a != "*" && AGENT.contains(a.as_str()))
                    {
                        have_ours = true;
                        ours.push(rule.clone());
                    }
                    if agents.iter().any(|a| a == "*") {
                        star.push(rule);
                    }
                }
                _ => {}
            }
        }
        Robots {
            rules: if have_ours { ours } else { star },
        }
    }

    /// Whether Redline may fetch `path` (the path and query of a URL).
    pub fn allows(&self, path: &str) -> bool {
        let mut best: Option<(usize, bool)> = None;
        for (allow, pattern) in &self.rules {
            if matches(pattern, path) {
                let len = pattern.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }

    /// [`Robots::allows`] for a whole URL.
    pub fn allows_url(&self, url: &url::Url) -> bool {
        let mut path = url.path().to_string();
        if let Some(q) = url.query() {
            path.push('?');
            path.push_str(q);
        }
        self.allows(&path)
    }
}

/// A robots.txt path pattern against a path: a prefix match, `*` for any
/// run of characters, `$` at the end for the end of the path.
fn matches(pattern: &str, path: &str) -> bool {
    let (pattern, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p, true),
        None => (pattern, false),
    };
    let parts: Vec<&str> = pattern.split('*').collect();
    let mut at = 0usize;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            if !path.starts_with(part) {
                return false;
            }
            at = part.len();
            continue;
        }
        let last = i == parts.len() - 1;
        if last && anchored {
            return path.len() >= at + part.len() && path.ends_with(part);
        }
        match path[at..].find(part) {
            Some(p) => at += p + part.len(),
            None => return false,
        }
    }
    !anchored || at == path.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_rule_wins_and_our_group_beats_star() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /\n\nUser-agent: Redline\nDisallow: /private/\nAllow: /private/press/\n",
        );
        assert!(r.allows("/world/story-1"));
        assert!(!r.allows("/private/memo"));
        assert!(r.allows("/private/press/release"));
        let star = Robots::parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /search\n");
        assert!(!star.allows("/files/report.pdf"));
        assert!(star.allows("/files/report.pdf?x=1"));
        assert!(!star.allows("/search?q=kim"));
        assert!(star.allows("/news/1"));
    }
}
