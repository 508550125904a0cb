//! Brotli (quality 11) copies of the site's static files, made once at start-up, so a phone on a
//! weak network downloads the WASM as small as it gets; on-the-fly compression uses a fast, weaker
//! level. A copy older than its file is made again, so a rebuild never serves a stale one.

use std::path::{Path, PathBuf};

const COMPRESSIBLE: [&str; 3] = ["wasm", "js", "css"];

/// Compresses every stale or missing `.br` under `dir`; returns how many were written.
pub fn precompress_dir(dir: &Path) -> std::io::Result<usize> {
    let mut written = 0;
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        let wanted = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| COMPRESSIBLE.contains(&e));
        if wanted && is_stale(&path, &br_path(&path)) {
            compress(&path)?;
            written += 1;
        }
    }
    Ok(written)
}

fn br_path(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".br");
    PathBuf::from(name)
}

fn is_stale(source: &Path, compressed: &Path) -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    match (modified(source), modified(compressed)) {
        (Some(src), Some(br)) => br < src,
        _ => true,
    }
}

fn compress(path: &Path) -> std::io::Result<()> {
    let input = std::fs::read(path)?;
    let mut output = Vec::with_capacity(input.len() / 3);
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut input.as_slice(), &mut output, &params)?;
    // Written beside, then renamed: a request never sees half a file.
    let target = br_path(path);
    let partial = target.with_extension("br.partial");
    std::fs::write(&partial, &output)?;
    std::fs::rename(&partial, &target)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_smaller_copies_once_and_again_after_a_change() {
        let dir = tempfile::tempdir().unwrap();
        let js = dir.path().join("app.js");
        std::fs::write(&js, "console.log('сабак');\n".repeat(500)).unwrap();
        std::fs::write(dir.path().join("logo.png"), [0u8; 100]).unwrap();
        assert_eq!(
            precompress_dir(dir.path()).unwrap(),
            1,
            "only compressible files"
        );
        let br = std::fs::read(dir.path().join("app.js.br")).unwrap();
        assert!(br.len() < 200, "compressed to {} bytes", br.len());
        let mut back = Vec::new();
        brotli::BrotliDecompress(&mut br.as_slice(), &mut back).unwrap();
        assert_eq!(back, std::fs::read(&js).unwrap());
        assert_eq!(
            precompress_dir(dir.path()).unwrap(),
            0,
            "fresh copies are kept"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
        std::fs::write(&js, "changed").unwrap();
        assert_eq!(
            precompress_dir(dir.path()).unwrap(),
            1,
            "a changed file is compressed again"
        );
    }
}
