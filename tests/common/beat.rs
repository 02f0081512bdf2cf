//! A reporter's beat as loopback fixtures: invented agency wire items on
//! North Korea, the Sahel and Ukraine (English, French, Russian, Korean),
//! their article pages, and the same items as every kind of listing: RSS
//! 2.0, RSS 0.91, RDF (RSS 1.0), Atom, JSON Feed, a news sitemap and a
//! section front.
#![allow(dead_code)]

/// One wire item.
#[derive(Clone, Debug)]
pub struct Wire {
    /// Path of the article on the site (`/world/asia/…`).
    pub path: &'static str,
    pub title: &'static str,
    pub summary: &'static str,
    pub lang: &'static str,
    pub byline: &'static str,
    pub published: &'static str,
    pub body: &'static [&'static str],
}

pub fn wires() -> Vec<Wire> {
    vec![
        Wire {
            path: "/world/asia/2026/11/30/north-korea-missile-launch",
            title: "North Korea fires ballistic missile into Sea of Japan, Seoul says",
            summary: "The launch, the third this month, came hours after Washington and Seoul ended joint drills.",
            lang: "en",
            byline: "By Hyun-jin Park and Yuki Tanaka",
            published: "2026-11-30T01:12:00Z",
            body: &[
                "SEOUL, Nov 30 (Wire) - North Korea fired a ballistic missile off its east coast on Monday, South Korea's Joint Chiefs of Staff said, the third launch this month.",
                "The missile flew about 1,000 km before falling into the sea outside Japan's exclusive economic zone, Japan's Defence Ministry said.",
                "\u{201c}We strongly condemn this provocation, which threatens peace on the Korean peninsula,\u{201d} said Lee Sung-jun, a spokesman for the Joint Chiefs.",
                "Pyongyang's state news agency KCNA did not immediately report the launch.",
            ],
        },
        Wire {
            path: "/world/africa/2026/11/30/mali-army-kidal",
            title: "Sahel : l'armée malienne affirme avoir repris le contrôle de Kidal",
            summary: "Les forces armées maliennes disent contrôler la ville après trois jours de combats.",
            lang: "fr",
            byline: "Par Aminata Traoré, à Bamako",
            published: "2026-11-30T06:40:00Z",
            body: &[
                "BAMAKO, 30 novembre (Wire) - L'armée malienne a affirmé lundi avoir repris le contrôle de Kidal, bastion des rebelles touareg dans le nord du pays.",
                "« Nos unités ont sécurisé l'ensemble de la ville », a déclaré le colonel Souleymane Dembélé, porte-parole de l'état-major.",
                "Selon une source humanitaire, au moins 2 300 civils ont fui vers la frontière algérienne.",
            ],
        },
        Wire {
            path: "/world/europe/2026/11/30/kharkiv-drone-attack",
            title: "Украина: ночная атака беспилотников на Харьков, ранены 12 человек",
            summary: "Губернатор области сообщил о повреждениях жилых домов и подстанции.",
            lang: "ru",
            byline: "Ирина Коваленко",
            published: "2026-11-30T04:05:00Z",
            body: &[
                "ХАРЬКОВ, 30 ноября (Wire) - Российские беспилотники атаковали Харьков в ночь на понедельник, ранены 12 человек, сообщил губернатор области.",
                "«Повреждены жилые дома и электроподстанция», — написал Олег Синегубов в Telegram.",
                "По данным Воздушных сил Украины, сбиты 31 из 40 дронов.",
            ],
        },
        Wire {
            path: "/world/asia/2026/11/30/nk-missile-korean",
            title: "북한, 동해상으로 탄도미사일 발사…합참 \"추가 도발 대비\"",
            summary: "합동참모본부는 북한이 오전 7시께 평양 일대에서 탄도미사일 1발을 발사했다고 밝혔다.",
            lang: "ko",
            byline: "박현진 기자",
            published: "2026-11-30T00:30:00Z",
            body: &[
                "(서울=Wire) 북한이 30일 동해상으로 탄도미사일을 발사했다고 합동참모본부가 밝혔다.",
                "합참은 \"우리 군은 추가 발사에 대비해 감시와 경계를 강화했다\"고 말했다.",
            ],
        },
        Wire {
            path: "/world/africa/2026/11/29/niger-suspends-broadcaster",
            title: "Niger junta suspends French broadcaster for three months",
            summary: "The military government accused the station of 'spreading false information' about the Sahel conflict.",
            lang: "en",
            byline: "By Moussa Abdou in Niamey",
            published: "2026-11-29T18:20:00Z",
            body: &[
                "NIAMEY, Nov 29 (Wire) - Niger's military government suspended a French public broadcaster for three months on Sunday.",
                "\u{201c}The suspension is a grave blow to press freedom in the Sahel,\u{201d} said Sadibou Marong of Reporters Without Borders.",
            ],
        },
    ]
}

/// The article page of `w`, revision `rev` (0 is the first; later revisions
/// change a figure in the body, as a quiet correction would).
pub fn page(w: &Wire, rev: u32) -> String {
    let mut paras = String::new();
    for (i, p) in w.body.iter().enumerate() {
        let p = if rev > 0 && i == 1 {
            format!("{p} (Updated figure: revision {rev}.)")
        } else {
            (*p).to_string()
        };
        paras.push_str(&format!("<p>{}</p>\n", esc(&p)));
    }
    format!(
        "<!doctype html><html lang=\"{lang}\"><head><meta charset=\"utf-8\"><title>{title} | Wire</title>\
         <link rel=\"alternate\" type=\"application/rss+xml\" title=\"Wire: World\" href=\"/feeds/world.rss\">\
         <link rel=\"alternate\" type=\"application/atom+xml\" title=\"Wire: Asia\" href=\"https://wire.example/feeds/asia.atom\">\
         <link rel=\"stylesheet\" href=\"/s.css\"></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world/\">World</a></nav>\
         <article><h1>{title}</h1><p class=\"byline\">{byline}</p>\
         <time datetime=\"{published}\">{published}</time>\n{paras}</article>\
         <aside>Most read: <a href=\"/sport/1\">Cup final</a></aside><footer>© Wire 2026</footer></body></html>",
        lang = w.lang,
        title = esc(w.title),
        byline = esc(w.byline),
        published = w.published,
    )
}

