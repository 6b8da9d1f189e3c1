//! Errors are collected, not returned at the first one, so that a rule author sees every mistake of a block
//! in one `cargo check`.

use proc_macro2::{Span, TokenStream};
use quote::ToTokens;

#[derive(Default)]
pub struct Errors {
    list: Vec<syn::Error>,
}

impl Errors {
    pub fn push(&mut self, e: syn::Error) {
        self.list.push(e);
    }

    /// An error at one token.
    pub fn at(&mut self, span: Span, message: impl std::fmt::Display) {
        self.list.push(syn::Error::new(span, message));
    }

    /// An error spanning some tokens (from the first to the last).
    pub fn over(&mut self, tokens: impl ToTokens, message: impl std::fmt::Display) {
        self.list.push(syn::Error::new_spanned(tokens, message));
    }

    /// All errors as `compile_error!` invocations.
    pub fn to_compile_errors(&self) -> TokenStream {
        self.list.iter().map(syn::Error::to_compile_error).collect()
    }

    /// All errors as one `syn::Error`, for unit tests.
    #[cfg(test)]
    pub fn into_result(self) -> Result<(), syn::Error> {
        let mut iter = self.list.into_iter();
        match iter.next() {
            None => Ok(()),
            Some(mut first) => {
                for e in iter {
                    first.combine(e);
                }
                Err(first)
            }
        }
    }
}
