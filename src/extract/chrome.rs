//! Page chrome removed before Readability scores the page.

use dom_query::{Document, NodeRef};

/// Removes navigation, forms and elements whose class or id names them as
/// ads, share bars, newsletters or related links, before Readability scores
/// the page: cheaper and surer than hoping it scores them low.
pub(super) fn remove_page_chrome(doc: &Document) {
    doc.select("nav, aside, form, button, iframe, noscript, [role='navigation'], [role='complementary'], [aria-hidden='true']")
        .remove();
    let noisy: Vec<NodeRef> = doc
        .select("[class], [id]")
        .nodes()
        .iter()
        .filter(|n| {
            !matches!(
                n.node_name().as_deref(),
                Some("html" | "body" | "article" | "main")
            )
        })
        .filter(|n| {
            let class = n.attr("class").unwrap_or_default();
            let id = n.attr("id").unwrap_or_default();
            class
                .split_whitespace()
                .chain(id.split_whitespace())
                .any(is_noise_token)
        })
        .copied()
        .collect();
    for n in noisy {
        n.remove_from_parent();
    }
}

/// A class or id such as `ad-slot`, `share-bar`, `related_links`, `newsletter`.
pub(super) fn is_noise_token(token: &str) -> bool {
    let token = token.to_ascii_lowercase();
    token.split(['-', '_']).any(|part| {
        matches!(
            part,
            "ad" | "ads"
                | "advert"
                | "advertisement"
                | "adslot"
                | "share"
                | "sharing"
                | "sharebar"
                | "social"
                | "newsletter"
                | "related"
                | "promo"
                | "subscribe"
                | "subscription"
                | "sponsored"
                | "cookie"
                | "cookies"
                | "consent"
                | "outbrain"
                | "taboola"
                | "recirc"
                | "breadcrumb"
                | "breadcrumbs"
                | "paywall"
        )
    })
}
