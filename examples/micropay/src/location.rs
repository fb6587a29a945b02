//! Paths as CI tools want them: relative to the directory `micropay` runs in (the checkout
//! root in CI), `/`-separated, without `./`.

use std::path::{Component, Path};

/// `path` relative to the current directory when it lies below it, else `None` (outside the
/// checkout: the caller falls back to an absolute form).
pub(crate) fn relative_to_cwd(path: &Path) -> Option<String> {
    let relative = if path.is_absolute() {
        let cwd = std::env::current_dir().ok()?;
        path.strip_prefix(&cwd).ok()?.to_path_buf()
    } else {
        path.to_path_buf()
    };
    let mut parts = Vec::new();
    for component in relative.components() {
        match component {
            Component::CurDir => {}
            Component::Normal(part) => parts.push(part.to_string_lossy().into_owned()),
            // `..` leaves the checkout; a prefix or root cannot follow strip_prefix.
            Component::ParentDir | Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

/// How a document is named for CI: relative when possible, else as given.
pub(crate) fn display_for_ci(shown: &str, file: Option<&Path>) -> String {
    file.and_then(relative_to_cwd)
        .unwrap_or_else(|| shown.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_lose_dot_segments() {
        assert_eq!(
            relative_to_cwd(Path::new("./site/a b.html")).as_deref(),
            Some("site/a b.html")
        );
        assert_eq!(relative_to_cwd(Path::new("../elsewhere.html")), None);
        let cwd = std::env::current_dir().unwrap();
        assert_eq!(
            relative_to_cwd(&cwd.join("x/y.htm")).as_deref(),
            Some("x/y.htm")
        );
    }
}
