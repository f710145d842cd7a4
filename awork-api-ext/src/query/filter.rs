//! `filterby`: literals, comparisons, text functions, collection tests and logic.

use super::{Path, QueryError};
use chrono::{DateTime, NaiveDate, NaiveDateTime, Timelike, Utc};
use std::fmt;
use std::str::FromStr;
use uuid::Uuid;

/// The most digits a [`Decimal`] may have after its point.
const MAX_DECIMAL_SCALE: u32 = 28;

/// The most digits of a second's fraction written in a `datetime'…'` literal
/// (steps of 100 ns).
const FRACTION_DIGITS: usize = 7;

// ---------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------

/// A value the server works out when it runs the filter; written without quotes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Special {
    /// The id of the user making the request: `me.id`.
    Me,
    /// The current moment: `now`.
    Now,
    /// The current day: `today`.
    Today,
    /// A number of days after (positive) or before (negative) today: `today+5d`,
    /// `today-30d`; zero is plain `today`.
    TodayOffsetDays(i32),
    /// The first day of the current week: `sow`.
    StartOfWeek,
    /// The last day of the current week: `eow`.
    EndOfWeek,
    /// The first day of the current month: `som`.
    StartOfMonth,
    /// The last day of the current month: `eom`.
    EndOfMonth,
}

impl fmt::Display for Special {
    /// Writes the word as it appears in a filter.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Special::Me => f.write_str("me.id"),
            Special::Now => f.write_str("now"),
            Special::Today | Special::TodayOffsetDays(0) => f.write_str("today"),
            Special::TodayOffsetDays(days) if days < 0 => {
                write!(f, "today-{}d", days.unsigned_abs())
            }
            Special::TodayOffsetDays(days) => write!(f, "today+{days}d"),
            Special::StartOfWeek => f.write_str("sow"),
            Special::EndOfWeek => f.write_str("eow"),
            Special::StartOfMonth => f.write_str("som"),
            Special::EndOfMonth => f.write_str("eom"),
        }
    }
}

/// An exact decimal number, written with the `M` suffix: `2.345M`.
///
/// Use it where awork stores decimals (amounts, rates) and an exact value matters;
/// a plain `f64` is written without a suffix.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Decimal {
    /// Validated text: an optional `-`, digits, and optionally `.` and more digits.
    text: String,
}

impl Decimal {
    /// The number `mantissa × 10^-scale`: `Decimal::new(2345, 3)` is `2.345`.
    /// At most 28 digits may follow the point.
    pub fn new(mantissa: i64, scale: u32) -> Result<Decimal, QueryError> {
        if scale > MAX_DECIMAL_SCALE {
            return Err(QueryError::value(
                format!("{mantissa}e-{scale}"),
                format!("a decimal has at most {MAX_DECIMAL_SCALE} digits after the point"),
            ));
        }
        let digits = format!(
            "{:0>width$}",
            mantissa.unsigned_abs(),
            width = scale as usize + 1
        );
        let (whole, fraction) = digits.split_at(digits.len() - scale as usize);
        let sign = if mantissa < 0 { "-" } else { "" };
        let text = if fraction.is_empty() {
            format!("{sign}{whole}")
        } else {
            format!("{sign}{whole}.{fraction}")
        };
        Ok(Decimal { text })
    }

    /// Reads a decimal written as `-12.50`: an optional `-`, digits, and optionally a
    /// `.` followed by at most 28 digits. No exponent, no `+`, no suffix.
    pub fn parse(text: &str) -> Result<Decimal, QueryError> {
        let unsigned = text.strip_prefix('-').unwrap_or(text);
        let (whole, fraction) = match unsigned.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (unsigned, None),
        };
        let invalid = |reason: &str| Err(QueryError::value(format!("{text:?}"), reason));
        if !is_digits(whole) {
            return invalid("a decimal starts with digits (after an optional '-')");
        }
        match fraction {
            Some(f) if !is_digits(f) => invalid("a decimal's '.' is followed by digits only"),
            Some(f) if f.len() > MAX_DECIMAL_SCALE as usize => {
                invalid("a decimal has at most 28 digits after the point")
            }
            _ => Ok(Decimal {
                text: text.to_string(),
            }),
        }
    }
}

/// True for a non-empty run of ASCII digits.
fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

impl FromStr for Decimal {
    type Err = QueryError;

    /// Same as [`Decimal::parse`].
    fn from_str(text: &str) -> Result<Decimal, QueryError> {
        Decimal::parse(text)
    }
}

