//! The benchmark corpus, generated: the same bytes on every machine and every run, so that
//! anyone can rerun the numbers without downloading pages. Used by the benches in-process and
//! written to files by `write_corpus.rs` (for `micropay check` and memory runs).
//!
//! Four kinds of page:
//! - news pages of today (UTF-8, 100-250 KB): navigation, scripts, styles, stories with
//!   figures, ads, a footer; with or without per-fee-links, and one with an ordinary video
//!   `object` that is no per-fee-link (the pre-check cannot skip it);
//! - 1999 pages in ISO-8859-1: upper-case tags, tables, `FONT`, unquoted attributes, an
//!   `APPLET` or two;
//! - one archive page of 10 MB holding 10,000 per-fee-links.

#![allow(dead_code)] // each bench uses part of it

mod words;

use std::fmt::Write;

use words::{LATIN1_WORDS, NAMES, WORDS};

/// One page of the corpus.
pub struct Page {
    /// A short name, also the file stem when written out.
    pub name: &'static str,
    /// The bytes as served.
    pub bytes: Vec<u8>,
    /// The charset the page declares in its `meta` (a WHATWG label).
    pub charset: &'static str,
    /// How many per-fee-links the page holds.
    pub links: usize,
}

impl Page {
    fn utf8(name: &'static str, text: String, links: usize) -> Self {
        Page {
            name,
            bytes: text.into_bytes(),
            charset: "utf-8",
            links,
        }
    }
}

/// A page's name and how to make it.
type Recipe = (&'static str, fn() -> Page);

/// The pages the timing benchmarks run on, by name, smallest first; the 10 MB page comes last.
const PAGES: &[Recipe] = &[
    ("news-100k-plain", || {
        Page::utf8("news-100k-plain", news(1, 100_000, 0, false), 0)
    }),
    ("news-100k-links", || {
        Page::utf8("news-100k-links", news(2, 100_000, 6, false), 6)
    }),
    ("news-250k-plain", || {
        Page::utf8("news-250k-plain", news(3, 250_000, 0, false), 0)
    }),
    ("news-250k-links", || {
        Page::utf8("news-250k-links", news(4, 250_000, 15, false), 15)
    }),
    ("news-150k-video", || {
        Page::utf8("news-150k-video", news(5, 150_000, 0, true), 0)
    }),
    ("latin1-1999-plain", || Page {
        name: "latin1-1999-plain",
        bytes: latin1(&page_1999(6, 125_000, 0)),
        charset: "iso-8859-1",
        links: 0,
    }),
    ("latin1-1999-links", || Page {
        name: "latin1-1999-links",
        bytes: latin1(&page_1999(7, 125_000, 8)),
        charset: "iso-8859-1",
        links: 8,
    }),
    ("archive-10m-10000links", big),
];

/// Every page of the corpus.
pub fn pages() -> Vec<Page> {
    PAGES.iter().map(|(_, make)| make()).collect()
}

/// The names of the pages, in the order of [`pages`].
pub fn names() -> impl Iterator<Item = &'static str> {
    PAGES.iter().map(|(name, _)| *name)
}

/// One page, generated alone.
pub fn page(name: &str) -> Option<Page> {
    PAGES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, make)| make())
}

/// The 10 MB archive page with 10,000 per-fee-links.
pub fn big() -> Page {
    Page::utf8("archive-10m-10000links", archive(8, 10_000), 10_000)
}

/// The URL every page is extracted as (relative URLs resolve against it).
pub const DOCUMENT_URL: &str = "https://news.example/2024/05/today.html";

/// A small deterministic generator (xorshift64*): no dependency, same output everywhere.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1)
    }

    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).expect("below n")
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }

    fn words(&mut self, from: &[&str], n: usize) -> String {
        let mut out = String::new();
        for i in 0..n {
            if i > 0 {
                out.push(' ');
            }
            out.push_str(self.pick(from));
        }
        out
    }

    /// A sentence: capitalised, ends with a full stop.
    fn sentence(&mut self, from: &[&str]) -> String {
        let n = 8 + self.below(14);
        let mut s = self.words(from, n);
        if let Some(first) = s.get(..1) {
            let upper = first.to_uppercase();
            s.replace_range(..1, &upper);
        }
        s.push('.');
        s
    }
}

// ---- today's news pages -------------------------------------------------------------------

const STYLE: &str = "body{margin:0;font:16px/1.5 Georgia,serif;color:#222}\
.nav a{padding:0 .5em;text-decoration:none}.story h2{font-size:1.6em}\
.byline{color:#666;font-size:.85em}figure{margin:1em 0}.ad{min-height:250px;background:#f4f4f4}\
.paywall object{display:block;border:1px solid #ccc;padding:.5em}footer{font-size:.8em}";

