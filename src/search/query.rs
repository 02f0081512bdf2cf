//! The query language: the user's text tokenized, bounded, parsed into a
//! tree, and lowered to FTS5 expressions for one index. Every term is
//! rebuilt as a quoted FTS5 string, so nothing typed is FTS5 syntax.

use super::cjk::{bigram_query, is_cjk_letter};
use super::snippet::WordNeedle;
use super::words::{fold, words_of};
use super::{Mode, MAX_DEPTH, MAX_QUERY_CHARS, MAX_TERMS};
use crate::error::{Error, Result};

/// A parsed user query.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedQuery {
    pub(super) root: Node,
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Node {
    /// A word, or a quoted phrase (`quoted`: matched as written, never
    /// by its stems).
    Term {
        text: String,
        prefix: bool,
        quoted: bool,
    },
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
}

impl ParsedQuery {
    /// The FTS5 match text this query becomes for each kind of index (word,
    /// bigram, trigram), or the error a search would report. Lowering is the
    /// step past the parser that builds text SQLite parses, so the fuzz
    /// target and the corpus test drive it too.
    pub fn match_texts(&self) -> Vec<Result<String>> {
        [Mode::Words, Mode::Cjk, Mode::Trigram]
            .into_iter()
            .map(|mode| lower(&self.root, mode).map(|l| l.matches))
            .collect()
    }

    pub(super) fn has_cjk(&self) -> bool {
        fn walk(n: &Node) -> bool {
            match n {
                Node::Term { text, .. } => text.chars().any(is_cjk_letter),
                Node::And(v) | Node::Or(v) => v.iter().any(walk),
                Node::Not(n) => walk(n),
            }
        }
        walk(&self.root)
    }

    /// Characters in the shortest term (after folding).
    pub(super) fn shortest_term(&self) -> usize {
        fn walk(n: &Node) -> usize {
            match n {
                Node::Term { text, .. } => fold(text).chars().count(),
                Node::And(v) | Node::Or(v) => v.iter().map(walk).min().unwrap_or(0),
                Node::Not(n) => walk(n),
            }
        }
        walk(&self.root)
    }

    /// The terms to mark in a snippet cut from spaced text: each as its
    /// folded words, and whether the last one is a prefix.
    pub(super) fn word_needles(&self) -> Vec<WordNeedle> {
        fn walk(n: &Node, out: &mut Vec<WordNeedle>) {
            match n {
                Node::Term { text, prefix, .. } => {
                    let words: Vec<String> = words_of(text).map(|(_, w)| fold(w)).collect();
                    if !words.is_empty() {
                        out.push(WordNeedle {
                            words,
                            prefix: *prefix,
                        });
                    }
                }
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| walk(c, out)),
                Node::Not(_) => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }

    /// The words of the terms searched for (not excluded ones, not prefixes),
    /// as typed: what the stem tiers' snippets mark the forms of.
    pub(super) fn plain_words(&self) -> Vec<String> {
        fn walk(n: &Node, out: &mut Vec<String>) {
            match n {
                Node::Term {
                    text,
                    prefix: false,
                    ..
                } => out.extend(words_of(text).map(|(_, w)| w.to_string())),
                Node::Term { .. } | Node::Not(_) => {}
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| walk(c, out)),
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out
    }

    /// The terms to mark in a snippet built by hand (not the excluded ones).
    pub(super) fn needles(&self) -> Vec<String> {
        fn walk(n: &Node, out: &mut Vec<String>) {
            match n {
                Node::Term { text, .. } => out.push(fold(text)),
                Node::And(v) | Node::Or(v) => v.iter().for_each(|c| walk(c, out)),
                Node::Not(_) => {}
            }
        }
        let mut out = Vec::new();
        walk(&self.root, &mut out);
        out.retain(|s| !s.is_empty());
        out.sort_by_key(|s| std::cmp::Reverse(s.chars().count()));
        out.dedup();
        out
    }
}

#[derive(Clone, Debug, PartialEq)]
pub(super) enum Token {
    Word { text: String, prefix: bool },
    Phrase { text: String, prefix: bool },
    And,
    Or,
    Not,
    Open,
    Close,
}

pub(super) fn invalid(msg: impl Into<String>) -> Error {
    Error::Invalid(msg.into())
}

/// True when a term has something the tokenizers would index.
pub(super) fn searchable(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

/// Splits the query into tokens, refusing one nested too deep or with too
/// many terms before anything recurses over it (the caller bounds its length).
pub(super) fn tokenize(input: &str) -> Result<Vec<Token>> {
    let mut out = Vec::new();
    let mut chars = input.chars().peekable();
    let mut depth = 0usize;
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        match c {
            '(' => {
                chars.next();
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(invalid(format!(
                        "the search nests parentheses more than {MAX_DEPTH} deep"
                    )));
                }
                out.push(Token::Open);
            }
            ')' => {
                chars.next();
                depth = depth.saturating_sub(1);
                out.push(Token::Close);
            }
            '"' | '“' | '”' | '„' => {
                chars.next();
                let mut text = String::new();
                let mut closed = false;
                for c in chars.by_ref() {
                    if matches!(c, '"' | '“' | '”') {
                        closed = true;
                        break;
                    }
                    text.push(c);
                }
                if !closed {
                    return Err(invalid(
                        "the search has an opening quotation mark without a closing one",
                    ));
                }
                let mut prefix = false;
                while chars.peek() == Some(&'*') {
                    chars.next();
                    prefix = true;
                }
                if searchable(&text) {
                    out.push(Token::Phrase { text, prefix });
                }
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, '(' | ')' | '"' | '“' | '”' | '„') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                match word.as_str() {
                    "AND" => out.push(Token::And),
                    "OR" => out.push(Token::Or),
                    "NOT" => out.push(Token::Not),
                    _ => {
                        let (negated, rest) = match word.strip_prefix('-') {
                            Some(rest) if !rest.is_empty() => (true, rest),
                            _ => (false, word.as_str()),
                        };
                        let prefix = rest.ends_with('*');
                        let text = rest.trim_end_matches('*');
                        if searchable(text) {
                            if negated {
                                out.push(Token::Not);
                            }
                            out.push(Token::Word {
                                text: text.to_string(),
                                prefix,
                            });
                        }
                    }
                }
            }
        }
    }
    let terms = out
        .iter()
        .filter(|t| matches!(t, Token::Word { .. } | Token::Phrase { .. }))
        .count();
    if terms > MAX_TERMS {
        return Err(invalid(format!(
            "the search has more than {MAX_TERMS} words or phrases: shorten it"
        )));
    }
    Ok(out)
}