/// A literal on the right of a comparison or in an `in` list.
///
/// Every value has a literal form: build one with `From` (strings, integers, booleans,
/// ids, dates, [`Special`], [`Decimal`], `Option` for `null`), with
/// [`Value::float`] (which rejects NaN and infinities) or [`Value::null`].
/// `Display` writes the literal, quoted and escaped; it is handy inside
/// [`Filter::raw`] text.
#[derive(Debug, Clone, PartialEq)]
pub struct Value(Literal);

#[derive(Debug, Clone, PartialEq)]
enum Literal {
    Null,
    Bool(bool),
    Int(i64),
    /// Always finite.
    Float(f64),
    Decimal(Decimal),
    Str(String),
    Guid(Uuid),
    Date(NaiveDate),
    DateTime(NaiveDateTime),
    Utc(DateTime<Utc>),
    Special(Special),
}

impl Value {
    /// `null`.
    pub fn null() -> Value {
        Value(Literal::Null)
    }

    /// A floating-point literal such as `2.029`; NaN and infinities have none.
    pub fn float(x: f64) -> Result<Value, QueryError> {
        if x.is_finite() {
            Ok(Value(Literal::Float(x)))
        } else {
            Err(QueryError::value(
                x.to_string(),
                "only finite numbers can be written",
            ))
        }
    }
}

impl fmt::Display for Value {
    /// Writes the literal as it appears in a filter.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Literal::Null => f.write_str("null"),
            Literal::Bool(b) => write!(f, "{b}"),
            Literal::Int(n) => write!(f, "{n}"),
            Literal::Float(x) => write_float(f, *x),
            Literal::Decimal(d) => write!(f, "{}M", d.text),
            Literal::Str(s) => write_quoted(f, s),
            Literal::Guid(id) => write!(f, "guid'{}'", id.hyphenated()),
            Literal::Date(d) => write!(f, "datetime'{}'", d.format("%Y-%m-%d")),
            Literal::DateTime(t) => write!(f, "datetime'{}'", date_time_text(t)),
            Literal::Utc(t) => write!(f, "datetime'{}Z'", date_time_text(&t.naive_utc())),
            Literal::Special(s) => write!(f, "{s}"),
        }
    }
}

/// `'…'` with every `'` inside written twice, so the text cannot end the literal.
fn write_quoted(f: &mut fmt::Formatter<'_>, text: &str) -> fmt::Result {
    f.write_str("'")?;
    for (index, piece) in text.split('\'').enumerate() {
        if index > 0 {
            f.write_str("''")?;
        }
        f.write_str(piece)?;
    }
    f.write_str("'")
}

/// Plain decimal notation (never an exponent) with at least one digit after the point.
fn write_float(f: &mut fmt::Formatter<'_>, x: f64) -> fmt::Result {
    let text = x.to_string();
    if text.contains('.') {
        f.write_str(&text)
    } else {
        write!(f, "{text}.0")
    }
}

/// `2024-05-01T10:00:00`, plus the fraction of the second when there is one.
fn date_time_text(t: &NaiveDateTime) -> String {
    format!(
        "{}{}",
        t.format("%Y-%m-%dT%H:%M:%S"),
        fraction_text(t.nanosecond())
    )
}

/// `.5`, `.1234567`, or nothing: the fraction cut to 100 ns, trailing zeros dropped.
fn fraction_text(nanos: u32) -> String {
    let nanos = nanos % 1_000_000_000; // a leap second is already counted in `%S`
    let digits = format!("{nanos:09}");
    let kept = digits[..FRACTION_DIGITS].trim_end_matches('0');
    if kept.is_empty() {
        String::new()
    } else {
        format!(".{kept}")
    }
}

macro_rules! value_from {
    ($($source:ty => |$v:ident| $literal:expr;)*) => {$(
        impl From<$source> for Value {
            fn from($v: $source) -> Value {
                Value($literal)
            }
        }

        impl IntoValue for $source {
            fn into_value(self) -> Result<Value, QueryError> {
                Ok(Value::from(self))
            }
        }
    )*};
}

value_from! {
    bool => |v| Literal::Bool(v);
    i32 => |v| Literal::Int(i64::from(v));
    i64 => |v| Literal::Int(v);
    u32 => |v| Literal::Int(i64::from(v));
    &str => |v| Literal::Str(v.to_string());
    &String => |v| Literal::Str(v.clone());
    String => |v| Literal::Str(v);
    Uuid => |v| Literal::Guid(v);
    NaiveDate => |v| Literal::Date(v);
    NaiveDateTime => |v| Literal::DateTime(v);
    DateTime<Utc> => |v| Literal::Utc(v);
    Special => |v| Literal::Special(v);
    Decimal => |v| Literal::Decimal(v);
}

