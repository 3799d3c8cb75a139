//! Log in and out. The login form carries a CSRF token of its own (a cookie it must echo),
//! since there is no session yet; a failed login does not say whether the email exists.

use axum::extract::{FromRequestParts, Query, State};
use axum::http::{header, request::Parts, HeaderMap, StatusCode};
use axum::response::{AppendHeaders, Html, IntoResponse, Redirect, Response};
use axum::Form;
use chrono::Utc;
use maud::html;
use rapport_app::sessions::{self, LoginOutcome};
use serde::Deserialize;

use crate::layout::shell;
use crate::session::{cookie, set_cookie, Posted, LOGIN_CSRF_COOKIE, SESSION_COOKIE};
use crate::{PageError, WebState};

#[derive(Debug, Default, Deserialize)]
pub(crate) struct Next {
    next: Option<String>,
}

/// Only a local path is a safe place to return to; anything else goes to the overview.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

fn login_page(status: StatusCode, next: &str, email: &str, error: Option<&str>, secure: bool) -> Response {
    let csrf = sessions::random_hex();
    let markup = shell(
        "Log in",
        html! {
            h1 { "Log in to Rapport" }
            @if let Some(error) = error {
                p.message.error role="alert" { (error) }
            }
            form.stack method="post" action="/login" {
                input type="hidden" name="csrf" value=(csrf);
                input type="hidden" name="next" value=(next);
                label { "Email" input type="email" name="email" value=(email) autocomplete="username" required autofocus; }
                label { "Password" input type="password" name="password" autocomplete="current-password" required; }
                button type="submit" { "Log in" }
            }
        },
    );
    let cookie = set_cookie(LOGIN_CSRF_COOKIE, &csrf, "/login", 3600, secure, "Strict");
    (status, [(header::SET_COOKIE, cookie)], Html(markup.into_string())).into_response()
}

pub(crate) async fn form(State(state): State<WebState>, Query(next): Query<Next>) -> Response {
    login_page(StatusCode::OK, &safe_next(next.next.as_deref()), "", None, state.secure_cookies)
}

#[derive(Debug, Deserialize)]
pub(crate) struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

/// The client address, read before the form consumes the request.
pub(crate) struct ClientIp(String);

impl FromRequestParts<WebState> for ClientIp {
    type Rejection = PageError;
    async fn from_request_parts(parts: &mut Parts, _: &WebState) -> Result<Self, PageError> {
        Ok(ClientIp(crate::session::client_ip(parts)))
    }
}

pub(crate) async fn submit(
    State(state): State<WebState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let next = safe_next(form.next.as_deref());
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty() || !sessions::csrf_matches(&expected, &form.csrf) {
        return Err(PageError::Forbidden(
            "the login form's security token is missing or out of date; reload the page and try again".into(),
        ));
    }
    let policy = state.login;
    let email = form.email.clone();
    let outcome = state
        .run(move |store| {
            sessions::login(store, &form.email, &form.password, &ip, &policy, Utc::now())
                .map_err(PageError::from)
        })
        .await?;
    let secure = state.secure_cookies;
    Ok(match outcome {
        LoginOutcome::LoggedIn(session) => {
            let max_age = (session.expires_at - Utc::now()).num_seconds().max(0);
            let cookie = set_cookie(SESSION_COOKIE, &session.token, "/", max_age, secure, "Lax");
            let clear = set_cookie(LOGIN_CSRF_COOKIE, "", "/login", 0, secure, "Strict");
            // Two cookies: `AppendHeaders`, since a header array keeps only the last one.
            (AppendHeaders([(header::SET_COOKIE, cookie), (header::SET_COOKIE, clear)]), Redirect::to(&next))
                .into_response()
        }
        LoginOutcome::Refused => {
            login_page(StatusCode::UNAUTHORIZED, &next, &email, Some("Wrong email or password."), secure)
        }
        LoginOutcome::Limited { retry_after_minutes } => login_page(
            StatusCode::TOO_MANY_REQUESTS,
            &next,
            &email,
            Some(&format!("Too many failed logins; try again in {retry_after_minutes} minutes.")),
            secure,
        ),
    })
}

#[derive(Debug, Deserialize)]
pub(crate) struct Nothing {}

pub(crate) async fn logout(
    State(state): State<WebState>,
    headers: HeaderMap,
    _posted: Posted<Nothing>,
) -> Result<Response, PageError> {
    if let Some(token) = cookie(&headers, SESSION_COOKIE) {
        state.run(move |store| sessions::logout(store, &token).map_err(PageError::from)).await?;
    }
    let clear = set_cookie(SESSION_COOKIE, "", "/", 0, state.secure_cookies, "Lax");
    Ok(([(header::SET_COOKIE, clear)], Redirect::to("/login")).into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_returned_to() {
        assert_eq!(safe_next(Some("/calls?rep=a")), "/calls?rep=a");
        assert_eq!(safe_next(Some("//evil.example/")), "/");
        assert_eq!(safe_next(Some("https://evil.example/")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