/// Parses the user's search text. Errors name what is wrong in plain words.
///
/// The text is bounded first ([`MAX_QUERY_CHARS`], [`MAX_TERMS`],
/// [`MAX_DEPTH`]), so no input can exhaust the stack or make FTS5 work for
/// seconds.
pub fn parse(input: &str) -> Result<ParsedQuery> {
    if input.chars().nth(MAX_QUERY_CHARS).is_some() {
        return Err(invalid(format!(
            "the search is longer than {MAX_QUERY_CHARS} characters: shorten it"
        )));
    }
    let tokens = tokenize(input)?;
    if tokens.is_empty() {
        return Err(invalid("type a word to search for"));
    }
    let mut p = Parser { tokens, pos: 0 };
    let root = p.or()?;
    if p.pos < p.tokens.len() {
        return Err(invalid(
            "the search has a closing parenthesis without an opening one",
        ));
    }
    Ok(ParsedQuery { root })
}

pub(super) struct Parser {
    tokens: Vec<Token>,
    pos: usize,
}

impl Parser {
    pub(super) fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.pos)
    }

    pub(super) fn or(&mut self) -> Result<Node> {
        let mut items = vec![self.and()?];
        while self.peek() == Some(&Token::Or) {
            self.pos += 1;
            if matches!(
                self.peek(),
                None | Some(Token::Close | Token::Or | Token::And)
            ) {
                return Err(invalid("OR needs a word after it"));
            }
            items.push(self.and()?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one item")
        } else {
            Node::Or(items)
        })
    }

    pub(super) fn and(&mut self) -> Result<Node> {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                None | Some(Token::Close) | Some(Token::Or) => break,
                Some(Token::And) => {
                    if items.is_empty() {
                        return Err(invalid("AND needs a word before it"));
                    }
                    self.pos += 1;
                    if matches!(
                        self.peek(),
                        None | Some(Token::Close | Token::Or | Token::And)
                    ) {
                        return Err(invalid("AND needs a word after it"));
                    }
                }
                _ => items.push(self.unary()?),
            }
        }
        match items.len() {
            0 => Err(match self.peek() {
                Some(Token::Or) => invalid("OR needs a word before it"),
                Some(Token::Close) => invalid("the parentheses are empty or unbalanced"),
                _ => invalid("type a word to search for"),
            }),
            1 => Ok(items.pop().expect("one item")),
            _ => Ok(Node::And(items)),
        }
    }

    pub(super) fn unary(&mut self) -> Result<Node> {
        match self.peek().cloned() {
            Some(Token::Not) => {
                self.pos += 1;
                if matches!(
                    self.peek(),
                    None | Some(Token::Close | Token::Or | Token::And | Token::Not)
                ) {
                    return Err(invalid("NOT needs a word after it"));
                }
                Ok(Node::Not(Box::new(self.unary()?)))
            }
            Some(Token::Open) => {
                self.pos += 1;
                if self.peek() == Some(&Token::Close) {
                    return Err(invalid("the parentheses are empty"));
                }
                let inner = self.or()?;
                if self.peek() != Some(&Token::Close) {
                    return Err(invalid(
                        "the search has an opening parenthesis without a closing one",
                    ));
                }
                self.pos += 1;
                Ok(inner)
            }
            Some(Token::Word { text, prefix }) => {
                self.pos += 1;
                Ok(Node::Term {
                    text,
                    prefix,
                    quoted: false,
                })
            }
            Some(Token::Phrase { text, prefix }) => {
                self.pos += 1;
                Ok(Node::Term {
                    text,
                    prefix,
                    quoted: true,
                })
            }
            Some(Token::Close) => Err(invalid(
                "the search has a closing parenthesis without an opening one",
            )),
            Some(Token::And) | Some(Token::Or) | None => Err(invalid("type a word to search for")),
        }
    }
}

