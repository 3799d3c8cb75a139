//! The pool: the database URL turned into client settings (with the password kept out of
//! every message), and an r2d2 pool of [`Connection`]s.

use std::time::Duration;

use postgres::{Client, NoTls};
use r2d2::ManageConnection;
use r2d2_postgres::PostgresConnectionManager;

use rapport_store::StoreError;

use crate::connection::Connection;
use crate::convert;

/// Most connections one store opens; the conformance suite races eight transitions at once.
const MAX_CONNECTIONS: u32 = 10;
/// How long a caller waits for a free connection (or for the server) before failing.
const CHECKOUT_TIMEOUT: Duration = Duration::from_secs(30);
/// Applied when the URL names no `connect_timeout`, so a dead server fails fast.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// The client settings of one store, with what it takes to describe them without secrets.
#[derive(Clone)]
pub(crate) struct Settings {
    config: postgres::Config,
    /// The URL with its password replaced, for messages.
    pub(crate) location: String,
    /// The password as written in the URL, scrubbed from any message that might quote it.
    secret: Option<String>,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings").field("location", &self.location).finish_non_exhaustive()
    }
}

impl Settings {
    /// Parses `url`; with `schema`, every connection gets `search_path` set to it (as a
    /// startup option, so it holds for pooled connections without an extra round trip).
    pub(crate) fn parse(url: &str, schema: Option<&str>) -> Result<Settings, StoreError> {
        let location = convert::redact_url(url);
        let secret = convert::url_password(url);
        let open_error = |message: String| StoreError::Open {
            location: location.clone(),
            message: convert::scrub(&message, secret.as_deref()),
        };
        let mut config: postgres::Config =
            url.parse().map_err(|e: postgres::Error| open_error(e.to_string()))?;
        if let Some(schema) = schema {
            let options = match config.get_options() {
                Some(existing) => format!("{existing} -c search_path={schema}"),
                None => format!("-c search_path={schema}"),
            };
            config.options(&options);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        if config.get_application_name().is_none() {
            config.application_name("rapport");
        }
        Ok(Settings { config, location, secret })
    }

    /// One connection outside the pool (for migrations and schema set-up).
    pub(crate) fn connect(&self) -> Result<Client, StoreError> {
        self.config.connect(NoTls).map_err(|e| self.open_error(&e.to_string()))
    }

    pub(crate) fn open_error(&self, message: &str) -> StoreError {
        StoreError::Open {
            location: self.location.clone(),
            message: convert::scrub(message, self.secret.as_deref()),
        }
    }
}

/// r2d2's manager: `r2d2_postgres` connects and checks; this adds the statement cache and
/// discards a connection that is still inside a transaction when it comes back.
#[derive(Debug)]
pub(crate) struct Manager {
    inner: PostgresConnectionManager<NoTls>,
}

impl ManageConnection for Manager {
    type Connection = Connection;
    type Error = postgres::Error;

    fn connect(&self) -> Result<Connection, postgres::Error> {
        let client = self.inner.connect()?;
        Ok(Connection::new(client))
    }

    fn is_valid(&self, connection: &mut Connection) -> Result<(), postgres::Error> {
        self.inner.is_valid(connection.client())
    }

    fn has_broken(&self, connection: &mut Connection) -> bool {
        // A transaction that could not be rolled back must not reach the next caller.
        connection.in_transaction() || self.inner.has_broken(connection.client())
    }
}

#[derive(Debug)]
pub(crate) struct Pool {
    pool: r2d2::Pool<Manager>,
    settings: Settings,
}

pub(crate) type PooledConnection = r2d2::PooledConnection<Manager>;

impl Pool {
    /// A pool that opens connections on demand (none is opened here: the caller has just
    /// proven the server reachable).
    pub(crate) fn new(settings: Settings) -> Pool {
        let manager = Manager { inner: PostgresConnectionManager::new(settings.config.clone(), NoTls) };
        let pool = r2d2::Pool::builder()
            .max_size(MAX_CONNECTIONS)
            .min_idle(Some(0))
            .connection_timeout(CHECKOUT_TIMEOUT)
            .build_unchecked(manager);
        Pool { pool, settings }
    }

    pub(crate) fn get(&self) -> Result<PooledConnection, StoreError> {
        self.pool.get().map_err(|e| {
            let message = convert::scrub(&e.to_string(), self.settings.secret.as_deref());
            StoreError::Database(format!("no connection to {}: {message}", self.settings.location))
        })
    }
}
