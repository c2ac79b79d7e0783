//! One [`Adapter`] for every provider: it lists through the generated
//! crate's paging (`fetch_page`, the runtime's guarded paging loop) and maps
//! each vendor invoice to [`Invoice`](crate::Invoice). Each vendor supplies
//! only what is its own: how a page is asked for, its provider-only options
//! (e.g. [`Kitchen::state`]), the mapping, and how one invoice is fetched.
//!
//! Every adapter is built from a generated client, so the generated crate's
//! auth, timeouts, retries and required headers apply, in one of these
//! ways (each adapter's docs say which it has and what it reads):
//!
//! - `new(client)`: from a client of its generated crate, e.g. one built
//!   with `Client::new_with_client` and `context(auth)` for its own retry
//!   policy or limits;
//! - `with_base_url(base_url, auth)`: another server (a sandbox, a proxy,
//!   a test server);
//! - [`Adapter::from_vars`] and [`source_from_vars`]: credentials and the
//!   vendor's settings from variables (the environment, a config file);
//! - `with_auth(auth)` and `from_env()`: the vendor's one server, for
//!   vendors that have one.
//!
//! Each adapter, and its generated crate, is there when the crate feature
//! of the provider's name is on (all are by default). Each generated
//! crate's docs list the environment variables its `auth_from_env` reads.

mod adapter;
mod shared;
mod vendor;

pub use adapter::Adapter;
pub use vendor::Vendor;

/// Each provider's adapter module, its re-exports, and the functions that
/// take a provider chosen at run time; one row per provider of the
/// registry.
macro_rules! adapters {
    ($(($feature:literal, $type:ident, $module:ident, $krate:ident, $title:literal),)*) => {
        $(
            #[cfg(feature = $feature)]
            mod $module;
            #[cfg(feature = $feature)]
            pub use $module::*;
        )*

        /// An adapter of `provider` built from variables
        /// ([`Adapter::from_vars`]), as a [`Source`](crate::Source): for
        /// callers that choose providers at run time (a config file, the
        /// demo). `base_url` `None` reads from the vendor's server.
        ///
        /// # Errors
        /// As [`Adapter::from_vars`]: a configuration error naming the
        /// missing variable.
        pub fn source_from_vars(
            provider: crate::Provider,
            base_url: Option<&str>,
            var: impl Fn(&str) -> Option<String>,
        ) -> crate::Result<std::sync::Arc<dyn crate::Source>> {
            Ok(match provider {
                $(
                    #[cfg(feature = $feature)]
                    crate::Provider::$type => {
                        std::sync::Arc::new($type::from_vars(base_url, var)?)
                    }
                )*
            })
        }

        /// `provider`'s list operation and its invoices' identity member
        /// (`Adapter::__LISTED`): not part of the API.
        #[doc(hidden)]
        pub fn __listed(provider: crate::Provider) -> (&'static str, &'static str) {
            match provider {
                $(
                    #[cfg(feature = $feature)]
                    crate::Provider::$type => <$type>::__LISTED,
                )*
            }
        }

        /// The contract tests' decoder of `provider`'s generated crate
        /// (its `__contract::decode_response`): not part of the API.
        #[doc(hidden)]
        pub fn __decode_response(
            provider: crate::Provider,
        ) -> fn(&str, &str, &str) -> Option<Result<(), serde_json::Error>> {
            match provider {
                $(
                    #[cfg(feature = $feature)]
                    crate::Provider::$type => $krate::__contract::decode_response,
                )*
            }
        }
    };
}

crate::registry::with_providers!(adapters);
