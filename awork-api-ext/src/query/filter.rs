//! `filterby`: comparisons, logic, functions and collection predicates.

use super::{QueryError, check_path};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use uuid::Uuid;

/// Values awork computes on its side (written without quotes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// The calling user's id: `me.id`.
    Me,
    /// The current moment: `now`.
    Now,
    /// Today: `today`.
    Today,
    /// Today plus or minus days: `today+5d`, `today-30d`.
    TodayOffsetDays(i32),
    /// Start of this week: `sow`.
    StartOfWeek,
    /// End of this week: `eow`.
    EndOfWeek,
    /// Start of this month: `som`.
    StartOfMonth,
    /// End of this month: `eom`.
    EndOfMonth,
}

/// A literal on the right of a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A finite floating-point number (use [`Value::double`]).
    Double(f64),
    /// A decimal written as digits, e.g. `2.345` → `2.345M` (use [`Value::decimal`]).
    Decimal(String),
    /// A string: `'…'` with `'` doubled.
    Str(String),
    /// A GUID: `guid'…'`.
    Guid(Uuid),
    /// A date or date-time: `datetime'…'` (the text is produced from chrono types).
    DateTime(String),
    /// A value awork computes.
    Special(Special),
}

impl Value {
    /// A floating-point literal; NaN and infinities have none.
    pub fn double(x: f64) -> Result<Value, QueryError> {
        if x.is_finite() {
            Ok(Value::Double(x))
        } else {
            Err(QueryError::InvalidValue {
                value: x.to_string(),
                reason: "only finite numbers can be written".into(),
            })
        }
    }

    /// A decimal literal from its digits (`-12.50`): only digits, an optional leading
    /// `-` and at most one `.`.
    pub fn decimal(digits: &str) -> Result<Value, QueryError> {
        let body = digits.strip_prefix('-').unwrap_or(digits);
        let ok = !body.is_empty()
            && body.chars().all(|c| c.is_ascii_digit() || c == '.')
            && body.matches('.').count() <= 1
            && body.chars().any(|c| c.is_ascii_digit());
        if ok {
            Ok(Value::Decimal(digits.into()))
        } else {
            Err(QueryError::InvalidValue {
                value: digits.into(),
                reason: "a decimal is digits with at most one '.'".into(),
            })
        }
    }

    fn render(&self) -> String {
        match self {
            Value::Null => "null".into(),
            Value::Bool(b) => b.to_string(),
            Value::Int(n) => n.to_string(),
            Value::Double(x) => format!("{x:?}"),
            Value::Decimal(d) => format!("{d}M"),
            Value::Str(s) => quote(s),
            Value::Guid(id) => format!("guid'{id}'"),
            Value::DateTime(text) => format!("datetime'{text}'"),
            Value::Special(s) => special(*s),
        }
    }
}

/// `'…'` with every `'` doubled: the literal cannot end early.
fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn special(s: Special) -> String {
    match s {
        Special::Me => "me.id".into(),
        Special::Now => "now".into(),
        Special::Today => "today".into(),
        Special::TodayOffsetDays(n) if n < 0 => format!("today-{}d", n.unsigned_abs()),
        Special::TodayOffsetDays(n) => format!("today+{n}d"),
        Special::StartOfWeek => "sow".into(),
        Special::EndOfWeek => "eow".into(),
        Special::StartOfMonth => "som".into(),
        Special::EndOfMonth => "eom".into(),
    }
}

macro_rules! value_from {
    ($($t:ty => $variant:ident via $conv:expr),* $(,)?) => {$(
        impl From<$t> for Value {
            fn from(v: $t) -> Self {
                Value::$variant($conv(v))
            }
        }
    )*};
}