const SCRIPT: &str = "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments)}\
gtag('js',new Date());var slots=document.querySelectorAll('.ad');for(var i=0;i<slots.length;i++){\
if(slots[i].offsetWidth<300&&i>0){slots[i].innerHTML='<div class=\"ad-fallback\">Advertisement</div>';}}\
document.addEventListener('DOMContentLoaded',function(){var t=document.querySelector('time');\
if(t&&t.dateTime<'2024'){t.className+=' old';}});";

/// A news page of about `size` bytes with `links` per-fee-links (spread over the stories) and,
/// if `video`, an embedded player `object` with ordinary params in the first story.
pub fn news(seed: u64, size: usize, links: usize, video: bool) -> String {
    let mut r = Rng::new(seed);
    let mut out = String::with_capacity(size + 16_384);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    let _ = writeln!(
        out,
        "<title>{} – The Daily Example</title>",
        r.sentence(WORDS)
    );
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    for i in 0..12 {
        let _ = writeln!(
            out,
            "<meta property=\"og:tag{i}\" content=\"{}\">",
            r.words(WORDS, 4)
        );
    }
    out.push_str("<link rel=\"stylesheet\" href=\"/static/site.css?v=20240512\">\n");
    let _ = writeln!(out, "<style>{STYLE}</style>");
    let _ = writeln!(out, "<script>{SCRIPT}</script>");
    out.push_str("</head>\n<body class=\"home\">\n<header>\n<nav class=\"nav\"><ul>\n");
    for _ in 0..40 {
        let section = r.pick(WORDS);
        let _ = writeln!(
            out,
            "  <li><a href=\"/section/{section}/\">{}</a></li>",
            capitalise(section)
        );
    }
    out.push_str("</ul></nav>\n</header>\n<main>\n");

    // Per-fee-links go into evenly spaced stories, judged by the running size.
    let mut placed = 0;
    let mut story = 0;
    while out.len() < size.saturating_sub(2_000) {
        story += 1;
        let _ = writeln!(
            out,
            "<article class=\"story\" id=\"s{story}\">\n<h2><a href=\"/2024/05/{story}-{}.html\">{}</a></h2>",
            r.pick(WORDS),
            r.sentence(WORDS)
        );
        let _ = writeln!(
            out,
            "<p class=\"byline\">By {} {} &middot; <time datetime=\"2024-05-{:02}T{:02}:{:02}\">May {}</time></p>",
            r.pick(NAMES),
            r.pick(NAMES),
            1 + r.below(28),
            r.below(24),
            r.below(60),
            1 + r.below(28)
        );
        if story == 1 && video {
            video_object(&mut out, &mut r);
        }
        if r.below(3) == 0 {
            let _ = writeln!(
                out,
                "<figure><img src=\"/img/2024/{story}.jpg\" alt=\"{}\" width=\"640\" height=\"360\" loading=\"lazy\">\n<figcaption>{}</figcaption></figure>",
                r.words(WORDS, 5),
                r.sentence(WORDS)
            );
        }
        for _ in 0..(3 + r.below(5)) {
            paragraph(&mut out, &mut r);
        }
        let due = if links == 0 {
            0
        } else {
            (out.len() * links).div_ceil(size).min(links)
        };
        if placed < due {
            placed += 1;
            news_link(&mut out, &mut r, placed);
        }
        out.push_str("</article>\n");
        if story % 4 == 0 {
            let _ = writeln!(
                out,
                "<!-- ad slot {story} -->\n<div class=\"ad\" data-slot=\"{story}\"><iframe src=\"https://ads.example/slot?id={story}&amp;size=300x250\" width=\"300\" height=\"250\" title=\"Advertisement\"></iframe></div>"
            );
        }
    }
    while placed < links {
        placed += 1;
        news_link(&mut out, &mut r, placed);
    }
    out.push_str("</main>\n<aside><h3>Most read</h3><ol>\n");
    for i in 0..10 {
        let _ = writeln!(
            out,
            "<li><a href=\"/2024/05/most-{i}.html\">{}</a></li>",
            r.sentence(WORDS)
        );
    }
    out.push_str("</ol></aside>\n<footer><p>&copy; 2024 The Daily Example. ");
    out.push_str("<a href=\"/about\">About</a> | <a href=\"/privacy\">Privacy</a></p></footer>\n");
    out.push_str("<script src=\"/static/app.js\" defer></script>\n</body>\n</html>\n");
    out
}

