//! Who is asking: [`CurrentUser`] authenticates the bearer token, [`Allowed`] also checks the
//! user's role against `rapport_app::permissions`. Handlers name what they need in their
//! signature (`Allowed<ChangeLead>`), so no handler checks permissions by hand.
//!
//! Without a bearer token, the web app's session cookie is accepted too, so the pages can
//! play a call's audio and upload files through the API. A cookie is sent by the browser on
//! its own, so for anything but GET and HEAD the request must also carry the session's CSRF
//! token in an `X-CSRF-Token` header, which another site cannot read.

use std::marker::PhantomData;

use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts, Method};
use rapport_app::permissions::{self, Action};
use rapport_domain::User;

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The authenticated user. Cached in the request's extensions, so a handler that extracts it
/// twice (directly and through [`Allowed`]) looks the token up once.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        if parts.headers.get(header::AUTHORIZATION).is_none() {
            if let Some(cookie) =
                rapport_web::session::cookie(&parts.headers, rapport_web::session::SESSION_COOKIE)
            {
                let user = session_user(parts, state, cookie).await?;
                parts.extensions.insert(user.clone());
                return Ok(user);
            }
        }
        let token = bearer_token(parts)?;
        // The token moves into the blocking task and is dropped there; it is never logged.
        let user = state.run(move |store| rapport_app::tokens::authenticate(store, &token)).await?;
        let user = CurrentUser(user.ok_or_else(|| {
            ApiError::new(
                ErrorCode::InvalidToken,
                "the API token is not valid: it is mistyped, revoked or from another workspace",
            )
        })?);
        parts.extensions.insert(user.clone());
        Ok(user)
    }
}

async fn session_user(parts: &Parts, state: &AppState, cookie: String) -> Result<CurrentUser, ApiError> {
    let now = chrono::Utc::now();
    let session = state.run(move |store| rapport_app::sessions::authenticate(store, &cookie, now)).await?;
    let Some(session) = session else {
        return Err(ApiError::new(ErrorCode::InvalidToken, "the session has ended; log in again"));
    };
    let safe = parts.method == Method::GET || parts.method == Method::HEAD;
    if !safe {
        let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
        if !rapport_app::sessions::csrf_matches(&session.csrf_token, sent) {
            return Err(ApiError::new(
                ErrorCode::Forbidden,
                "a request with the session cookie must carry the session's CSRF token in `X-CSRF-Token`",
            ));
        }
    }
    Ok(CurrentUser(session.user))
}

fn bearer_token(parts: &Parts) -> Result<String, ApiError> {
    let Some(value) = parts.headers.get(header::AUTHORIZATION) else {
        return Err(ApiError::new(
            ErrorCode::MissingToken,
            "this endpoint needs an API token: send `Authorization: Bearer rpt_…` \
             (create one with `rapport tokens create --user EMAIL`)",
        ));
    };
    let text = value.to_str().unwrap_or("");
    match text.split_once(' ') {
        Some((scheme, token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::new(ErrorCode::InvalidToken, "the Authorization header must read `Bearer rpt_…`")),
    }
}

/// A permission named as a type, so handlers can ask for it in their signature.
pub trait Permission {
    const ACTION: Action;
}

/// The authenticated user, allowed to take `P`'s action; a user without it gets 403.
#[derive(Debug)]
pub struct Allowed<P> {
    pub user: User,
    permission: PhantomData<P>,
}

impl<P: Permission> FromRequestParts<AppState> for Allowed<P> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
        permissions::require(&user, P::ACTION)?;
        Ok(Allowed { user, permission: PhantomData })
    }
}

macro_rules! permission_types {
    ($($name:ident),* $(,)?) => {$(
        #[doc = concat!("The [`Action::", stringify!($name), "`] permission.")]
        #[derive(Debug)]
        pub struct $name;
        impl Permission for $name {
            const ACTION: Action = Action::$name;
        }
    )*};
}

permission_types!(
    ReadReports,
    ReadLeads,
    ChangeLead,
    HandOffLead,
    RecycleLead,
    ManageUsers,
    ManageReasons,
    Import,
    Export,
    ReadCalls,
    AddCalls,
    DraftDefinition,
    ApproveDefinition,
    ManageTrackers
);
