//! The API's one table of error codes and the JSON body every error becomes:
//! `{"message", "code", "type"}`, plus `field` when one input is at fault and `details` when
//! there is more to show (an import's row errors).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use rapport_app::AppError;
use rapport_domain::TransitionError;
use serde::Serialize;

/// Who has to act on an error: the caller fixing the request, the caller's credentials, or us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorType {
    InvalidRequest,
    Auth,
    Internal,
}

impl ErrorType {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::Auth => "auth",
            Self::Internal => "internal",
        }
    }
}

macro_rules! error_codes {
    ($($(#[doc = $doc:literal])* $variant:ident = ($code:literal, $type:ident, $status:ident);)*) => {
        /// Every error the API answers with. Codes are stable: clients match on them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ErrorCode { $($(#[doc = $doc])* $variant,)* }

        impl ErrorCode {
            pub const ALL: &'static [ErrorCode] = &[$(Self::$variant,)*];

            pub fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)* }
            }

            pub fn error_type(self) -> ErrorType {
                match self { $(Self::$variant => ErrorType::$type,)* }
            }

            pub fn status(self) -> StatusCode {
                match self { $(Self::$variant => StatusCode::$status,)* }
            }

            /// What the code means, for the OpenAPI document.
            pub fn description(self) -> &'static str {
                match self { $(Self::$variant => concat!($($doc),*).trim_ascii(),)* }
            }
        }
    };
}

error_codes! {
    /// No `Authorization: Bearer` header was sent.
    MissingToken = ("missing_token", Auth, UNAUTHORIZED);
    /// The token is malformed, unknown or revoked.
    InvalidToken = ("invalid_token", Auth, UNAUTHORIZED);
    /// The user's role does not allow this action.
    Forbidden = ("forbidden", Auth, FORBIDDEN);
    /// A record named in the path does not exist.
    NotFound = ("not_found", InvalidRequest, NOT_FOUND);
    /// No endpoint has this path.
    RouteNotFound = ("route_not_found", InvalidRequest, NOT_FOUND);
    /// The endpoint exists but not with this HTTP method.
    MethodNotAllowed = ("method_not_allowed", InvalidRequest, METHOD_NOT_ALLOWED);
    /// The body is not JSON, or not JSON of the expected shape.
    InvalidJson = ("invalid_json", InvalidRequest, BAD_REQUEST);
    /// A JSON body was sent without `Content-Type: application/json`.
    UnsupportedMediaType = ("unsupported_media_type", InvalidRequest, UNSUPPORTED_MEDIA_TYPE);
    /// The query string has an unknown parameter or a value of the wrong type.
    InvalidQuery = ("invalid_query", InvalidRequest, BAD_REQUEST);
    /// A path segment could not be read.
    InvalidPath = ("invalid_path", InvalidRequest, BAD_REQUEST);
    /// A value is well-formed but not acceptable; `field` names it.
    InvalidValue = ("invalid_value", InvalidRequest, UNPROCESSABLE_ENTITY);
    /// The lifecycle does not allow this stage change (send `"force": true` to record it anyway).
    TransitionNotAllowed = ("transition_not_allowed", InvalidRequest, CONFLICT);
    /// A rejection needs a reason code; the message lists them.
    ReasonRequired = ("reason_required", InvalidRequest, UNPROCESSABLE_ENTITY);
    /// The reason code is not configured; the message lists the ones that are.
    UnknownReason = ("unknown_reason", InvalidRequest, UNPROCESSABLE_ENTITY);
    /// The uploaded file cannot be imported at all (not CSV, not UTF-8, a required column missing).
    InvalidCsv = ("invalid_csv", InvalidRequest, UNPROCESSABLE_ENTITY);
    /// A strict import found bad rows and wrote nothing; `details` is the import summary.
    ImportRolledBack = ("import_rolled_back", InvalidRequest, UNPROCESSABLE_ENTITY);
    /// The request body is larger than this endpoint accepts.
    PayloadTooLarge = ("payload_too_large", InvalidRequest, PAYLOAD_TOO_LARGE);
    /// The requested byte range starts at or after the end of the file.
    RangeNotSatisfiable = ("range_not_satisfiable", InvalidRequest, RANGE_NOT_SATISFIABLE);
    /// This server has no media store configured, so it can neither take nor play recordings.
    MediaUnavailable = ("media_unavailable", Internal, SERVICE_UNAVAILABLE);
    /// Something failed on the server; its log has the details.
    Internal = ("internal", Internal, INTERNAL_SERVER_ERROR);
}