fn capitalise(word: &str) -> String {
    let mut c = word.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn paragraph(out: &mut String, r: &mut Rng) {
    out.push_str("<p>");
    for i in 0..(2 + r.below(4)) {
        if i > 0 {
            out.push(' ');
        }
        match r.below(7) {
            0 => {
                let _ = write!(
                    out,
                    "<a href=\"/topic/{}\">{}</a> {}",
                    r.pick(WORDS),
                    r.words(WORDS, 2),
                    r.sentence(WORDS)
                );
            }
            1 => {
                let _ = write!(out, "<em>{}</em>", r.sentence(WORDS));
            }
            2 => {
                let _ = write!(
                    out,
                    "“{}” said {} &amp; {}.",
                    r.sentence(WORDS),
                    r.pick(NAMES),
                    r.pick(NAMES)
                );
            }
            _ => out.push_str(&r.sentence(WORDS)),
        }
    }
    out.push_str("</p>\n");
}

fn news_link(out: &mut String, r: &mut Rng, n: usize) {
    let cents = 1 + r.below(49);
    let title = r.sentence(WORDS);
    let _ = writeln!(
        out,
        "<div class=\"paywall\">\n<object type=\"application/x-micropayment\" width=\"300\" height=\"40\">\n  \
<param name=\"price\" value=\"0.{cents:02}USD\">\n  \
<param name=\"textlink\" value=\"Read the full story (0.{cents:02} USD)\">\n  \
<param name=\"requesturl\" value=\"/premium/2024/05/story-{n}.html\">\n  \
<param name=\"paymentsystem\" value=\"https://ps.example/\">\n  \
<param name=\"title\" value=\"{title}\">\n  \
<param name=\"duration\" value=\"86400\">\n  \
<a href=\"/premium/2024/05/story-{n}.html\">Read the full story</a>\n</object>\n</div>"
    );
}

fn video_object(out: &mut String, r: &mut Rng) {
    let _ = writeln!(
        out,
        "<object data=\"/media/player.swf\" type=\"application/x-shockwave-flash\" width=\"640\" height=\"360\">\n  \
<param name=\"movie\" value=\"/media/player.swf\">\n  <param name=\"flashvars\" value=\"clip=/media/{}.flv&amp;autoplay=0\">\n  \
<param name=\"allowfullscreen\" value=\"true\">\n  <p>{}</p>\n</object>",
        r.pick(WORDS),
        r.sentence(WORDS)
    );
}

// ---- 1999 pages in ISO-8859-1 ------------------------------------------------------------

/// A 1999 publisher page (text only; [`latin1`] gives its bytes) with `links` carriers,
/// alternating `OBJECT` and `APPLET`.
pub fn page_1999(seed: u64, size: usize, links: usize) -> String {
    let mut r = Rng::new(seed);
    let mut out = String::with_capacity(size + 8_192);
    out.push_str(
        "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.0 Transitional//EN\">\n<HTML>\n<HEAD>\n\
<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=iso-8859-1\">\n",
    );
    let _ = writeln!(out, "<TITLE>{}</TITLE>\n</HEAD>", r.sentence(LATIN1_WORDS));
    out.push_str(
        "<BODY BGCOLOR=\"#FFFFFF\" TEXT=\"#000000\" LINK=\"#0000CC\" VLINK=\"#660099\">\n",
    );
    out.push_str(
        "<CENTER><IMG SRC=\"/img/kopf.gif\" WIDTH=468 HEIGHT=60 ALT=\"Die Zeitung\"></CENTER>\n",
    );
    out.push_str("<TABLE WIDTH=\"100%\" BORDER=0 CELLPADDING=4 CELLSPACING=0>\n<TR>\n<TD WIDTH=150 VALIGN=TOP BGCOLOR=\"#EEEEEE\">\n");
    for _ in 0..25 {
        let w = r.pick(LATIN1_WORDS);
        let _ = writeln!(
            out,
            "<FONT FACE=\"Arial,Helvetica\" SIZE=2><A HREF=\"/rubrik/{}.html\">{w}</A></FONT><BR>",
            ascii_slug(w)
        );
    }
    out.push_str("</TD>\n<TD VALIGN=TOP>\n");
    let mut placed = 0;
    let mut item = 0;
    while out.len() < size.saturating_sub(3_000) {
        item += 1;
        let _ = writeln!(
            out,
            "<P><FONT FACE=\"Arial,Helvetica\" SIZE=\"+1\" COLOR=\"#990000\"><B>{}</B></FONT><BR>",
            r.sentence(LATIN1_WORDS)
        );
        for _ in 0..(3 + r.below(4)) {
            let _ = writeln!(
                out,
                "<FONT SIZE=2>{} {} &nbsp;{}</FONT><BR>",
                r.sentence(LATIN1_WORDS),
                r.sentence(LATIN1_WORDS),
                r.sentence(LATIN1_WORDS)
            );
        }
        let due = if links == 0 {
            0
        } else {
            (out.len() * links).div_ceil(size).min(links)
        };
        if placed < due {
            placed += 1;
            link_1999(&mut out, &mut r, placed);
        }
        if item % 5 == 0 {
            out.push_str("<HR SIZE=1 NOSHADE>\n");
        }
    }
    while placed < links {
        placed += 1;
        link_1999(&mut out, &mut r, placed);
    }
    out.push_str("</TD>\n</TR>\n</TABLE>\n<HR>\n<FONT SIZE=1>&copy; 1999 Die Zeitung. ");
    out.push_str(
        "<A HREF=\"mailto:webmaster@news.example\">Webmaster</A></FONT>\n</BODY>\n</HTML>\n",
    );
    out
}

fn link_1999(out: &mut String, r: &mut Rng, n: usize) {
    let text = r.sentence(LATIN1_WORDS);
    if n % 2 == 1 {
        let _ = writeln!(
            out,
            "<OBJECT CLASSID=\"java:PerFeeLink.class\" WIDTH=200 HEIGHT=24>\n\
<PARAM NAME=price VALUE=\"{}DEM\">\n<PARAM NAME=textlink VALUE=\"{text}\">\n\
<PARAM NAME=requesturl VALUE=\"archiv/artikel{n}.html\">\n\
<PARAM NAME=paymentsystem VALUE=\"http://www.millicent.example/\">\n\
<A HREF=\"archiv/artikel{n}.html\">{text}</A>\n</OBJECT><BR>",
            1 + r.below(5)
        );
    } else {
        let _ = writeln!(
            out,
            "<APPLET CODE=\"PerFeeLink.class\" CODEBASE=\"/classes/\" WIDTH=200 HEIGHT=24>\n\
<PARAM NAME=\"Price\" VALUE=\"0.{:02}EUR\">\n<PARAM NAME=\"TextLink\" VALUE=\"{text}\">\n\
<PARAM NAME=\"RequestURL\" VALUE=\"archiv/artikel{n}.html\">\n\
<PARAM NAME=\"PaymentSystem\" VALUE=\"http://www.millicent.example/\">\n\
<A HREF=\"archiv/artikel{n}.html\">{text}</A>\n</APPLET><BR>",
            10 + r.below(89)
        );
    }
}

fn ascii_slug(word: &str) -> String {
    word.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

/// ISO-8859-1 bytes of `text` (every character of the 1999 pages is below U+0100).
pub fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).expect("a Latin-1 character"))
        .collect()
}