impl TryFrom<f64> for Value {
    type Error = QueryError;

    /// Same as [`Value::float`].
    fn try_from(x: f64) -> Result<Value, QueryError> {
        Value::float(x)
    }
}

/// Anything that can stand on the right of a comparison. Conversion may fail (a NaN
/// `f64`); the error then surfaces when the filter is built.
pub trait IntoValue {
    /// The literal, or why there is none.
    fn into_value(self) -> Result<Value, QueryError>;
}

impl IntoValue for Value {
    fn into_value(self) -> Result<Value, QueryError> {
        Ok(self)
    }
}

impl IntoValue for f64 {
    fn into_value(self) -> Result<Value, QueryError> {
        Value::float(self)
    }
}

impl<T: IntoValue> IntoValue for Option<T> {
    /// `None` is `null`.
    fn into_value(self) -> Result<Value, QueryError> {
        self.map_or(Ok(Value::null()), IntoValue::into_value)
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    /// `None` is `null`.
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::null(), Into::into)
    }
}

// ---------------------------------------------------------------------------------
// The expression tree
// ---------------------------------------------------------------------------------

/// How tightly a piece of an expression binds; a piece placed where a tighter one is
/// needed gets parentheses. The order follows OData: `not` binds tighter than a
/// comparison, so `not (a eq 1)` needs its parentheses while `not startswith(…)` does
/// not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// Raw text, or the whole expression.
    Top,
    Or,
    And,
    Comparison,
    Not,
    /// A function call or collection test.
    Primary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Eq,
    Ne,
    Gt,
    Lt,
    Ge,
    Le,
}

impl Op {
    fn word(self) -> &'static str {
        match self {
            Op::Eq => "eq",
            Op::Ne => "ne",
            Op::Gt => "gt",
            Op::Lt => "lt",
            Op::Ge => "ge",
            Op::Le => "le",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum TextFn {
    StartsWith,
    EndsWith,
    /// `substringof(needle,prop)`: note the reversed argument order.
    SubstringOf,
}

/// The left side of a comparison: a path, possibly wrapped in `tolower(…)`.
#[derive(Debug, Clone, PartialEq)]
struct Operand {
    path: Path,
    lower: bool,
}

impl fmt::Display for Operand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.lower {
            write!(f, "tolower({})", self.path.as_str())
        } else {
            f.write_str(self.path.as_str())
        }
    }
}

/// `var: body` inside `any(…)` or `count(…)`.
#[derive(Debug, Clone, PartialEq)]
struct Lambda {
    var: Path,
    body: Box<Node>,
}

impl fmt::Display for Lambda {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: ", self.var.as_str())?;
        self.body.write_at(f, Level::Top)
    }
}

/// A checked expression: every path and value in it is valid.
#[derive(Debug, Clone, PartialEq)]
enum Node {
    Compare {
        left: Operand,
        op: Op,
        right: Value,
    },
    In {
        left: Operand,
        values: Vec<Value>,
    },
    Text {
        func: TextFn,
        left: Operand,
        arg: Value,
    },
    Any {
        path: Path,
        lambda: Option<Lambda>,
        none: bool,
    },
    Count {
        path: Path,
        lambda: Option<Lambda>,
        op: Op,
        n: i64,
    },
    And(Box<Node>, Box<Node>),
    Or(Box<Node>, Box<Node>),
    Not(Box<Node>),
    Raw(String),
}

impl Node {
    fn level(&self) -> Level {
        match self {
            Node::Raw(_) => Level::Top,
            Node::Or(..) => Level::Or,
            Node::And(..) => Level::And,
            Node::Compare { .. } | Node::In { .. } | Node::Count { .. } => Level::Comparison,
            Node::Any { none: true, .. } => Level::Comparison,
            Node::Not(_) => Level::Not,
            Node::Text { .. } | Node::Any { none: false, .. } => Level::Primary,
        }
    }

    /// Writes the node where something binding at least as tightly as `needed` is
    /// expected, adding parentheses if it binds more loosely. Raw text is
    /// parenthesized whenever it is not the whole expression.
    fn write_at(&self, f: &mut fmt::Formatter<'_>, needed: Level) -> fmt::Result {
        if self.level() < needed {
            f.write_str("(")?;
            self.write_bare(f)?;
            f.write_str(")")
        } else {
            self.write_bare(f)
        }
    }