pub fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn rfc2822(rfc3339: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .to_rfc2822()
}

/// RSS 2.0 listing `items`; `link` makes each item's link from its path.
pub fn rss2(title: &str, items: &[Wire], link: impl Fn(&Wire) -> String) -> String {
    let mut out = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>{}</title>\
         <link>https://wire.example/</link><description>Wire service</description>\n",
        esc(title)
    );
    for w in items {
        out.push_str(&format!(
            "<item><title>{}</title><link>{}</link><guid isPermaLink=\"false\">wire-{}</guid>\
             <description>{}</description><pubDate>{}</pubDate></item>\n",
            esc(w.title),
            esc(&link(w)),
            esc(w.path),
            esc(&format!("<p>{}</p>", w.summary)),
            rfc2822(w.published)
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// RSS 0.91 (no guids: the link is the id).
pub fn rss091(items: &[Wire], base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"0.91\"><channel><title>Wire Sahel</title>\
         <link>https://wire.example/</link><description>Sahel</description><language>fr</language>\n",
    );
    for w in items {
        out.push_str(&format!(
            "<item><title>{}</title><link>{base}{}</link><description>{}</description></item>\n",
            esc(w.title),
            w.path,
            esc(w.summary)
        ));
    }
    out.push_str("</channel></rss>\n");
    out
}

/// RDF Site Summary (RSS 1.0).
pub fn rdf(items: &[Wire], base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\" \
         xmlns=\"http://purl.org/rss/1.0/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\
         <channel rdf:about=\"https://wire.example/rdf\"><title>Wire RDF</title><link>https://wire.example/</link>\
         <description>Wire</description></channel>\n",
    );
    for w in items {
        out.push_str(&format!(
            "<item rdf:about=\"{base}{p}\"><title>{}</title><link>{base}{p}</link><description>{}</description>\
             <dc:date>{}</dc:date><dc:language>{}</dc:language></item>\n",
            esc(w.title),
            esc(w.summary),
            w.published,
            w.lang,
            p = w.path
        ));
    }
    out.push_str("</rdf:RDF>\n");
    out
}

/// Atom with relative links resolved by `xml:base`-less feed URL.
pub fn atom(items: &[Wire], base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>Wire Asia</title><id>urn:wire:asia</id><updated>2026-11-30T08:00:00Z</updated>\n",
    );
    for w in items {
        out.push_str(&format!(
            "<entry><title>{}</title><id>urn:wire:{}</id><link rel=\"alternate\" type=\"text/html\" href=\"{base}{}\"/>\
             <updated>{}</updated><summary type=\"html\">{}</summary></entry>\n",
            esc(w.title),
            w.path.rsplit('/').next().unwrap(),
            w.path,
            w.published,
            esc(&format!("<b>{}</b>", w.summary))
        ));
    }
    out.push_str("</feed>\n");
    out
}

/// JSON Feed 1.1.
pub fn json_feed(items: &[Wire], base: &str) -> String {
    let items: Vec<serde_json::Value> = items
        .iter()
        .map(|w| {
            serde_json::json!({
                "id": format!("wire-{}", w.path),
                "url": format!("{base}{}", w.path),
                "title": w.title,
                "summary": w.summary,
                "date_published": w.published,
                "language": w.lang,
            })
        })
        .collect();
    serde_json::json!({
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Wire Europe",
        "home_page_url": "https://wire.example/",
        "items": items,
    })
    .to_string()
}

/// A Google News sitemap.
pub fn news_sitemap(items: &[Wire], base: &str) -> String {
    let mut out = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" \
         xmlns:news=\"http://www.google.com/schemas/sitemap-news/0.9\">\n",
    );
    for w in items {
        out.push_str(&format!(
            "<url><loc>{base}{}</loc><news:news><news:publication><news:name>Wire</news:name>\
             <news:language>{}</news:language></news:publication>\
             <news:publication_date>{}</news:publication_date><news:title>{}</news:title></news:news></url>\n",
            w.path,
            w.lang,
            w.published,
            esc(w.title)
        ));
    }
    // Another site's URL in the sitemap is not followed.
    out.push_str("<url><loc>https://elsewhere.example/world/planted</loc></url>\n</urlset>\n");
    out
}

/// A section front linking `items` (relative links), plus navigation,
/// another section and another site, which are not articles of the section.
pub fn front(items: &[Wire]) -> String {
    let mut out = String::from(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>World | Wire</title></head><body>\
         <nav><a href=\"/\">Home</a> <a href=\"/world/\">World</a> <a href=\"/sport/\">Sport</a></nav><main>",
    );
    for w in items {
        out.push_str(&format!(
            "<article><h2><a href=\"{}#comments\">{}</a></h2><p>{}</p></article>",
            w.path,
            esc(w.title),
            esc(w.summary)
        ));
    }
    out.push_str(
        "</main><aside><a href=\"/sport/2026/11/30/cup-final\">Cup final</a> \
         <a href=\"https://elsewhere.example/world/ad\">Sponsored</a></aside></body></html>",
    );
    out
}
