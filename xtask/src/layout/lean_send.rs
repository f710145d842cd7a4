//! `lean_send`: the generated `send` does no work a call does not need.
//!
//! Two things progenitor's template does on every call cost more than the request
//! path they sit in (`benches/overhead.rs` in awork-api-ext measured them):
//! - it builds a header map of its own for the operation's headers and then merges it
//!   into the request. When the one header is `api-version`, the pass puts it on the
//!   request builder directly (`.header(const { name }, value)`, the name made when
//!   compiling): the same header, two allocations and a merge less. Operations with
//!   header parameters keep the map (the template turns a bad parameter value into its
//!   own error there).
//! - `ResponseValue::from_response` copies the answer's headers before it reads the
//!   body. The pass calls `crate::decode_json` instead (awork-api's `answer.rs`), which
//!   moves them out of the answer: the same value and the same errors.
//!
//! And one thing it cannot do: a request may have to go again (awork asks for it after
//! a 429), and a sent request is gone, so a transport that retries had to copy every
//! request before its first send. The pass makes the request builder chain a closure,
//! `build_request`, builds the first request with it and hands it to the transport
//! with the request (`crate::execute_rebuildable`), so a copy is built only when one
//! is needed. The chain only borrows the builder's values, so it can run again.
//!
//! And one more thing it does on every call: the URL is `format!`ted, which starts
//! with no room (the template's string begins with the base URL's `{}`), grows once
//! and runs the formatting machinery, cold code that cost more of a call than the
//! whole request path's own work. Every argument is already a `String` (the base URL
//! and `encode_path`'s output), so the pass joins the pieces instead:
//! `[client.baseurl.as_str(), "/users/", encode_path(…).as_str()].concat()`, one
//! allocation of the exact size and the same text.
//!
//! All fail loudly: a `send` whose header map is not merged where the pass expects it,
//! an answer decoded by any other name, a URL built any other way or from anything
//! but the base URL and encoded path parameters, or a `send` without the request
//! chain or the hook call the template writes, stops the generation.

use super::LayoutReport;
use super::tokens::{module_mut, self_type_name};
use anyhow::{Result, bail};
use quote::ToTokens;
use syn::visit_mut::{self, VisitMut};

/// The variable progenitor's template gives the operation's header map.
const HEADER_MAP: &str = "header_map";

/// The closure the pass builds each request with.
const BUILD: &str = "build_request";