// ---- the 10 MB archive ----------------------------------------------------------------------

/// An archive page listing `links` paid articles, each with a summary of about 800 bytes and a
/// per-fee-link: about 1 KB per entry.
pub fn archive(seed: u64, links: usize) -> String {
    let mut r = Rng::new(seed);
    let mut out = String::with_capacity(links * 1_100 + 4_096);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<title>Archive – The Daily Example</title>\n<base href=\"https://news.example/archive/\">\n</head>\n<body>\n<h1>Archive</h1>\n<ol class=\"archive\">\n");
    for n in 1..=links {
        let _ = writeln!(
            out,
            "<li id=\"a{n}\"><h3>{}</h3>\n<p class=\"dateline\">Published 2024-{:02}-{:02}, {} words</p>\n<p>{} {} {} {} {}</p>",
            r.sentence(WORDS),
            1 + r.below(12),
            1 + r.below(28),
            400 + r.below(2000),
            r.sentence(WORDS),
            r.sentence(WORDS),
            r.sentence(WORDS),
            r.sentence(WORDS),
            r.sentence(WORDS)
        );
        let cents = 1 + r.below(99);
        let _ = writeln!(
            out,
            "<object type=\"application/x-micropayment\">\n  <param name=\"price\" value=\"0.{cents:02}EUR\">\n  \
<param name=\"textlink\" value=\"Article {n}\">\n  <param name=\"requesturl\" value=\"{n}.html\">\n  \
<param name=\"paymentsystem\" value=\"https://ps.example/\">\n  <param name=\"title\" value=\"Article {n} (0.{cents:02} EUR)\">\n  \
<a href=\"{n}.html\">Article {n}</a>\n</object></li>"
        );
    }
    out.push_str("</ol>\n</body>\n</html>\n");
    out
}