/// A quoted FTS5 string: the tokenizer splits it, nothing in it is syntax.
pub(super) fn quote(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

/// A query rebuilt as FTS5 expressions for one index.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct Lowered {
    /// What must match: the query as typed.
    pub(super) matches: String,
    /// What is ranked: the same with each phrase's words taken as an AND
    /// (equal to `matches` when the query has no phrase). Every row matching
    /// `matches` matches this too.
    pub(super) rank: String,
}

/// One term as FTS5 strings: (exact, for ranking).
pub(super) fn lower_term(text: &str, prefix: bool, mode: Mode) -> (String, String) {
    let (tokens, star) = match mode {
        Mode::Words | Mode::Stem => (text.to_string(), prefix),
        Mode::Cjk => bigram_query(text, prefix),
        // Any substring of three characters or more; a star adds nothing.
        Mode::Trigram => {
            let exact = quote(text);
            return (exact.clone(), exact);
        }
    };
    let star = if star { " *" } else { "" };
    let exact = format!("{}{star}", quote(&tokens));
    let words: Vec<&str> = tokens.split_whitespace().collect();
    if words.len() < 2 {
        return (exact.clone(), exact);
    }
    // Whitespace separates tokens for both tokenizers, so the word matches
    // wherever the phrase does. The longest word stands in for the rarest:
    // bm25 reads the whole posting list of every word it ranks by, and the
    // short words ("the", "of", "и") have the longest lists.
    let last = words.len() - 1;
    let (i, longest) = words
        .iter()
        .enumerate()
        .max_by_key(|(_, w)| w.chars().count())
        .expect("two words or more");
    let rank = if i == last {
        format!("{}{star}", quote(longest))
    } else {
        quote(longest)
    };
    (exact, rank)
}

/// Rebuilds the query as FTS5 expressions for one index.
pub(super) fn lower(node: &Node, mode: Mode) -> Result<Lowered> {
    match node {
        Node::Term { text, prefix, .. } => {
            let (matches, rank) = lower_term(text, *prefix, mode);
            Ok(Lowered { matches, rank })
        }
        Node::Not(_) => Err(invalid(
            "a search cannot only exclude words: add a word to look for",
        )),
        Node::Or(items) => {
            let parts = items
                .iter()
                .map(|i| lower(i, mode))
                .collect::<Result<Vec<_>>>()?;
            let join = |f: fn(&Lowered) -> &String| {
                let v: Vec<&str> = parts.iter().map(|p| f(p).as_str()).collect();
                format!("({})", v.join(" OR "))
            };
            Ok(Lowered {
                matches: join(|p| &p.matches),
                rank: join(|p| &p.rank),
            })
        }
        Node::And(items) => {
            let (negatives, positives): (Vec<&Node>, Vec<&Node>) =
                items.iter().partition(|n| matches!(n, Node::Not(_)));
            if positives.is_empty() {
                return Err(invalid(
                    "a search cannot only exclude words: add a word to look for",
                ));
            }
            let must = positives
                .into_iter()
                .map(|i| lower(i, mode))
                .collect::<Result<Vec<_>>>()?;
            let join = |f: fn(&Lowered) -> &String| {
                if must.len() == 1 {
                    f(&must[0]).clone()
                } else {
                    let v: Vec<&str> = must.iter().map(|p| f(p).as_str()).collect();
                    format!("({})", v.join(" AND "))
                }
            };
            let mut out = Lowered {
                matches: join(|p| &p.matches),
                rank: join(|p| &p.rank),
            };
            for item in negatives {
                let Node::Not(inner) = item else {
                    unreachable!("partitioned")
                };
                // An excluded phrase stays a phrase on both sides: as an AND
                // it would exclude rows the query matches.
                let e = lower(inner, mode)?.matches;
                out.matches = format!("({} NOT {e})", out.matches);
                out.rank = format!("({} NOT {e})", out.rank);
            }
            Ok(out)
        }
    }
}