    fn write_bare(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Compare { left, op, right } => write!(f, "{left} {} {right}", op.word()),
            Node::In { left, values } => write_in(f, left, values),
            Node::Text { func, left, arg } => write_text_fn(f, *func, left, arg),
            Node::Any { path, lambda, none } => write_any(f, path, lambda.as_ref(), *none),
            Node::Count {
                path,
                lambda,
                op,
                n,
            } => write_count(f, path, lambda.as_ref(), *op, *n),
            Node::And(a, b) => write_infix(f, a, "and", b, Level::And),
            Node::Or(a, b) => write_infix(f, a, "or", b, Level::Or),
            Node::Not(inner) => {
                f.write_str("not ")?;
                inner.write_at(f, Level::Not)
            }
            Node::Raw(text) => f.write_str(text),
        }
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_at(f, Level::Top)
    }
}

/// `a and b` / `a or b`. Both operators are associative, so a child of the same
/// operator needs no parentheses on either side.
fn write_infix(
    f: &mut fmt::Formatter<'_>,
    a: &Node,
    word: &str,
    b: &Node,
    level: Level,
) -> fmt::Result {
    a.write_at(f, level)?;
    write!(f, " {word} ")?;
    b.write_at(f, level)
}

fn write_in(f: &mut fmt::Formatter<'_>, left: &Operand, values: &[Value]) -> fmt::Result {
    write!(f, "{left} in (")?;
    for (index, value) in values.iter().enumerate() {
        if index > 0 {
            f.write_str(",")?;
        }
        write!(f, "{value}")?;
    }
    f.write_str(")")
}

fn write_text_fn(
    f: &mut fmt::Formatter<'_>,
    func: TextFn,
    left: &Operand,
    arg: &Value,
) -> fmt::Result {
    match func {
        TextFn::StartsWith => write!(f, "startswith({left},{arg})"),
        TextFn::EndsWith => write!(f, "endswith({left},{arg})"),
        TextFn::SubstringOf => write!(f, "substringof({arg},{left})"),
    }
}

fn write_any(
    f: &mut fmt::Formatter<'_>,
    path: &Path,
    lambda: Option<&Lambda>,
    none: bool,
) -> fmt::Result {
    write!(f, "{}/any(", path.as_str())?;
    if let Some(lambda) = lambda {
        write!(f, "{lambda}")?;
    }
    f.write_str(if none { ") eq false" } else { ")" })
}

fn write_count(
    f: &mut fmt::Formatter<'_>,
    path: &Path,
    lambda: Option<&Lambda>,
    op: Op,
    n: i64,
) -> fmt::Result {
    write!(f, "{}/count(", path.as_str())?;
    if let Some(lambda) = lambda {
        write!(f, "{lambda}")?;
    }
    write!(f, ") {} {n}", op.word())
}

// ---------------------------------------------------------------------------------
// The builders
// ---------------------------------------------------------------------------------

/// A `filterby` expression.
///
/// Start from [`prop`] (or [`Filter::raw`]), combine with [`and`](Filter::and),
/// [`or`](Filter::or) and [`not`](Filter::not), and get the text with
/// [`build`](Filter::build) or `String::try_from`. A bad property path or value
/// anywhere inside is kept and reported by `build` (the first one, reading left to
/// right), so a broken expression is never produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter(Result<Node, QueryError>);

impl Filter {
    /// Text used as it is, without any check: for syntax the builders do not cover.
    /// When combined with other parts it is wrapped in parentheses, so its own `and`
    /// and `or` stay together; quoting values inside it is up to the caller
    /// ([`Value`]'s `Display` does it).
    pub fn raw(text: impl Into<String>) -> Filter {
        Filter(Ok(Node::Raw(text.into())))
    }

    /// Both `self` and `other` must hold: `self and other`.
    pub fn and(self, other: Filter) -> Filter {
        combine(self, other, Node::And)
    }

    /// At least one of `self` and `other` must hold: `self or other`.
    pub fn or(self, other: Filter) -> Filter {
        combine(self, other, Node::Or)
    }

    /// `self` must not hold: `not self`.
    // An inherent method so that `.not()` needs no `use std::ops::Not`.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Filter {
        Filter(self.0.map(|node| Node::Not(Box::new(node))))
    }

    /// The expression text, or the first bad property path or value in it.
    pub fn build(&self) -> Result<String, QueryError> {
        self.0.as_ref().map(Node::to_string).map_err(Clone::clone)
    }
}

