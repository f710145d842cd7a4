//! `filterby`: awork's OData-like expressions, for every resource of the fake.

mod eval;
mod lexer;
mod parse;

use serde_json::Value;

pub(crate) use eval::{Context, compare_json, property};
use parse::{Expr, Operand};

/// A parsed `filterby` expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Filter {
    expr: Expr,
}

impl Filter {
    /// Reads `text`; `Err` says what is wrong and where.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let tokens = lexer::tokens(text)?;
        if tokens.is_empty() {
            return Err("the filter is empty".into());
        }
        Ok(Self {
            expr: parse::parse(&tokens)?,
        })
    }

    /// Every property path the expression reads, lambda variables replaced by the
    /// collection they range over (`members/any(m: m/name eq 'x')` reads
    /// `members/name`).
    pub(crate) fn paths(&self) -> Vec<Vec<String>> {
        let mut out = Vec::new();
        collect_expr(&self.expr, &[], &mut out);
        out
    }

    /// Whether `item` matches; `Err` names an expression that does not fit the values.
    pub(crate) fn matches(&self, item: &Value, context: &Context) -> Result<bool, String> {
        eval::matches(&self.expr, item, context)
    }
}

type Vars<'a> = [(&'a str, Vec<String>)];

fn collect_expr(expr: &Expr, vars: &Vars<'_>, out: &mut Vec<Vec<String>>) {
    match expr {
        Expr::Or(a, b) | Expr::And(a, b) => {
            collect_expr(a, vars, out);
            collect_expr(b, vars, out);
        }
        Expr::Not(inner) => collect_expr(inner, vars, out),
        Expr::Compare(a, _, b) => {
            collect_operand(a, vars, out);
            collect_operand(b, vars, out);
        }
        Expr::In(left, options) => {
            collect_operand(left, vars, out);
            options.iter().for_each(|o| collect_operand(o, vars, out));
        }
        Expr::Test(operand) => collect_operand(operand, vars, out),
    }
}

fn collect_operand(operand: &Operand, vars: &Vars<'_>, out: &mut Vec<Vec<String>>) {
    match operand {
        Operand::Literal(_) => {}
        Operand::Path(path) => out.push(expand(path, vars)),
        Operand::Group(expr) => collect_expr(expr, vars, out),
        Operand::Call(_, args) => args.iter().for_each(|a| collect_operand(a, vars, out)),
        Operand::Collection { path, lambda, .. } => {
            let full = expand(path, vars);
            out.push(full.clone());
            if let Some((var, predicate)) = lambda {
                let mut inner: Vec<(&str, Vec<String>)> = vars.to_vec();
                inner.push((var.as_str(), full));
                collect_expr(predicate, &inner, out);
            }
        }
    }
}

fn expand(path: &[String], vars: &Vars<'_>) -> Vec<String> {
    match vars.iter().rev().find(|(var, _)| *var == path[0]) {
        Some((_, base)) => base.iter().chain(&path[1..]).cloned().collect(),
        None => path.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_resolve_lambda_variables() {
        let filter = Filter::parse("name eq 'x' and members/any(m: m/user/firstName eq 'N') and tolower(company/name) eq 'a'").unwrap();
        let paths: Vec<String> = filter.paths().iter().map(|p| p.join("/")).collect();
        assert_eq!(
            paths,
            ["name", "members", "members/user/firstName", "company/name"]
        );
    }

    #[test]
    fn an_empty_filter_is_refused() {
        assert!(Filter::parse("   ").is_err());
    }
}