/// Rebuilds the query for the stem index, each unquoted word as the OR of
/// its forms (`forms_of`), a prefix as a prefix of forms. None when the
/// query has a quoted term: quoting asks for the words as written, which
/// only the word index has.
pub(super) fn lower_forms(node: &Node, forms_of: &dyn Fn(&str) -> Vec<String>) -> Option<String> {
    match node {
        Node::Term { quoted: true, .. } => None,
        Node::Term {
            text, prefix: true, ..
        } => Some(format!("{} *", quote(&fold(text)))),
        Node::Term { text, .. } => {
            let words: Vec<String> = words_of(text)
                .map(|(_, w)| {
                    let alts: Vec<String> = forms_of(w).iter().map(|f| quote(f)).collect();
                    format!("({})", alts.join(" OR "))
                })
                .collect();
            (!words.is_empty()).then(|| format!("({})", words.join(" AND ")))
        }
        Node::Not(inner) => lower_forms(inner, forms_of),
        Node::Or(items) => {
            let parts = items
                .iter()
                .map(|i| lower_forms(i, forms_of))
                .collect::<Option<Vec<_>>>()?;
            Some(format!("({})", parts.join(" OR ")))
        }
        Node::And(items) => {
            let mut must = Vec::new();
            let mut not = Vec::new();
            for i in items {
                match i {
                    Node::Not(inner) => not.push(lower_forms(inner, forms_of)?),
                    other => must.push(lower_forms(other, forms_of)?),
                }
            }
            if must.is_empty() {
                return None;
            }
            let mut out = format!("({})", must.join(" AND "));
            for n in not {
                out = format!("({out} NOT {n})");
            }
            Some(out)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fts(q: &str) -> String {
        // Word mode never touches the database.
        fn walk(n: &Node) -> String {
            match n {
                Node::Term { text, prefix, .. } => {
                    if *prefix {
                        format!("{} *", quote(text))
                    } else {
                        quote(text)
                    }
                }
                Node::And(v) => {
                    format!("AND({})", v.iter().map(walk).collect::<Vec<_>>().join(","))
                }
                Node::Or(v) => format!("OR({})", v.iter().map(walk).collect::<Vec<_>>().join(",")),
                Node::Not(n) => format!("NOT({})", walk(n)),
            }
        }
        walk(&parse(q).unwrap().root)
    }

    #[test]
    fn parses_the_query_language() {
        assert_eq!(fts("sanctions"), "\"sanctions\"");
        assert_eq!(
            fts("sanction* \"grain deal\""),
            "AND(\"sanction\" *,\"grain deal\")"
        );
        assert_eq!(fts("a OR b c"), "OR(\"a\",AND(\"b\",\"c\"))");
        assert_eq!(
            fts("kim -jong NOT un"),
            "AND(\"kim\",NOT(\"jong\"),NOT(\"un\"))"
        );
        assert_eq!(fts("(a OR b) AND c"), "AND(OR(\"a\",\"b\"),\"c\")");
    }

    #[test]
    fn rejects_broken_queries_with_clear_messages() {
        for (q, msg) in [
            (
                "\"grain deal",
                "the search has an opening quotation mark without a closing one",
            ),
            ("war AND", "AND needs a word after it"),
            ("OR war", "OR needs a word before it"),
            (
                "(war",
                "the search has an opening parenthesis without a closing one",
            ),
            (
                "war)",
                "the search has a closing parenthesis without an opening one",
            ),
            ("   ", "type a word to search for"),
            ("NOT", "NOT needs a word after it"),
        ] {
            match parse(q) {
                Err(Error::Invalid(m)) => assert_eq!(m, msg, "query {q:?}"),
                other => panic!("query {q:?} gave {other:?}"),
            }
        }
    }
}
