//! Atom feeds (RFC 4287) of the change log, one entry per change (in words, with who made it),
//! each linking to its page (a cell's history, a proposal, ...) or, without one, to the change's
//! own page. Every text is escaped.

use osa_store::changes::Change;

/// Escapes text for XML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => {}
            c => out.push(c),
        }
    }
    out
}

/// An Atom feed of changes; `base` is the server's address (`http://127.0.0.1:8080`).
pub fn atom(title: &str, base: &str, self_path: &str, changes: &[Change]) -> String {
    let updated = changes
        .first()
        .map_or("1970-01-01T00:00:00Z", |c| c.at.as_str());
    let mut s = format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>{}</title>\n<id>{}{}</id>\n<link rel=\"self\" href=\"{}{}\"/>\n<updated>{}</updated>\n<author><name>osa</name></author>\n",
        escape(title),
        escape(base),
        escape(self_path),
        escape(base),
        escape(self_path),
        escape(updated)
    );
    for c in changes {
        let id = format!("{base}/changes/{}", c.id);
        let link = if c.link.is_empty() {
            format!("{base}/changes/{}", c.id)
        } else {
            format!("{base}{}", c.link)
        };
        let by = if c.actor.is_empty() {
            String::new()
        } else {
            format!("<author><name>{}</name></author>\n", escape(&c.actor))
        };
        s.push_str(&format!(
            "<entry>\n<id>{}</id>\n<title>{}</title>\n<updated>{}</updated>\n{by}<link href=\"{}\"/>\n<category term=\"{}\"/>\n<summary>{} (revision {}, {})</summary>\n</entry>\n",
            escape(&id),
            escape(&c.title),
            escape(&c.at),
            escape(&link),
            escape(&c.kind),
            escape(&c.title),
            c.revision_id,
            escape(&c.subject)
        ));
    }
    s.push_str("</feed>\n");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_are_escaped() {
        let c = Change {
            id: 1,
            at: "2026-11-30T17:00:00.000Z".into(),
            revision_id: 2,
            subject: "ecosystem/x".into(),
            kind: "share_moved".into(),
            title: "<script>alert(1)</script> & co".into(),
            detail: serde_json::json!({}),
            actor: "osa".into(),
            link: "/tech/6g/national_security/history".into(),
            topics: Vec::new(),
        };
        let a = atom("t", "http://h", "/f", &[c]);
        assert!(a.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; co"));
        assert!(!a.contains("<script>"));
        assert!(
            a.contains("<link href=\"http://h/tech/6g/national_security/history\"/>"),
            "{a}"
        );
        assert!(!a.contains("/api/"), "entries link to pages: {a}");
    }
}
