//! The preview server's request path handling: never a panic, and every
//! path it accepts stays inside the site.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(url) = std::str::from_utf8(data) else { return };
    if let Ok(path) = styrdok::serve::http::site_path(url) {
        assert!(!path.is_empty());
        assert!(!path.starts_with('/'), "{path}");
        assert!(!path.contains('\\') && !path.contains('\0'), "{path:?}");
        assert!(path.split('/').all(|s| !s.is_empty() && s != "." && s != ".."), "{path:?}");
    }
    let _ = styrdok::serve::http::content_type(url);
});