/// Makes every operation builder's `send` lean (see the module docs).
pub fn lean(file: &mut syn::File, report: &mut LayoutReport) -> Result<()> {
    let Some(items) = module_mut(&mut file.items, "builder") else {
        return Ok(());
    };
    for item in items.iter_mut() {
        let syn::Item::Impl(imp) = item else {
            continue;
        };
        if imp.trait_.is_some() {
            continue;
        }
        let name = self_type_name(imp);
        for member in &mut imp.items {
            match member {
                syn::ImplItem::Fn(f) if f.sig.ident == "send" => {
                    join_url(&mut f.block, &name, report)?;
                    inline_headers(&mut f.block, &name, report)?;
                    decode_in_place(&mut f.block, &name, report)?;
                    build_again_when_needed(&mut f.block, &name, report)?;
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The variable progenitor's template gives the URL.
const URL: &str = "url";

/// Builds `url` by joining its pieces instead of formatting them.
fn join_url(block: &mut syn::Block, name: &str, report: &mut LayoutReport) -> Result<()> {
    let Some(init) = block.stmts.iter_mut().find_map(url_init) else {
        bail!("lean_send: {name}::send has no `let {URL} = format!(…);`");
    };
    let syn::Expr::Macro(mac) = &*init.expr else {
        bail!("lean_send: {name}::send builds its URL without `format!`");
    };
    let parts =
        url_parts(&mac.mac).map_err(|why| anyhow::anyhow!("lean_send: {name}::send: {why}"))?;
    *init.expr = syn::parse_quote!([#(#parts),*].concat());
    report.urls_joined += 1;
    Ok(())
}

/// The initializer of `let url = …;`.
fn url_init(stmt: &mut syn::Stmt) -> Option<&mut syn::LocalInit> {
    let syn::Stmt::Local(local) = stmt else {
        return None;
    };
    match &local.pat {
        syn::Pat::Ident(p) if p.ident == URL => local.init.as_mut(),
        _ => None,
    }
}

/// The pieces of `format!("{}/a/{}", client.baseurl, encode_path(…))` as `&str`
/// expressions, in order; literal pieces left out when empty.
fn url_parts(mac: &syn::Macro) -> std::result::Result<Vec<syn::Expr>, String> {
    if !mac.path.is_ident("format") {
        return Err(format!(
            "its URL is built by `{}!`, not `format!`",
            mac.path.to_token_stream()
        ));
    }
    let args = mac
        .parse_body_with(syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated)
        .map_err(|e| format!("its URL's `format!` cannot be read: {e}"))?;
    let mut args = args.into_iter();
    let Some(syn::Expr::Lit(syn::ExprLit {
        lit: syn::Lit::Str(template),
        ..
    })) = args.next()
    else {
        return Err("its URL's `format!` does not start with a string".into());
    };
    let template = template.value();
    let pieces: Vec<&str> = template.split("{}").collect();
    if pieces.iter().any(|p| p.contains(['{', '}'])) {
        return Err(format!(
            "its URL template {template:?} has more than plain `{{}}`s"
        ));
    }
    let args: Vec<syn::Expr> = args.collect();
    if args.len() + 1 != pieces.len() {
        return Err(format!(
            "its URL template {template:?} has {} `{{}}`s for {} arguments",
            pieces.len() - 1,
            args.len()
        ));
    }
    let mut parts = Vec::with_capacity(pieces.len() + args.len());
    for (piece, arg) in pieces.iter().zip(args.iter().map(Some).chain([None])) {
        if !piece.is_empty() {
            parts.push(syn::parse_quote!(#piece));
        }
        if let Some(arg) = arg {
            if !is_string_argument(arg) {
                return Err(format!(
                    "its URL formats `{}`, neither the base URL nor an encoded path parameter",
                    arg.to_token_stream()
                ));
            }
            parts.push(syn::parse_quote!(#arg.as_str()));
        }
    }
    Ok(parts)
}

/// `client.baseurl` or `encode_path(…)`: the `String`s the template formats into a
/// URL, whose `Display` is their text.
fn is_string_argument(arg: &syn::Expr) -> bool {
    match arg {
        syn::Expr::Field(field) => {
            matches!(&field.member, syn::Member::Named(m) if m == "baseurl")
                && matches!(&*field.base, syn::Expr::Path(p) if p.path.is_ident("client"))
        }
        syn::Expr::Call(call) => {
            matches!(&*call.func, syn::Expr::Path(p) if p.path.is_ident("encode_path"))
        }
        _ => false,
    }
}

/// Puts a lone `api-version` header on the request builder instead of a map.
fn inline_headers(block: &mut syn::Block, name: &str, report: &mut LayoutReport) -> Result<()> {
    let Some(at) = block.stmts.iter().position(declares_header_map) else {
        return Ok(());
    };
    let uses = block
        .stmts
        .iter_mut()
        .map(|s| names_ident(s, HEADER_MAP))
        .filter(|named| *named)
        .count();
    let header = block.stmts.get(at + 1).and_then(appended_header);
    // The declaration, one append, and the request chain that merges the map.
    let (Some((name_expr, value_expr)), 3) = (header, uses) else {
        report.sends_keeping_header_map += 1;
        return Ok(());
    };
    let mut merge = MergeToHeader {
        name: name_expr,
        value: value_expr,
        replaced: 0,
    };
    for stmt in &mut block.stmts[at + 2..] {
        merge.visit_stmt_mut(stmt);
    }
    if merge.replaced != 1 {
        bail!(
            "lean_send: {name}::send merges its header map {} times, expected once",
            merge.replaced
        );
    }
    block.stmts.drain(at..at + 2);
    report.sends_with_inline_header += 1;
    Ok(())
}

/// `let mut header_map = …::HeaderMap::with_capacity(…);`
fn declares_header_map(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Local(local) = stmt else {
        return false;
    };
    matches!(&local.pat, syn::Pat::Ident(p) if p.ident == HEADER_MAP)
}

/// Whether `stmt` names `ident` anywhere outside a macro (the template writes the
/// names this pass looks for outside macros). A visitor, not the statement's tokens
/// as text: this runs for every statement of every `send`.
fn names_ident(stmt: &mut syn::Stmt, ident: &str) -> bool {
    let mut finder = Finder {
        ident,
        found: false,
    };
    finder.visit_stmt_mut(stmt);
    finder.found
}

struct Finder<'a> {
    ident: &'a str,
    found: bool,
}

impl VisitMut for Finder<'_> {
    fn visit_ident_mut(&mut self, ident: &mut proc_macro2::Ident) {
        self.found |= ident == self.ident;
    }
}

/// The name and value of `header_map.append(name, value);` when both are made from
/// constants (`from_static`), as the `api-version` header is.
fn appended_header(stmt: &syn::Stmt) -> Option<(syn::Expr, syn::Expr)> {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = stmt else {
        return None;
    };
    let receiver_is_map =
        matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident(HEADER_MAP));
    if !receiver_is_map || call.method != "append" || call.args.len() != 2 {
        return None;
    }
    let constant = |e: &syn::Expr| e.to_token_stream().to_string().contains("from_static");
    let (name, value) = (&call.args[0], &call.args[1]);
    (constant(name) && constant(value)).then(|| (name.clone(), value.clone()))
}

/// `.headers(header_map)`: the request chain merging the operation's header map.
fn merges_header_map(call: &syn::ExprMethodCall) -> bool {
    call.method == "headers"
        && call.args.len() == 1
        && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident(HEADER_MAP))
}

/// Turns `.headers(header_map)` into `.header(name, value)`.
struct MergeToHeader {
    name: syn::Expr,
    value: syn::Expr,
    replaced: usize,
}

impl VisitMut for MergeToHeader {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        if merges_header_map(call) {
            call.method = syn::Ident::new("header", call.method.span());
            // The name is a constant: made when compiling, not checked on every call.
            let name = &self.name;
            call.args = [syn::parse_quote!(const { #name }), self.value.clone()]
                .into_iter()
                .collect();
            self.replaced += 1;
        }
    }
}

/// Points `ResponseValue::from_response` at `crate::decode_json`.
fn decode_in_place(block: &mut syn::Block, name: &str, report: &mut LayoutReport) -> Result<()> {
    let mut rename = ToDecodeJson::default();
    rename.visit_block_mut(block);
    if rename.left > 0 {
        bail!("lean_send: {name}::send decodes an answer through a path the pass does not know");
    }
    report.answers_decoded_in_place += rename.replaced;
    Ok(())
}

/// Makes the request chain the closure [`BUILD`], and hands it to the transport.
fn build_again_when_needed(
    block: &mut syn::Block,
    name: &str,
    report: &mut LayoutReport,
) -> Result<()> {
    if block.stmts.iter_mut().any(|s| names_ident(s, BUILD)) {
        bail!("lean_send: {name}::send already names `{BUILD}`");
    }
    let Some(at) = block.stmts.iter().position(builds_request) else {
        bail!("lean_send: {name}::send has no `let mut request = ….build()?;`");
    };
    let syn::Stmt::Local(local) = &block.stmts[at] else {
        unreachable!("builds_request matched a local");
    };
    let attrs = &local.attrs;
    let Some(syn::Expr::Try(built)) = local.init.as_ref().map(|init| &*init.expr) else {
        unreachable!("builds_request matched `….build()?`");
    };
    let mut chain = (*built.expr).clone();
    let mut borrow = BorrowUrl::default();
    borrow.visit_expr_mut(&mut chain);
    if borrow.replaced != 1 {
        bail!(
            "lean_send: {name}::send starts its request from `url` {} times, expected once",
            borrow.replaced
        );
    }
    let build = syn::Ident::new(BUILD, proc_macro2::Span::call_site());
    // The chain goes into a closure parsed from a placeholder rather than printed and
    // parsed again: re-parsing 700 chains cost the regeneration about 0.1 s.
    let mut closure: syn::Stmt = syn::parse_quote!(let #build = || (););
    if let syn::Stmt::Local(syn::Local {
        init: Some(init), ..
    }) = &mut closure
        && let syn::Expr::Closure(made) = &mut *init.expr
    {
        *made.body = chain;
    }
    let first: syn::Stmt = syn::parse_quote!(#(#attrs)* let mut request = #build()?;);
    block.stmts.splice(at..=at, [closure, first]);
    let mut hand = HandOver { build, replaced: 0 };
    for stmt in &mut block.stmts[at + 2..] {
        hand.visit_stmt_mut(stmt);
    }
    if hand.replaced != 1 {
        bail!(
            "lean_send: {name}::send calls `client.exec(request, &info)` {} times, expected once",
            hand.replaced
        );
    }
    report.sends_built_again_when_needed += 1;
    Ok(())
}

/// `let mut request = ….build()?;`
fn builds_request(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Local(local) = stmt else {
        return false;
    };
    let named = matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "request");
    let built = match local.init.as_ref().map(|init| &*init.expr) {
        Some(syn::Expr::Try(t)) => {
            matches!(&*t.expr, syn::Expr::MethodCall(call) if call.method == "build" && call.args.is_empty())
        }
        _ => false,
    };
    named && built
}

/// `client.client.get(url)` → `client.client.get(url.as_str())`: the closure borrows
/// the URL instead of taking it; and a header map that is kept (header parameters) is
/// merged as a clone, for the same reason.
#[derive(Default)]
struct BorrowUrl {
    replaced: usize,
}

impl VisitMut for BorrowUrl {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        visit_mut::visit_expr_method_call_mut(self, call);
        if merges_header_map(call) {
            call.args[0] = syn::parse_quote!(header_map.clone());
        }
        let on_http_client = matches!(&*call.receiver, syn::Expr::Field(f) if f.to_token_stream().to_string() == "client . client");
        let takes_url = call.args.len() == 1
            && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("url"));
        if on_http_client && takes_url {
            call.args[0] = syn::parse_quote!(url.as_str());
            self.replaced += 1;
        }
    }
}

/// `client.exec(request, &info)` → `crate::execute_rebuildable(client, request, &info,
/// &build_request)`.
struct HandOver {
    build: syn::Ident,
    replaced: usize,
}

impl VisitMut for HandOver {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        visit_mut::visit_expr_mut(self, expr);
        let syn::Expr::MethodCall(call) = expr else {
            return;
        };
        let on_client = matches!(&*call.receiver, syn::Expr::Path(p) if p.path.is_ident("client"));
        if !on_client || call.method != "exec" || call.args.len() != 2 {
            return;
        }
        let (request, info) = (&call.args[0], &call.args[1]);
        let build = &self.build;
        *expr = syn::parse_quote!(crate::execute_rebuildable(client, #request, #info, &#build));
        self.replaced += 1;
    }
}

#[derive(Default)]
struct ToDecodeJson {
    replaced: usize,
    /// `from_response` under any other path.
    left: usize,
}

impl VisitMut for ToDecodeJson {
    fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
        let segments: Vec<String> = expr
            .path
            .segments
            .iter()
            .map(|s| s.ident.to_string())
            .collect();
        match segments.iter().map(String::as_str).collect::<Vec<_>>()[..] {
            ["ResponseValue", "from_response"] => {
                expr.path = syn::parse_quote!(crate::decode_json);
                self.replaced += 1;
            }
            [.., "from_response"] => self.left += 1,
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A builder module with one `send`, its body written the way progenitor's
    /// template writes it; `headers` are the statements that fill the map.
    fn builder(headers: &str, merge: &str, decode: &str) -> syn::File {
        syn::parse_str(&format!(
            r#"pub mod builder {{
                impl<'a> GetX<'a> {{
                    pub async fn send(self) -> Result<ResponseValue<X>, Error<()>> {{
                        let url = format!("{{}}/x", client.baseurl,);
                        let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                        {headers}
                        let mut request = client.client.get(url).{merge}.build()?;
                        let response = client.exec(request, &info).await?;
                        match response.status().as_u16() {{
                            200u16 => {decode}(response).await,
                            _ => Err(Error::UnexpectedResponse(response)),
                        }}
                    }}
                }}
            }}"#
        ))
        .unwrap()
    }

    const API_VERSION: &str = r#"header_map.append(
        ::reqwest::header::HeaderName::from_static("api-version"),
        ::reqwest::header::HeaderValue::from_static(super::Client::api_version()),
    );"#;

    fn text(file: &syn::File) -> String {
        file.to_token_stream().to_string()
    }

    #[test]
    fn a_lone_api_version_goes_on_the_request_and_answers_decode_in_place() {
        let mut file = builder(
            API_VERSION,
            "headers(header_map)",
            "ResponseValue::from_response",
        );
        let mut report = LayoutReport::default();
        lean(&mut file, &mut report).unwrap();
        let code = text(&file);
        assert!(!code.contains("header_map"), "{code}");
        assert!(code.contains(
            ". header (const { :: reqwest :: header :: HeaderName :: from_static (\"api-version\") }"
        ), "{code}");
        assert!(code.contains("crate :: decode_json (response)"), "{code}");
        assert!(!code.contains("from_response"));
        assert!(code.contains("let build_request = | | client . client . get (url . as_str ())"));
        assert!(code.contains("let mut request = build_request () ?"));
        assert!(code.contains(
            "crate :: execute_rebuildable (client , request , & info , & build_request)"
        ));
        assert!(!code.contains("client . exec"));
        assert_eq!(
            (
                report.sends_with_inline_header,
                report.sends_keeping_header_map,
                report.answers_decoded_in_place,
                report.sends_built_again_when_needed,
                report.urls_joined
            ),
            (1, 0, 1, 1, 1)
        );
        assert!(
            code.contains("let url = [client . baseurl . as_str () , \"/x\"] . concat () ;"),
            "{code}"
        );
    }

    /// `builder`'s `send`, its URL built by `url` instead.
    fn with_url(url: &str) -> syn::File {
        let file = builder(
            API_VERSION,
            "headers(header_map)",
            "ResponseValue::from_response",
        );
        let code = text(&file).replace("format ! (\"{}/x\" , client . baseurl ,)", url);
        syn::parse_str(&code).unwrap()
    }

    #[test]
    fn a_url_with_path_parameters_is_joined_in_order() {
        let mut file = with_url(
            r#"format!("{}/users/{}/tags/{}", client.baseurl, encode_path(&user_id.to_string()), encode_path(&tag.to_string()),)"#,
        );
        lean(&mut file, &mut LayoutReport::default()).unwrap();
        let code = text(&file);
        let joined = r#"let url = [client . baseurl . as_str () , "/users/" , encode_path (& user_id . to_string ()) . as_str () , "/tags/" , encode_path (& tag . to_string ()) . as_str ()] . concat () ;"#;
        assert!(code.contains(joined), "{code}");
        assert!(!code.contains("format !"), "{code}");
    }

    #[test]
    fn a_url_formatted_from_anything_else_stops_the_generation() {
        for (url, why) in [
            (
                r#"format!("{}/x/{}", client.baseurl, id)"#,
                "its URL formats `id`, neither the base URL nor an encoded path parameter",
            ),
            (
                r#"format!("{}/x/{:?}", client.baseurl, encode_path(&id))"#,
                "has more than plain `{}`s",
            ),
            (
                r#"format!("{}/x/{}", client.baseurl)"#,
                "has 2 `{}`s for 1 arguments",
            ),
            (r#"concat!("a", "b")"#, "its URL is built by `concat!`"),
        ] {
            let err = lean(&mut with_url(url), &mut LayoutReport::default()).unwrap_err();
            assert!(err.to_string().contains(why), "{url}: {err}");
            assert!(err.to_string().contains("GetX::send"), "{err}");
        }
    }

    #[test]
    fn a_header_parameter_keeps_the_map() {
        let parameter =
            r#"header_map.append("aw-internal-request", flag.to_string().try_into()?);"#;
        let mut file = builder(
            &format!("{API_VERSION}\n{parameter}"),
            "headers(header_map)",
            "ResponseValue::from_response",
        );
        let before = text(&file);
        let mut report = LayoutReport::default();
        lean(&mut file, &mut report).unwrap();
        let after = text(&file);
        let expected = before
            .replace(
                "format ! (\"{}/x\" , client . baseurl ,)",
                "[client . baseurl . as_str () , \"/x\"] . concat ()",
            )
            .replace("ResponseValue :: from_response", "crate :: decode_json")
            .replace(
                "let mut request = client . client . get (url) . headers (header_map) . build () ?",
                "let build_request = | | client . client . get (url . as_str ()) . headers (header_map . clone ()) . build () ; let mut request = build_request () ?",
            )
            .replace(
                "client . exec (request , & info)",
                "crate :: execute_rebuildable (client , request , & info , & build_request)",
            );
        assert_eq!(after, expected);
        assert_eq!(report.sends_keeping_header_map, 1);
        assert_eq!(report.sends_with_inline_header, 0);
    }

    #[test]
    fn a_map_merged_elsewhere_stops_the_generation() {
        let mut file = builder(
            &format!("{API_VERSION}\nlet copy = header_map.clone();"),
            "headers(copy)",
            "ResponseValue::from_response",
        );
        // Three uses, but none merges the map itself.
        let err = lean(&mut file, &mut LayoutReport::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("GetX::send merges its header map 0 times"),
            "{err}"
        );
    }

    #[test]
    fn an_answer_decoded_by_another_path_stops_the_generation() {
        let mut file = builder(
            API_VERSION,
            "headers(header_map)",
            "progenitor_client::ResponseValue::from_response",
        );
        let err = lean(&mut file, &mut LayoutReport::default()).unwrap_err();
        assert!(
            err.to_string().contains("GetX::send decodes an answer"),
            "{err}"
        );
    }

    #[test]
    fn a_send_that_does_not_call_the_hook_once_stops_the_generation() {
        let file = builder(
            API_VERSION,
            "headers(header_map)",
            "ResponseValue::from_response",
        );
        let code = text(&file).replace("client . exec (request , & info)", "other (request)");
        let mut file = syn::parse_str(&code).unwrap();
        let err = lean(&mut file, &mut LayoutReport::default()).unwrap_err();
        assert!(
            err.to_string()
                .contains("calls `client.exec(request, &info)` 0 times"),
            "{err}"
        );
    }
}
