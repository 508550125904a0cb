//! Cross-site request forgery: a state-changing request (anything but GET, HEAD and OPTIONS) must
//! come from a page of this site. SameSite=Lax cookies alone let another site post a login form
//! (logging the victim into the attacker's account) and any form to a same-site subdomain.
//! Browsers say where a request comes from in `Sec-Fetch-Site` (every current engine) and
//! `Origin` (every POST); a request with neither is not a browser's and carries no victim's
//! cookies to abuse, so it passes (API clients, tests, monitoring).

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::response::{IntoResponse, Response};

/// Whether a request that changes something comes from another site.
pub fn is_cross_site(method: &Method, headers: &HeaderMap) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return false;
    }
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        // "none": typed or bookmarked by the person; "same-origin": our own page.
        return !matches!(site, "same-origin" | "none");
    }
    match text(header::ORIGIN.as_str()) {
        // A sandboxed or privacy-stripped page sends "null": not ours.
        Some(origin) => {
            let origin_host = origin
                .split_once("://")
                .map(|(_, rest)| rest.trim_end_matches('/'));
            let host = text(header::HOST.as_str());
            origin_host.is_none() || origin_host != host
        }
        None => false,
    }
}

/// Refuses a cross-site state-changing request with a 403 before any handler runs, as the
/// app's typed error so that scripts read it like any other refusal.
pub async fn refuse_cross_site(request: Request<Body>, next: axum::middleware::Next) -> Response {
    if is_cross_site(request.method(), request.headers()) {
        tracing::warn!(path = %request.uri().path(), "cross-site request refused");
        return (
            StatusCode::FORBIDDEN,
            axum::Json(app::error::AppError::Forbidden),
        )
            .into_response();
    }
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, value.parse().unwrap());
        }
        map
    }

    #[test]
    fn posts_from_other_sites_are_cross_site() {
        let post = Method::POST;
        let host = ("host", "sabak.example");
        assert!(is_cross_site(
            &post,
            &headers(&[host, ("sec-fetch-site", "cross-site")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[host, ("sec-fetch-site", "same-site")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[host, ("origin", "https://evil.example")])
        ));
        assert!(is_cross_site(&post, &headers(&[host, ("origin", "null")])));
        // A look-alike: the origin's host must be exactly ours, port included.
        assert!(is_cross_site(
            &post,
            &headers(&[host, ("origin", "https://sabak.example.evil.io")])
        ));
        assert!(is_cross_site(
            &post,
            &headers(&[
                ("host", "sabak.example:3000"),
                ("origin", "http://sabak.example:3001")
            ])
        ));
        // Sec-Fetch-Site wins over a forged-looking but matching Origin.
        assert!(is_cross_site(
            &post,
            &headers(&[
                host,
                ("origin", "https://sabak.example"),
                ("sec-fetch-site", "cross-site")
            ])
        ));
    }

    #[test]
    fn our_own_pages_and_non_browsers_pass() {
        let post = Method::POST;
        let host = ("host", "sabak.example");
        assert!(!is_cross_site(
            &post,
            &headers(&[host, ("sec-fetch-site", "same-origin")])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[host, ("sec-fetch-site", "none")])
        ));
        assert!(!is_cross_site(
            &post,
            &headers(&[host, ("origin", "https://sabak.example")])
        ));
        assert!(
            !is_cross_site(&post, &headers(&[host])),
            "no browser headers: not a browser"
        );
        // Reading is never refused: links from other sites must open.
        assert!(!is_cross_site(
            &Method::GET,
            &headers(&[host, ("sec-fetch-site", "cross-site")])
        ));
    }
}
