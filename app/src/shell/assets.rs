//! The static files a page names, each with a version taken from its contents, so that a
//! browser may keep them for a year (a repeat visit fetches only the page) and a new build is
//! fetched at once.

use std::path::Path;
use std::sync::OnceLock;

/// The islands loader and router (see `islands.js`): the server writes it into the site's `pkg`
/// folder at start-up, beside the WASM, so it is served (and brotli-compressed) the same way.
pub const LOADER_JS: &str = include_str!("islands.js");
pub const LOADER_FILE: &str = "islands.js";
/// The audio recorder (see `recorder.js`), written beside the loader the same way; the loader
/// fetches it only for a page with a recorder.
pub const RECORDER_JS: &str = include_str!("recorder.js");
pub const RECORDER_FILE: &str = "recorder.js";
/// The icon sprite (built from lucide-static by `scripts/icons.py`), written beside them too.
pub const ICONS_SVG: &str = include_str!("icons.svg");
pub const ICONS_FILE: &str = "icons.svg";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub wasm: String,
    pub loader: String,
    pub recorder: String,
    pub icons: String,
}

static ASSETS: OnceLock<Assets> = OnceLock::new();

/// Writes the loader beside the built files and reads their versions, once, at start-up (`pkg`
/// is the site's `pkg` folder).
pub fn init(pkg: &Path) {
    for (name, text) in [
        (LOADER_FILE, LOADER_JS),
        (RECORDER_FILE, RECORDER_JS),
        (ICONS_FILE, ICONS_SVG),
    ] {
        let path = pkg.join(name);
        if std::fs::read_to_string(&path).ok().as_deref() != Some(text) {
            if let Err(err) = std::fs::write(&path, text) {
                tracing::warn!(%err, path = %path.display(), "cannot write a page script");
            }
        }
    }
    let _ = ASSETS.set(Assets::read(pkg));
}

pub fn assets() -> &'static Assets {
    ASSETS.get_or_init(|| Assets::read(Path::new("target/site/pkg")))
}

impl Assets {
    fn read(pkg: &Path) -> Assets {
        let file = |name: &str| {
            let version = std::fs::read(pkg.join(name))
                .map(|bytes| version_of(&bytes))
                .unwrap_or_else(|_| "0".into());
            format!("/pkg/{name}?v={version}")
        };
        Assets {
            css: file("sabak.css"),
            js: file("sabak.js"),
            wasm: file("sabak.wasm"),
            loader: format!("/pkg/{LOADER_FILE}?v={}", version_of(LOADER_JS.as_bytes())),
            recorder: format!(
                "/pkg/{RECORDER_FILE}?v={}",
                version_of(RECORDER_JS.as_bytes())
            ),
            icons: format!("/pkg/{ICONS_FILE}?v={}", version_of(ICONS_SVG.as_bytes())),
        }
    }
}

/// The first 16 hex digits of the contents' SHA-256.
pub fn version_of(bytes: &[u8]) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_changed_is_a_new_address() {
        let dir = std::env::temp_dir().join(format!("sabak-assets-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("sabak.css"), "a{}").unwrap();
        let first = Assets::read(&dir);
        std::fs::write(dir.join("sabak.css"), "b{}").unwrap();
        let second = Assets::read(&dir);
        assert_ne!(first.css, second.css);
        assert_eq!(first.js, second.js, "an unchanged file keeps its address");
        assert!(first.css.starts_with("/pkg/sabak.css?v="));
        assert!(first.loader.starts_with("/pkg/islands.js?v="));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
