//! The shape of a `filterby` expression: logic over comparisons of operands.
//!
//! ```text
//! or      := and ("or" and)*
//! and     := not ("and" not)*
//! not     := "not" not | compare
//! compare := operand (op operand | "in" "(" operand ("," operand)* ")")?
//! operand := "(" or ")" | literal | special | function "(" args ")" | path
//! path    := name ("/" name)* ["/" ("any" | "count") "(" [name ":" or] ")"]
//! ```

use super::lexer::Token;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
}

/// A function of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    StartsWith,
    EndsWith,
    /// `substringof(needle, haystack)`.
    SubstringOf,
    /// `contains(haystack, needle)` (OData 4 spelling).
    Contains,
    ToLower,
    ToUpper,
    Trim,
    Length,
}

/// A value written in the expression, or worked out by the server.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    Null,
    Bool(bool),
    Number(f64),
    Text(String),
    /// `guid'…'`, as written.
    Guid(String),
    /// `datetime'…'` / `datetimeoffset'…'`, as written.
    DateTime(String),
    /// `me.id`.
    Me,
    /// `now`.
    Now,
    /// `today`, `today+5d`: a day relative to today.
    Today(i64),
    StartOfWeek,
    EndOfWeek,
    StartOfMonth,
    EndOfMonth,
}

/// What a collection test asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Collection {
    Any,
    Count,
}

/// Something that has a value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Operand {
    Literal(Literal),
    /// A property path, e.g. `["company", "name"]`; a lambda's variable is its first name.
    Path(Vec<String>),
    Call(Func, Vec<Operand>),
    /// `path/any(var: predicate)` or `path/count(…)`.
    Collection {
        path: Vec<String>,
        test: Collection,
        lambda: Option<(String, Box<Expr>)>,
    },
    /// A parenthesized expression.
    Group(Box<Expr>),
}

/// A boolean expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    Or(Box<Expr>, Box<Expr>),
    And(Box<Expr>, Box<Expr>),
    Not(Box<Expr>),
    Compare(Operand, Op, Operand),
    In(Operand, Vec<Operand>),
    /// An operand that is itself true or false (a function, a boolean property).
    Test(Operand),
}

/// Reads the tokens as one expression.
pub(crate) fn parse(tokens: &[Token]) -> Result<Expr, String> {
    let mut parser = Parser { tokens, at: 0 };
    let expr = parser.or()?;
    match parser.peek() {
        None => Ok(expr),
        Some(token) => Err(format!(
            "unexpected {} after the end of the expression",
            describe(token)
        )),
    }
}

