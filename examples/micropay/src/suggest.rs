//! "Did you mean …?": the known word nearest to a mistyped one, for `explain`, the keys of a
//! link description and micropay.toml.

/// The candidate nearest to `word` (Levenshtein distance, ASCII case ignored), when it is
/// near enough to be a likely typo: 1 edit for a word of up to 4 characters, 2 for a longer
/// one. On a tie, the first candidate wins.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let word = word.to_ascii_lowercase();
    // A long word cannot be near a short candidate: bounded work on hostile input.
    if word.len() > 64 {
        return None;
    }
    let limit = 2.min(word.chars().count().saturating_sub(1) / 2).max(1);
    candidates
        .into_iter()
        .map(|c| (strsim::levenshtein(&word, &c.to_ascii_lowercase()), c))
        .filter(|&(distance, _)| distance <= limit)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, c)| c)
}

/// `; did you mean `X`?` for [`closest`], or nothing.
pub(crate) fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> String {
    closest(word, candidates).map_or_else(String::new, |c| format!("; did you mean `{c}`?"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_words_are_suggested_and_far_ones_not() {
        let keys = ["title", "textlink", "price"];
        assert_eq!(closest("titel", keys), Some("title"));
        assert_eq!(closest("PRICE", keys), Some("price"));
        assert_eq!(closest("colour", keys), None);
        assert_eq!(closest("x", keys), None);
        assert_eq!(closest(&"a".repeat(10_000), keys), None);
    }
}