value_from! {
    bool => Bool via |v| v,
    i32 => Int via i64::from,
    i64 => Int via |v| v,
    u32 => Int via i64::from,
    &str => Str via str::to_string,
    String => Str via |v| v,
    Uuid => Guid via |v| v,
    Special => Special via |v| v,
    NaiveDate => DateTime via |d: NaiveDate| d.format("%Y-%m-%d").to_string(),
    NaiveDateTime => DateTime via |d: NaiveDateTime| d.format("%Y-%m-%dT%H:%M:%S").to_string(),
    DateTime<Utc> => DateTime via |d: DateTime<Utc>| d.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Value::Null, Into::into)
    }
}

/// The left side of a comparison: a property path, optionally lower-cased.
#[derive(Debug, Clone, PartialEq)]
pub struct Prop {
    path: String,
    lower: bool,
}

/// A property path, e.g. `userId` or `project/name`; checked when the filter renders.
pub fn prop(path: impl Into<String>) -> Prop {
    Prop {
        path: path.into(),
        lower: false,
    }
}

/// A filter expression; combine with [`and`](Filter::and), [`or`](Filter::or),
/// [`not`](Filter::not), then [`render`](Filter::render).
#[derive(Debug, Clone, PartialEq)]
pub struct Filter(Node);

#[derive(Debug, Clone, PartialEq)]
enum Node {
    Compare {
        left: Prop,
        op: &'static str,
        right: Value,
    },
    In {
        left: Prop,
        values: Vec<Value>,
    },
    Call {
        name: &'static str,
        left: Prop,
        arg: Value,
    },
    Substring {
        left: Prop,
        needle: Value,
    },
    Any {
        path: String,
        predicate: Option<(String, Box<Node>)>,
        negated: bool,
    },
    Count {
        path: String,
        predicate: Option<(String, Box<Node>)>,
        op: &'static str,
        n: i64,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Raw(String),
}

macro_rules! comparisons {
    ($($name:ident => $op:literal),*) => {$(
        #[doc = concat!("`prop ", $op, " value`.")]
        pub fn $name(self, value: impl Into<Value>) -> Filter {
            Filter(Node::Compare { left: self, op: $op, right: value.into() })
        }
    )*};
}

impl Prop {
    /// Compares the lower-cased property: `tolower(prop) eq 'x'`.
    pub fn tolower(mut self) -> Self {
        self.lower = true;
        self
    }

    comparisons!(eq => "eq", ne => "ne", gt => "gt", lt => "lt", ge => "ge", le => "le");

    /// `prop in ('a','b')`.
    pub fn is_in<V: Into<Value>>(self, values: impl IntoIterator<Item = V>) -> Filter {
        Filter(Node::In {
            left: self,
            values: values.into_iter().map(Into::into).collect(),
        })
    }

    /// `startswith(prop,'x')`.
    pub fn startswith(self, prefix: impl Into<String>) -> Filter {
        Filter(Node::Call {
            name: "startswith",
            left: self,
            arg: Value::Str(prefix.into()),
        })
    }

    /// `endswith(prop,'x')`.
    pub fn endswith(self, suffix: impl Into<String>) -> Filter {
        Filter(Node::Call {
            name: "endswith",
            left: self,
            arg: Value::Str(suffix.into()),
        })
    }

    /// `substringof('x',prop)`: the property contains `needle`.
    pub fn contains(self, needle: impl Into<String>) -> Filter {
        Filter(Node::Substring {
            left: self,
            needle: Value::Str(needle.into()),
        })
    }

    /// `prop/any()`: the collection is not empty.
    pub fn any(self) -> Filter {
        Filter(Node::Any {
            path: self.path,
            predicate: None,
            negated: false,
        })
    }

    /// `prop/any(var: predicate)`: some element matches; inside, name the element `var`
    /// (`prop("t/name")`).
    pub fn any_where(self, var: impl Into<String>, predicate: Filter) -> Filter {
        Filter(Node::Any {
            path: self.path,
            predicate: Some((var.into(), Box::new(predicate.0))),
            negated: false,
        })
    }

    /// `prop/any(var: predicate) eq false`: no element matches.
    pub fn none_where(self, var: impl Into<String>, predicate: Filter) -> Filter {
        Filter(Node::Any {
            path: self.path,
            predicate: Some((var.into(), Box::new(predicate.0))),
            negated: true,
        })
    }

