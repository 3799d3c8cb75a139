//! Who is signed in: [`Viewer`] reads the session cookie; [`Posted`] is a form POST from a
//! signed-in user whose CSRF token matched. The cookie is `HttpOnly` (scripts cannot read it),
//! `SameSite=Lax` (other sites' forms do not send it) and `Secure` when so configured.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, HeaderMap};
use axum::Form;
use chrono::Utc;
use rapport_app::permissions::{self, Action};
use rapport_app::sessions;
use rapport_domain::User;
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::{PageError, WebState};

pub const SESSION_COOKIE: &str = "rapport_session";
/// Before sign-in there is no session, so the login form's CSRF token is a cookie of its own
/// that the form must echo (double submit).
pub const LOGIN_CSRF_COOKIE: &str = "rapport_login_csrf";

/// The signed-in user and their session's CSRF token, for forms.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub user: User,
    pub csrf: String,
}

impl Viewer {
    pub fn can(&self, action: Action) -> bool {
        permissions::can(&self.user, action)
    }

    /// `Forbidden` (403) unless the viewer's role allows `action`.
    pub fn require(&self, action: Action) -> Result<(), PageError> {
        permissions::require(&self.user, action).map_err(PageError::from)
    }
}

pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The `Set-Cookie` value for a cookie the browser's scripts cannot read.
pub fn set_cookie(
    name: &str,
    value: &str,
    path: &str,
    max_age_s: i64,
    secure: bool,
    same_site: &str,
) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{name}={value}; HttpOnly; SameSite={same_site}; Path={path}; Max-Age={max_age_s}{secure}")
}

impl FromRequestParts<WebState> for Viewer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, PageError> {
        if let Some(viewer) = parts.extensions.get::<Viewer>() {
            return Ok(viewer.clone());
        }
        let next = parts.uri.path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let Some(token) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(PageError::SignIn { next });
        };
        let session = state
            .run(move |store| sessions::authenticate(store, &token, Utc::now()).map_err(PageError::from))
            .await?;
        let Some(session) = session else { return Err(PageError::SignIn { next }) };
        let viewer = Viewer { user: session.user, csrf: session.csrf_token };
        parts.extensions.insert(viewer.clone());
        Ok(viewer)
    }
}

/// The client's address, for the login rate limit. Only the socket's peer: a forwarded-for
/// header is the client's own claim, so trusting it would let anyone dodge the limit.
pub fn client_ip(parts: &Parts) -> String {
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map_or_else(|| "unknown".to_owned(), |ConnectInfo(address)| address.ip().to_string())
}

#[derive(Debug, Deserialize)]
struct WithCsrf<T> {
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    form: T,
}

/// A form POST by a signed-in user that carried their session's CSRF token; without it the
/// request is refused with 403 before the handler runs. Form fields are read as text.
#[derive(Debug)]
pub struct Posted<T> {
    pub viewer: Viewer,
    pub form: T,
}

impl<T: DeserializeOwned + Send + 'static> FromRequest<WebState> for Posted<T> {
    type Rejection = PageError;

    async fn from_request(request: Request, state: &WebState) -> Result<Self, PageError> {
        let (mut parts, body) = request.into_parts();
        let viewer = Viewer::from_request_parts(&mut parts, state).await?;
        let request = Request::from_parts(parts, body);
        let Form(posted): Form<WithCsrf<T>> =
            Form::from_request(request, state).await.map_err(|rejection| {
                PageError::BadRequest(format!("the form could not be read: {}", rejection.body_text()))
            })?;
        if !sessions::csrf_matches(&viewer.csrf, &posted.csrf) {
            return Err(PageError::Forbidden(
                "the form's security token is missing or out of date; reload the page and try again".into(),
            ));
        }
        Ok(Posted { viewer, form: posted.form })
    }
}