/// Joins two filters with `join`, or keeps the first error (left before right).
fn combine(a: Filter, b: Filter, join: fn(Box<Node>, Box<Node>) -> Node) -> Filter {
    match (a.0, b.0) {
        (Ok(a), Ok(b)) => Filter(Ok(join(Box::new(a), Box::new(b)))),
        (Err(e), _) | (_, Err(e)) => Filter(Err(e)),
    }
}

impl TryFrom<Filter> for String {
    type Error = QueryError;

    /// Same as [`Filter::build`].
    fn try_from(filter: Filter) -> Result<String, QueryError> {
        filter.build()
    }
}

impl TryFrom<&Filter> for String {
    type Error = QueryError;

    /// Same as [`Filter::build`].
    fn try_from(filter: &Filter) -> Result<String, QueryError> {
        filter.build()
    }
}

/// A property path such as `userId` or `project/name`, the start of a condition.
///
/// The path is checked here: names of ASCII letters, digits and `_` (not starting
/// with a digit) joined by `/`, the first not a keyword like `and` or `null`. A bad
/// path is reported by [`Filter::build`].
pub fn prop(path: impl AsRef<str>) -> Prop {
    Prop {
        path: Path::parse(path.as_ref()),
    }
}

/// A property, the left side of a condition; made by [`prop`].
#[derive(Debug, Clone)]
pub struct Prop {
    path: Result<Path, QueryError>,
}

/// A lower-cased property, `tolower(prop)`, for comparisons that ignore case; made by
/// [`Prop::tolower`].
#[derive(Debug, Clone)]
pub struct Lowered {
    path: Result<Path, QueryError>,
}

/// The size of a collection, `prop/count()` or `prop/count(var: …)`, to compare with
/// a number; made by [`Prop::count`] and [`Prop::count_with`].
#[derive(Debug, Clone)]
pub struct Count {
    target: Result<(Path, Option<Lambda>), QueryError>,
}

/// The comparison and text-function methods shared by [`Prop`] and [`Lowered`].
macro_rules! condition_methods {
    ($lhs:literal) => {
        #[doc = concat!("Equal: `", $lhs, " eq value`.")]
        pub fn eq(self, value: impl IntoValue) -> Filter {
            compare(self.operand(), Op::Eq, value)
        }

        #[doc = concat!("Not equal: `", $lhs, " ne value`.")]
        pub fn ne(self, value: impl IntoValue) -> Filter {
            compare(self.operand(), Op::Ne, value)
        }

        #[doc = concat!("Greater than: `", $lhs, " gt value`.")]
        pub fn gt(self, value: impl IntoValue) -> Filter {
            compare(self.operand(), Op::Gt, value)
        }

        #[doc = concat!("Less than: `", $lhs, " lt value`.")]
        pub fn lt(self, value: impl IntoValue) -> Filter {
            compare(self.operand(), Op::Lt, value)
        }

        #[doc = concat!("Greater than or equal: `", $lhs, " ge value`.")]
        pub fn ge(self, value: impl IntoValue) -> Filter {
            compare(self.operand(), Op::Ge, value)
        }

        #[doc = concat!("Less than or equal: `", $lhs, " le value`.")]
        pub fn le(self, value: impl IntoValue) -> Filter {
            compare(self.operand(), Op::Le, value)
        }

        #[doc = concat!("One of `values`: `", $lhs, " in ('a','b')`. An empty list is an error.")]
        pub fn is_in<V: IntoValue>(self, values: impl IntoIterator<Item = V>) -> Filter {
            one_of(self.operand(), values)
        }

        #[doc = concat!("Starts with `prefix`: `startswith(", $lhs, ",'prefix')`.")]
        pub fn startswith(self, prefix: impl Into<String>) -> Filter {
            text_fn(self.operand(), TextFn::StartsWith, prefix.into())
        }

        #[doc = concat!("Ends with `suffix`: `endswith(", $lhs, ",'suffix')`.")]
        pub fn endswith(self, suffix: impl Into<String>) -> Filter {
            text_fn(self.operand(), TextFn::EndsWith, suffix.into())
        }

        #[doc = concat!("Contains `needle`: `substringof('needle',", $lhs, ")`.")]
        #[doc(alias = "substringof")]
        pub fn contains(self, needle: impl Into<String>) -> Filter {
            text_fn(self.operand(), TextFn::SubstringOf, needle.into())
        }
    };
}