    /// `prop/count() op n`: compares the size of a collection.
    pub fn count(self, op: CountOp, n: i64) -> Filter {
        Filter(Node::Count {
            path: self.path,
            predicate: None,
            op: op.word(),
            n,
        })
    }

    /// `prop/count(var: predicate) op n`.
    pub fn count_where(
        self,
        var: impl Into<String>,
        predicate: Filter,
        op: CountOp,
        n: i64,
    ) -> Filter {
        Filter(Node::Count {
            path: self.path,
            predicate: Some((var.into(), Box::new(predicate.0))),
            op: op.word(),
            n,
        })
    }

    fn render(&self) -> Result<String, QueryError> {
        check_path(&self.path)?;
        Ok(if self.lower {
            format!("tolower({})", self.path)
        } else {
            self.path.clone()
        })
    }
}

/// How a collection count is compared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CountOp {
    /// `eq`
    Eq,
    /// `ne`
    Ne,
    /// `gt`
    Gt,
    /// `lt`
    Lt,
    /// `ge`
    Ge,
    /// `le`
    Le,
}

impl CountOp {
    fn word(self) -> &'static str {
        match self {
            CountOp::Eq => "eq",
            CountOp::Ne => "ne",
            CountOp::Gt => "gt",
            CountOp::Lt => "lt",
            CountOp::Ge => "ge",
            CountOp::Le => "le",
        }
    }
}

/// Binding strength, for parentheses: `or` < `and` < `not` < a single comparison.
fn precedence(node: &Node) -> u8 {
    match node {
        Node::Raw(_) => 0,
        Node::Or(..) => 1,
        Node::And(..) => 2,
        Node::Not(_) => 3,
        _ => 4,
    }
}

impl Filter {
    /// Text passed as it is, unchecked; parenthesized when combined with other parts.
    pub fn raw(text: impl Into<String>) -> Self {
        Filter(Node::Raw(text.into()))
    }

    /// Both must hold.
    pub fn and(self, other: Filter) -> Filter {
        Filter(Node::And(Box::new(self.0), Box::new(other.0)))
    }

    /// Either may hold.
    pub fn or(self, other: Filter) -> Filter {
        Filter(Node::Or(Box::new(self.0), Box::new(other.0)))
    }

    /// Must not hold.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Filter {
        Filter(Node::Not(Box::new(self.0)))
    }

    /// The expression text, or the first bad property path or value.
    pub fn render(&self) -> Result<String, QueryError> {
        render(&self.0, 0)
    }
}

impl TryFrom<Filter> for String {
    type Error = QueryError;
    fn try_from(filter: Filter) -> Result<String, QueryError> {
        filter.render()
    }
}

fn render(node: &Node, outer: u8) -> Result<String, QueryError> {
    let text = match node {
        Node::Compare { left, op, right } => format!("{} {op} {}", left.render()?, right.render()),
        Node::In { left, values } => {
            let list: Vec<String> = values.iter().map(Value::render).collect();
            format!("{} in ({})", left.render()?, list.join(","))
        }
        Node::Call { name, left, arg } => format!("{name}({},{})", left.render()?, arg.render()),
        Node::Substring { left, needle } => {
            format!("substringof({},{})", needle.render(), left.render()?)
        }
        Node::Any {
            path,
            predicate,
            negated,
        } => {
            let text = format!("{path}/any({})", lambda(predicate)?);
            check_path(path)?;
            if *negated {
                format!("{text} eq false")
            } else {
                text
            }
        }
        Node::Count {
            path,
            predicate,
            op,
            n,
        } => {
            check_path(path)?;
            format!("{path}/count({}) {op} {n}", lambda(predicate)?)
        }
        Node::And(a, b) => format!("{} and {}", render(a, 2)?, render(b, 2)?),
        Node::Or(a, b) => format!("{} or {}", render(a, 1)?, render(b, 1)?),
        Node::Not(inner) => format!("not {}", render(inner, 4)?),
        Node::Raw(text) => text.clone(),
    };
    let needs_parens = precedence(node) < outer || (matches!(node, Node::Raw(_)) && outer > 0);
    Ok(if needs_parens {
        format!("({text})")
    } else {
        text
    })
}

