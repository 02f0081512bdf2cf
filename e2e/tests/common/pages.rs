//! An invented wire story as a full news page, in three revisions:
//!
//! - rev 1: as first published.
//! - rev 2: headline rewritten, "30,000" troops revised to "10,000", and the
//!   paragraph about the Yokosuka briefing moved from the end to third place.
//! - rev 3: rev 2 with the foreign minister's quoted words softened
//!   ("a grave and reckless provocation" → "a serious concern").
//!
//! Page noise (ad text, "Updated N minutes ago", related links) differs
//! between revisions, as it would on a live site.

pub const HEADLINE_1: &str = "North Korea fires missile over Japan as summit talks stall";
pub const HEADLINE_2: &str = "North Korea fires missile over Japan hours before Seoul summit";

/// The passage the reporter highlights and cites (rev 1 and rev 2 carry it).
pub const QUOTED: &str =
    "This launch is a grave and reckless provocation that endangers every family in the region";
/// The same passage as rev 3 has it.
pub const QUOTED_3: &str = "This launch is a serious concern for every family in the region";

pub fn story(rev: u8) -> String {
    let headline = if rev == 1 { HEADLINE_1 } else { HEADLINE_2 };
    let troops = if rev == 1 { "30,000" } else { "10,000" };
    let quoted = if rev == 3 { QUOTED_3 } else { QUOTED };
    let lead = "TOKYO — North Korea fired a ballistic missile over northern Japan early on \
        Thursday, prompting evacuation alerts in Hokkaido and Aomori and casting a shadow over \
        a summit of South Korean, Japanese and U.S. leaders due to open in Seoul on Friday.";
    let quote = format!(
        "“{quoted},” Foreign Minister Yoko Kamikawa told reporters in Tokyo, adding that Japan \
         had lodged a protest through its embassy in Beijing."
    );
    let figures = format!(
        "The United States keeps about {troops} troops in South Korea. Washington and Seoul \
         announced on Wednesday a $500 million package to modernise air-defence radars along \
         the coast."
    );
    let flight = "The missile flew for about 22 minutes and travelled some 4,600 km before \
        falling into the Pacific, Japan's Defence Ministry said, making it one of the longest \
        flights recorded from the North.";
    let yokosuka = "At a briefing in Yokosuka, Rear Admiral Dana Whitfield said the U.S. Seventh \
        Fleet had tracked the launch from the moment of ignition and that no ships were \
        damaged.";
    let analysts = "Analysts said the timing was meant to remind the three leaders that \
        Pyongyang would not be left out of their conversation. “They are setting the agenda \
        from outside the room,” said Artyom Lukin, a professor at Far Eastern Federal University \
        in Vladivostok.";
    let subhead = "WHAT COMES NEXT";
    let next = "Officials in Seoul said the summit would go ahead as planned, with missile \
        defence, export controls on chips and a joint statement on the Korean Peninsula on the \
        agenda.";

    let mut body: Vec<String> = vec![p(lead)];
    if rev >= 2 {
        body.push(p(yokosuka));
    }
    body.push(p(&quote));
    body.push(p(&figures));
    body.push(p(flight));
    body.push(p(analysts));
    body.push(format!("<h2>{subhead}</h2>"));
    body.push(p(next));
    if rev == 1 {
        body.push(p(yokosuka));
    }

    let minutes = 3 + u32::from(rev) * 7;
    let ad = [
        "Fly to Osaka from $199",
        "Luxury watches, 30% off",
        "Learn Korean in 30 days",
    ][usize::from(rev) % 3];
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{headline} | Pacific Ledger</title>
<meta property="og:title" content="{headline}">
<meta property="og:site_name" content="Pacific Ledger">
<meta name="author" content="Hana Mori">
<script type="application/ld+json">{{"@context":"https://schema.org","@type":"NewsArticle","headline":"{headline}","author":{{"@type":"Person","name":"Hana Mori"}},"publisher":{{"@type":"Organization","name":"Pacific Ledger"}},"datePublished":"2026-11-26T01:10:00Z"}}</script>
</head><body>
<header><nav><a href="/">Home</a> <a href="/asia">Asia</a> <a href="/world">World</a> <a href="/markets">Markets</a></nav></header>
<div class="ad">Advertisement — {ad}</div>
<main><article>
<h1>{headline}</h1>
<p class="byline">By Hana Mori</p>
<p class="updated">Updated {minutes} minutes ago</p>
<figure><img src="/img/launch.jpg" alt=""><figcaption>People watch a news broadcast of the launch at a station in Tokyo on Thursday.</figcaption></figure>
{body}
</article>
<aside class="related"><h3>Related</h3><ul><li><a href="/asia/1">Japan raises defence budget</a></li><li><a href="/asia/2">Seoul summit: what to watch</a></li></ul></aside>
<div class="share">Share on X · Share on Facebook · Copy link</div>
</main>
<footer>© 2026 Pacific Ledger · <a href="/privacy">Privacy</a></footer>
</body></html>"#,
        body = body.join("\n")
    )
}

fn p(text: &str) -> String {
    format!("<p>{text}</p>")
}

/// A page that tries every trick to run script inside the app.
pub fn hostile(rev: u8) -> String {
    let figure = if rev == 1 { "1,200" } else { "1,900" };
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Ceasefire monitors report {figure} violations in a week</title>
<script>document.title = "PWNED-head"; window.__pwned = "head-script";</script>
<meta http-equiv="refresh" content="0; url=javascript:window.__pwned='refresh'">
</head><body onload="window.__pwned='onload'">
<article>
<h1>Ceasefire monitors report {figure} violations in a week</h1>
<p>GENEVA — International monitors recorded {figure} violations of the ceasefire in the past seven days, the highest weekly count since the truce began, according to a report released on Monday. <img src="x" onerror="window.__pwned='onerror'; document.title='PWNED-img'"></p>
<p>“The numbers speak for themselves,” said Ingrid Solberg, head of the monitoring mission. <a href="javascript:window.__pwned='link';document.title='PWNED-link'">Read the full report</a> <script>window.__pwned = "body-script"; document.title = "PWNED-body";</script></p>
<p>The report was shared with the Security Council, whose members will discuss it on Thursday. <svg><script>window.__pwned='svg'</script></svg> <iframe src="javascript:parent.__pwned='iframe'"></iframe></p>
<p>&lt;script&gt;window.__pwned='escaped'&lt;/script&gt; appeared in the monitors' raw log, which the mission published in full.</p>
</article>
</body></html>"#
    )
}