/// An error on its way to becoming a response.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiError {
    pub message: String,
    #[serde(serialize_with = "code_text")]
    pub code: ErrorCode,
    #[serde(rename = "type")]
    pub error_type: ErrorType,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<serde_json::Value>,
}

fn code_text<S: serde::Serializer>(code: &ErrorCode, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(code.code())
}

/// What internal errors say to clients; the details go to the server log only.
pub const INTERNAL_MESSAGE: &str = "something went wrong on the server; its log has the details";

impl ApiError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self { message: message.into(), code, error_type: code.error_type(), field: None, details: None }
    }

    pub fn invalid(field: impl Into<String>, message: impl std::fmt::Display) -> Self {
        let field = field.into();
        Self {
            field: Some(field.clone()),
            ..Self::new(ErrorCode::InvalidValue, format!("{field}: {message}"))
        }
    }

    /// Logs `detail` and hides it from the client, who only learns that it was our fault.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        tracing::error!(error = %detail, "internal error while answering a request");
        Self::new(ErrorCode::Internal, INTERNAL_MESSAGE)
    }

    pub fn with_details(mut self, details: serde_json::Value) -> Self {
        self.details = Some(details);
        self
    }
}

impl From<AppError> for ApiError {
    fn from(error: AppError) -> Self {
        let message = error.to_string();
        match error {
            AppError::NotFound { .. } => Self::new(ErrorCode::NotFound, message),
            AppError::Invalid { field, message } => Self::invalid(field, message),
            AppError::Forbidden(message) => Self::new(ErrorCode::Forbidden, message),
            AppError::Transition(TransitionError::NotAllowed { .. }) => {
                Self::new(ErrorCode::TransitionNotAllowed, message)
            }
            AppError::Transition(TransitionError::ReasonRequired { .. }) => {
                Self { field: Some("reason".into()), ..Self::new(ErrorCode::ReasonRequired, message) }
            }
            AppError::Transition(TransitionError::UnknownReason { .. }) => {
                Self { field: Some("reason".into()), ..Self::new(ErrorCode::UnknownReason, message) }
            }
            AppError::Store(error) => Self::internal(error),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.code.status();
        let mut response = (status, axum::Json(&self)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            // RFC 6750: tell the client which scheme to use.
            response.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_snake_case_and_errors_are_4xx_or_5xx() {
        let mut seen = HashSet::new();
        for code in ErrorCode::ALL {
            assert!(seen.insert(code.code()), "duplicate code {}", code.code());
            assert!(code.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'), "{}", code.code());
            let server_side = code.status().is_server_error();
            assert_eq!(server_side, code.error_type() == ErrorType::Internal, "{}", code.code());
            assert!(code.status().is_client_error() || server_side, "{}", code.code());
            assert!(!code.description().is_empty(), "{}", code.code());
        }
    }

    #[test]
    fn bodies_have_message_code_type_and_the_field_when_known() {
        let error: ApiError = AppError::invalid("owner", "no user `x@y.co`").into();
        let body = serde_json::to_value(&error).unwrap();
        assert_eq!(
            body,
            serde_json::json!({"message": "owner: no user `x@y.co`", "code": "invalid_value",
                "type": "invalid_request", "field": "owner"})
        );
    }

    #[test]
    fn internal_errors_hide_their_details() {
        let error: ApiError =
            AppError::Store(rapport_store::StoreError::Database("disk /var/x full".into())).into();
        assert_eq!((error.code, error.message.as_str()), (ErrorCode::Internal, INTERNAL_MESSAGE));
    }
}