fn lambda(predicate: &Option<(String, Box<Node>)>) -> Result<String, QueryError> {
    match predicate {
        None => Ok(String::new()),
        Some((var, body)) => {
            check_path(var)?;
            Ok(format!("{var}: {}", render(body, 0)?))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn r(f: Filter) -> String {
        f.render().unwrap()
    }

    #[test]
    fn comparisons_and_literals() {
        let id = Uuid::parse_str("12345678-aaaa-bbbb-cccc-ddddeeeeffff").unwrap();
        assert_eq!(
            r(prop("userId").eq(id)),
            "userId eq guid'12345678-aaaa-bbbb-cccc-ddddeeeeffff'"
        );
        assert_eq!(r(prop("name").ne("x")), "name ne 'x'");
        assert_eq!(r(prop("n").gt(32)), "n gt 32");
        assert_eq!(r(prop("n").lt(-5i64)), "n lt -5");
        assert_eq!(r(prop("ok").eq(true)), "ok eq true");
        assert_eq!(r(prop("projectId").eq(None::<Uuid>)), "projectId eq null");
        assert_eq!(r(prop("x").ge(Value::double(2.029).unwrap())), "x ge 2.029");
        assert_eq!(
            r(prop("x").le(Value::decimal("2.345").unwrap())),
            "x le 2.345M"
        );
        let day = NaiveDate::from_ymd_opt(2024, 5, 1).unwrap();
        assert_eq!(
            r(prop("startDate").ge(day)),
            "startDate ge datetime'2024-05-01'"
        );
        assert_eq!(
            r(prop("at").lt(day.and_hms_opt(12, 0, 0).unwrap())),
            "at lt datetime'2024-05-01T12:00:00'"
        );
        assert_eq!(
            r(prop("at").lt(day.and_hms_opt(12, 0, 0).unwrap().and_utc())),
            "at lt datetime'2024-05-01T12:00:00Z'"
        );
        assert!(Value::double(f64::NAN).is_err());
        assert!(Value::double(f64::INFINITY).is_err());
        assert!(
            Value::decimal("1.2.3").is_err()
                && Value::decimal("").is_err()
                && Value::decimal("1e5").is_err()
        );
    }

    #[test]
    fn special_values_are_unquoted() {
        assert_eq!(r(prop("userId").eq(Special::Me)), "userId eq me.id");
        assert_eq!(
            r(prop("d").ge(Special::TodayOffsetDays(-30))),
            "d ge today-30d"
        );
        assert_eq!(
            r(prop("d").le(Special::TodayOffsetDays(5))),
            "d le today+5d"
        );
        let words: Vec<String> = [
            Special::Now,
            Special::Today,
            Special::StartOfWeek,
            Special::EndOfWeek,
            Special::StartOfMonth,
            Special::EndOfMonth,
        ]
        .into_iter()
        .map(|s| r(prop("d").eq(s)))
        .collect();
        assert_eq!(
            words,
            [
                "d eq now",
                "d eq today",
                "d eq sow",
                "d eq eow",
                "d eq som",
                "d eq eom"
            ]
        );
    }

    #[test]
    fn strings_are_escaped_by_doubling_quotes() {
        assert_eq!(r(prop("name").eq("O'Brien")), "name eq 'O''Brien'");
        assert_eq!(r(prop("name").eq("")), "name eq ''");
        assert_eq!(
            r(prop("name").eq("') or (1 eq 1")),
            "name eq ''') or (1 eq 1'"
        );
        assert_eq!(r(prop("name").eq("a & b %20")), "name eq 'a & b %20'");
    }

    #[test]
    fn functions_lists_and_collections() {
        assert_eq!(r(prop("name").startswith("Web")), "startswith(name,'Web')");
        assert_eq!(r(prop("name").endswith("ing")), "endswith(name,'ing')");
        assert_eq!(
            r(prop("name").contains("it's")),
            "substringof('it''s',name)"
        );
        assert_eq!(
            r(prop("name").tolower().eq("abc")),
            "tolower(name) eq 'abc'"
        );
        assert_eq!(
            r(prop("t/name").is_in(["Draft", "In Progress"])),
            "t/name in ('Draft','In Progress')"
        );
        assert_eq!(r(prop("tags").any()), "tags/any()");
        assert_eq!(
            r(prop("tags").any_where("t", prop("t/name").eq("x"))),
            "tags/any(t: t/name eq 'x')"
        );
        assert_eq!(
            r(prop("tags").none_where("t", prop("t/name").eq("x"))),
            "tags/any(t: t/name eq 'x') eq false"
        );
        assert_eq!(
            r(prop("members").count(CountOp::Lt, 10)),
            "members/count() lt 10"
        );
        assert_eq!(
            r(prop("members").count_where("m", prop("m/firstName").eq("Neil"), CountOp::Gt, 0)),
            "members/count(m: m/firstName eq 'Neil') gt 0"
        );
    }

    #[test]
    fn parentheses_follow_precedence() {
        let (a, b, c) = (prop("a").eq(1), prop("b").eq(2), prop("c").eq(3));
        assert_eq!(
            r(a.clone().and(b.clone()).or(c.clone())),
            "a eq 1 and b eq 2 or c eq 3"
        );
        assert_eq!(
            r(a.clone().and(b.clone().or(c.clone()))),
            "a eq 1 and (b eq 2 or c eq 3)"
        );
        assert_eq!(r(a.clone().or(b.clone()).not()), "not (a eq 1 or b eq 2)");
        assert_eq!(r(a.clone().not()), "not a eq 1");
        assert_eq!(
            r(a.clone().and(Filter::raw("x eq 1 or y eq 2"))),
            "a eq 1 and (x eq 1 or y eq 2)"
        );
        assert_eq!(r(Filter::raw("x eq 1")), "x eq 1");
    }

    #[test]
    fn bad_paths_fail_at_render() {
        assert!(prop("a b").eq(1).render().is_err());
        assert!(prop("ok").eq(1).and(prop("").eq(2)).render().is_err());
        assert!(
            prop("tags")
                .any_where("1t", prop("t/x").eq(1))
                .render()
                .is_err()
        );
    }

    /// Reads the string literal that starts at `text[start]` and returns its content and
    /// where it ended.
    fn read_literal(text: &str, start: usize) -> (String, usize) {
        let chars: Vec<char> = text[start..].chars().collect();
        assert_eq!(chars[0], '\'');
        let (mut out, mut i) = (String::new(), 1);
        loop {
            match (chars[i], chars.get(i + 1)) {
                ('\'', Some('\'')) => {
                    out.push('\'');
                    i += 2;
                }
                ('\'', _) => {
                    return (
                        out,
                        start + chars[..=i].iter().map(|c| c.len_utf8()).sum::<usize>(),
                    );
                }
                (c, _) => {
                    out.push(c);
                    i += 1;
                }
            }
        }
    }

    proptest! {
        #[test]
        fn a_string_value_never_leaves_its_literal(s in any::<String>()) {
            let text = r(prop("name").eq(s.as_str()));
            prop_assert!(text.starts_with("name eq '"));
            let (content, end) = read_literal(&text, "name eq ".len());
            prop_assert_eq!(content, s);
            prop_assert_eq!(end, text.len());
        }

        #[test]
        fn in_lists_keep_every_value_inside_its_literal(values in proptest::collection::vec(any::<String>(), 1..5)) {
            let text = r(prop("name").is_in(values.iter().map(String::as_str)));
            let mut at = "name in (".len();
            for v in &values {
                let (content, end) = read_literal(&text, at);
                prop_assert_eq!(&content, v);
                at = end + 1;
            }
            prop_assert_eq!(at, text.len());
        }
    }
}
