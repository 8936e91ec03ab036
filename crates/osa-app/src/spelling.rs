//! "Did you mean": the known ids closest to a misspelled one (within a typo or two, or containing
//! it), for the errors that list what exists.

/// `; did you mean chip-design?` for the candidates (id, name) closest to `query`, or nothing.
pub fn did_you_mean<'a>(
    query: &str,
    candidates: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> String {
    let q = query.to_lowercase();
    let mut close: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|(id, name)| {
            let l = id.to_lowercase();
            let d = edit_distance(&l, &q).min(edit_distance(&name.to_lowercase(), &q));
            let near = q.chars().count() >= 3 && d <= 2.max(q.chars().count() / 5);
            let contains = q.len() >= 3 && (l.contains(&q) || name.to_lowercase().contains(&q));
            (near || contains).then_some((d, id))
        })
        .collect();
    close.sort();
    close.truncate(3);
    match close.as_slice() {
        [] => String::new(),
        _ => format!(
            "; did you mean {}?",
            close
                .iter()
                .map(|(_, id)| *id)
                .collect::<Vec<_>>()
                .join(" or ")
        ),
    }
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_its_id() {
        let c = [
            ("chip-design", "Chip design"),
            ("6g", "6G"),
            ("e-cny", "e-CNY"),
        ];
        assert_eq!(
            did_you_mean("chip-desing", c),
            "; did you mean chip-design?"
        );
        assert_eq!(did_you_mean("quantum", c), "");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