struct Parser<'t> {
    tokens: &'t [Token],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<&Token> {
        let token = self.tokens.get(self.at);
        self.at += 1;
        token
    }

    fn keyword(&self, word: &str) -> bool {
        matches!(self.peek(), Some(Token::Word(w)) if w.eq_ignore_ascii_case(word))
    }

    fn expect(&mut self, wanted: &Token, what: &str) -> Result<(), String> {
        match self.next() {
            Some(token) if token == wanted => Ok(()),
            Some(token) => Err(format!("expected {what}, found {}", describe(token))),
            None => Err(format!("expected {what} at the end")),
        }
    }

    fn or(&mut self) -> Result<Expr, String> {
        let mut left = self.and()?;
        while self.keyword("or") {
            self.at += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, String> {
        let mut left = self.not()?;
        while self.keyword("and") {
            self.at += 1;
            left = Expr::And(Box::new(left), Box::new(self.not()?));
        }
        Ok(left)
    }

    fn not(&mut self) -> Result<Expr, String> {
        if self.keyword("not") {
            self.at += 1;
            return Ok(Expr::Not(Box::new(self.not()?)));
        }
        self.compare()
    }

    fn compare(&mut self) -> Result<Expr, String> {
        let left = self.operand()?;
        if let Some(op) = self.operator() {
            self.at += 1;
            let right = self.operand()?;
            return Ok(Expr::Compare(left, op, right));
        }
        if self.keyword("in") {
            self.at += 1;
            self.expect(&Token::Open, "'(' after 'in'")?;
            let mut values = vec![self.operand()?];
            while self.peek() == Some(&Token::Comma) {
                self.at += 1;
                values.push(self.operand()?);
            }
            self.expect(&Token::Close, "')' to close the list of 'in'")?;
            return Ok(Expr::In(left, values));
        }
        Ok(Expr::Test(left))
    }

    fn operator(&self) -> Option<Op> {
        let Some(Token::Word(word)) = self.peek() else {
            return None;
        };
        Some(match word.to_ascii_lowercase().as_str() {
            "eq" => Op::Eq,
            "ne" => Op::Ne,
            "gt" => Op::Gt,
            "ge" => Op::Ge,
            "lt" => Op::Lt,
            "le" => Op::Le,
            _ => return None,
        })
    }

    fn operand(&mut self) -> Result<Operand, String> {
        let Some(token) = self.next().cloned() else {
            return Err("the expression ends where a value was expected".into());
        };
        match token {
            Token::Open => {
                let inner = self.or()?;
                self.expect(&Token::Close, "')'")?;
                Ok(Operand::Group(Box::new(inner)))
            }
            Token::Text(text) => Ok(Operand::Literal(Literal::Text(text))),
            Token::Number(n) => Ok(Operand::Literal(Literal::Number(n))),
            Token::TodayOffset(days) => Ok(Operand::Literal(Literal::Today(days))),
            Token::Typed { kind, text } => typed(&kind, text).map(Operand::Literal),
            Token::Word(word) => self.word(word),
            other => Err(format!("expected a value, found {}", describe(&other))),
        }
    }

    fn word(&mut self, word: String) -> Result<Operand, String> {
        if let Some(literal) = special(&word) {
            return Ok(Operand::Literal(literal));
        }
        if self.peek() == Some(&Token::Open) {
            let func = function(&word)?;
            self.at += 1;
            let mut args = Vec::new();
            if self.peek() != Some(&Token::Close) {
                args.push(self.operand()?);
                while self.peek() == Some(&Token::Comma) {
                    self.at += 1;
                    args.push(self.operand()?);
                }
            }
            self.expect(&Token::Close, &format!("')' to close {word}(…)"))?;
            check_arity(func, &word, args.len())?;
            return Ok(Operand::Call(func, args));
        }
        self.path(word)
    }

    fn path(&mut self, first: String) -> Result<Operand, String> {
        if is_keyword(&first) {
            return Err(format!("'{first}' stands where a value was expected"));
        }
        let mut path = vec![first];
        while self.peek() == Some(&Token::Slash) {
            self.at += 1;
            let Some(Token::Word(name)) = self.next().cloned() else {
                return Err("a property name must follow '/'".into());
            };
            let test = match name.to_ascii_lowercase().as_str() {
                "any" => Collection::Any,
                "count" => Collection::Count,
                _ => {
                    path.push(name);
                    continue;
                }
            };
            self.expect(&Token::Open, &format!("'(' after {name}"))?;
            let lambda = self.lambda()?;
            self.expect(&Token::Close, &format!("')' to close {name}(…)"))?;
            return Ok(Operand::Collection { path, test, lambda });
        }
        Ok(Operand::Path(path))
    }

    fn lambda(&mut self) -> Result<Option<(String, Box<Expr>)>, String> {
        if self.peek() == Some(&Token::Close) {
            return Ok(None);
        }
        let Some(Token::Word(var)) = self.next().cloned() else {
            return Err("a collection test takes 'variable: condition'".into());
        };
        self.expect(&Token::Colon, "':' after the variable")?;
        Ok(Some((var, Box::new(self.or()?))))
    }
}

fn typed(kind: &str, text: String) -> Result<Literal, String> {
    match kind {
        "guid" => Ok(Literal::Guid(text)),
        "datetime" | "datetimeoffset" => Ok(Literal::DateTime(text)),
        other => Err(format!(
            "'{other}'…' is not a literal awork knows (guid'…', datetime'…')"
        )),
    }
}

fn special(word: &str) -> Option<Literal> {
    Some(match word.to_ascii_lowercase().as_str() {
        "null" => Literal::Null,
        "true" => Literal::Bool(true),
        "false" => Literal::Bool(false),
        "me.id" => Literal::Me,
        "now" => Literal::Now,
        "today" => Literal::Today(0),
        "sow" => Literal::StartOfWeek,
        "eow" => Literal::EndOfWeek,
        "som" => Literal::StartOfMonth,
        "eom" => Literal::EndOfMonth,
        _ => return None,
    })
}

fn function(word: &str) -> Result<Func, String> {
    Ok(match word.to_ascii_lowercase().as_str() {
        "startswith" => Func::StartsWith,
        "endswith" => Func::EndsWith,
        "substringof" => Func::SubstringOf,
        "contains" => Func::Contains,
        "tolower" => Func::ToLower,
        "toupper" => Func::ToUpper,
        "trim" => Func::Trim,
        "length" => Func::Length,
        _ => return Err(format!("'{word}' is not a function awork knows")),
    })
}

fn check_arity(func: Func, word: &str, count: usize) -> Result<(), String> {
    let wanted = match func {
        Func::StartsWith | Func::EndsWith | Func::SubstringOf | Func::Contains => 2,
        Func::ToLower | Func::ToUpper | Func::Trim | Func::Length => 1,
    };
    match count == wanted {
        true => Ok(()),
        false => Err(format!("{word} takes {wanted} argument(s), not {count}")),
    }
}

fn is_keyword(word: &str) -> bool {
    ["and", "or", "not", "eq", "ne", "gt", "ge", "lt", "le", "in"]
        .iter()
        .any(|k| k.eq_ignore_ascii_case(word))
}

fn describe(token: &Token) -> String {
    match token {
        Token::Word(w) => format!("'{w}'"),
        Token::Text(t) => format!("'{t}' (text)"),
        Token::Typed { kind, text } => format!("{kind}'{text}'"),
        Token::Number(n) => n.to_string(),
        Token::TodayOffset(d) => format!("today{d:+}d"),
        Token::Slash => "'/'".into(),
        Token::Open => "'('".into(),
        Token::Close => "')'".into(),
        Token::Comma => "','".into(),
        Token::Colon => "':'".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer::tokens;
    use super::*;

    fn read(text: &str) -> Result<Expr, String> {
        parse(&tokens(text)?)
    }

    fn path(p: &[&str]) -> Operand {
        Operand::Path(p.iter().map(|s| (*s).to_owned()).collect())
    }

    #[test]
    fn and_binds_tighter_than_or_and_not_tighter_than_and() {
        let expr = read("a eq 1 or not b eq 2 and c eq 3").unwrap();
        let Expr::Or(_, right) = expr else {
            panic!("or at the top")
        };
        let Expr::And(left, _) = *right else {
            panic!("and below or")
        };
        assert!(matches!(*left, Expr::Not(_)));
    }

    #[test]
    fn reads_functions_lists_and_collections() {
        assert_eq!(
            read("startswith(tolower(name),'ab')").unwrap(),
            Expr::Test(Operand::Call(
                Func::StartsWith,
                vec![
                    Operand::Call(Func::ToLower, vec![path(&["name"])]),
                    Operand::Literal(Literal::Text("ab".into()))
                ]
            ))
        );
        assert!(
            matches!(read("t/name in ('Draft','Done')").unwrap(), Expr::In(_, values) if values.len() == 2)
        );
        let any = read("members/any(m: m/firstName eq 'Neil') eq false").unwrap();
        assert!(matches!(
            any,
            Expr::Compare(
                Operand::Collection {
                    test: Collection::Any,
                    lambda: Some(_),
                    ..
                },
                Op::Eq,
                _
            )
        ));
        assert!(matches!(
            read("tags/count() lt 10").unwrap(),
            Expr::Compare(
                Operand::Collection {
                    test: Collection::Count,
                    lambda: None,
                    ..
                },
                Op::Lt,
                _
            )
        ));
    }

    #[test]
    fn explains_what_is_wrong() {
        assert!(read("name eq").unwrap_err().contains("ends where a value"));
        assert!(
            read("name eq 'a' 'b'")
                .unwrap_err()
                .contains("after the end")
        );
        assert!(
            read("frobnicate(name)")
                .unwrap_err()
                .contains("not a function")
        );
        assert!(read("startswith(name)").unwrap_err().contains("takes 2"));
        assert!(read("(a eq 1").unwrap_err().contains("')'"));
        assert!(
            read("eq eq 1")
                .unwrap_err()
                .contains("stands where a value")
        );
        assert!(
            read("x eq binary'00'")
                .unwrap_err()
                .contains("not a literal")
        );
    }
}