impl Prop {
    condition_methods!("prop");

    /// The property lower-cased, `tolower(prop)`: `prop("name").tolower().eq("abc")`
    /// is `tolower(name) eq 'abc'`.
    pub fn tolower(self) -> Lowered {
        Lowered { path: self.path }
    }

    /// The collection has at least one element: `prop/any()`.
    pub fn any(self) -> Filter {
        any(self.path, None, false)
    }

    /// Some element matches `predicate`: `prop/any(var: predicate)`. Inside the
    /// predicate, reach the element through `var`: `prop("t/name")`.
    pub fn any_with(self, var: &str, predicate: Filter) -> Filter {
        any(self.path, Some((var, predicate)), false)
    }

    /// The collection is empty: `prop/any() eq false`.
    pub fn none(self) -> Filter {
        any(self.path, None, true)
    }

    /// No element matches `predicate`: `prop/any(var: predicate) eq false`.
    pub fn none_with(self, var: &str, predicate: Filter) -> Filter {
        any(self.path, Some((var, predicate)), true)
    }

    /// The number of elements, `prop/count()`, to compare with a number:
    /// `prop("members").count().lt(10)`.
    pub fn count(self) -> Count {
        Count {
            target: self.path.map(|path| (path, None)),
        }
    }

    /// The number of elements matching `predicate`, `prop/count(var: predicate)`:
    /// `prop("members").count_with("m", prop("m/firstName").eq("Neil")).gt(0)`.
    pub fn count_with(self, var: &str, predicate: Filter) -> Count {
        let target = self
            .path
            .and_then(|path| Ok((path, Some(lambda(var, predicate)?))));
        Count { target }
    }

    fn operand(self) -> Result<Operand, QueryError> {
        self.path.map(|path| Operand { path, lower: false })
    }
}

impl Lowered {
    condition_methods!("tolower(prop)");

    fn operand(self) -> Result<Operand, QueryError> {
        self.path.map(|path| Operand { path, lower: true })
    }
}

/// The six comparisons of a collection's size with `n`.
macro_rules! count_methods {
    ($($name:ident => $op:ident, $doc:literal;)*) => {$(
        #[doc = concat!($doc, ": `prop/count(…) ", stringify!($name), " n`.")]
        pub fn $name(self, n: i64) -> Filter {
            self.compare(Op::$op, n)
        }
    )*};
}

impl Count {
    count_methods! {
        eq => Eq, "Exactly `n` elements";
        ne => Ne, "Not exactly `n` elements";
        gt => Gt, "More than `n` elements";
        lt => Lt, "Fewer than `n` elements";
        ge => Ge, "At least `n` elements";
        le => Le, "At most `n` elements";
    }

    fn compare(self, op: Op, n: i64) -> Filter {
        Filter(self.target.map(|(path, lambda)| Node::Count {
            path,
            lambda,
            op,
            n,
        }))
    }
}

fn compare(left: Result<Operand, QueryError>, op: Op, value: impl IntoValue) -> Filter {
    let node = left.and_then(|left| {
        let right = value.into_value()?;
        Ok(Node::Compare { left, op, right })
    });
    Filter(node)
}

fn one_of<V: IntoValue>(
    left: Result<Operand, QueryError>,
    values: impl IntoIterator<Item = V>,
) -> Filter {
    let node = left.and_then(|left| {
        let values = values
            .into_iter()
            .map(IntoValue::into_value)
            .collect::<Result<Vec<_>, _>>()?;
        if values.is_empty() {
            return Err(QueryError::value(
                format!("{left} in ()"),
                "an `in` list needs at least one value",
            ));
        }
        Ok(Node::In { left, values })
    });
    Filter(node)
}

fn text_fn(left: Result<Operand, QueryError>, func: TextFn, arg: String) -> Filter {
    let node = left.map(|left| Node::Text {
        func,
        left,
        arg: Value::from(arg),
    });
    Filter(node)
}

fn any(path: Result<Path, QueryError>, predicate: Option<(&str, Filter)>, none: bool) -> Filter {
    let node = path.and_then(|path| {
        let lambda = predicate.map(|(var, body)| lambda(var, body)).transpose()?;
        Ok(Node::Any { path, lambda, none })
    });
    Filter(node)
}

fn lambda(var: &str, predicate: Filter) -> Result<Lambda, QueryError> {
    let var = Path::variable(var)?;
    let body = Box::new(predicate.0?);
    Ok(Lambda { var, body })
}
