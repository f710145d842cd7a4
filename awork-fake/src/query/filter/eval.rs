//! Deciding whether an item (any JSON model) matches a `filterby` expression.
//!
//! Values compare by what they are, not how they are spelled: a GUID property equals a
//! `guid'…'` literal in any letter case, a date-time property compares with a
//! `datetime'…'` literal as an instant (a literal without offset is UTC, one without a
//! time is midnight UTC), and a date property (`2024-05-06`) compares by day, whatever
//! time the literal names. Text compares without regard to case, as awork's database
//! does. `null` equals only `null`, and is neither greater nor less than anything.

use std::borrow::Cow;
use std::cmp::Ordering;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::parse::{Collection, Expr, Func, Literal, Op, Operand};

/// What the special values stand for in one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Context {
    /// `me.id`: the user the request acts for.
    pub(crate) me: Uuid,
    /// `now`; `today`, `sow`, … are days of it (UTC).
    pub(crate) now: DateTime<Utc>,
}

/// A value met while evaluating.
#[derive(Debug, Clone, PartialEq)]
enum Val<'a> {
    Null,
    Bool(bool),
    Number(f64),
    Text(Cow<'a, str>),
    Guid(Uuid),
    /// An instant; `day_only` when it names a whole day.
    Instant {
        at: DateTime<Utc>,
        day_only: bool,
    },
    /// An object or an array.
    Json(&'a Value),
}

/// The item and the lambda variables in reach.
struct Scope<'a> {
    item: &'a Value,
    vars: Vec<(&'a str, &'a Value)>,
}

/// Whether `item` matches `expr`. `Err` names an expression that makes no sense for the
/// values it meets (`startswith(42,'a')`).
pub(crate) fn matches(expr: &Expr, item: &Value, context: &Context) -> Result<bool, String> {
    let scope = Scope {
        item,
        vars: Vec::new(),
    };
    truth(expr, &scope, context)
}

fn truth(expr: &Expr, scope: &Scope<'_>, context: &Context) -> Result<bool, String> {
    Ok(match expr {
        Expr::Or(a, b) => truth(a, scope, context)? || truth(b, scope, context)?,
        Expr::And(a, b) => truth(a, scope, context)? && truth(b, scope, context)?,
        Expr::Not(inner) => !truth(inner, scope, context)?,
        Expr::Compare(left, op, right) => {
            let left = value(left, scope, context)?;
            let right = value(right, scope, context)?;
            decide(compare(&left, &right), *op)
        }
        Expr::In(left, options) => {
            let left = value(left, scope, context)?;
            let mut found = false;
            for option in options {
                if compare(&left, &value(option, scope, context)?) == Some(Ordering::Equal) {
                    found = true;
                    break;
                }
            }
            found
        }
        Expr::Test(operand) => match value(operand, scope, context)? {
            Val::Bool(b) => b,
            Val::Null => false,
            other => return Err(format!("{} is not true or false", show(&other))),
        },
    })
}

fn decide(order: Option<Ordering>, op: Op) -> bool {
    match op {
        Op::Eq => order == Some(Ordering::Equal),
        Op::Ne => order != Some(Ordering::Equal),
        Op::Gt => order == Some(Ordering::Greater),
        Op::Ge => matches!(order, Some(Ordering::Greater | Ordering::Equal)),
        Op::Lt => order == Some(Ordering::Less),
        Op::Le => matches!(order, Some(Ordering::Less | Ordering::Equal)),
    }
}

fn value<'a>(
    operand: &'a Operand,
    scope: &Scope<'a>,
    context: &Context,
) -> Result<Val<'a>, String> {
    match operand {
        Operand::Literal(literal) => literal_value(literal, context),
        Operand::Path(path) => Ok(json_value(lookup(path, scope))),
        Operand::Group(expr) => truth(expr, scope, context).map(Val::Bool),
        Operand::Call(func, args) => call(*func, args, scope, context),
        Operand::Collection { path, test, lambda } => {
            let items: &[Value] = match lookup(path, scope) {
                Some(Value::Array(items)) => items,
                Some(Value::Null) | None => &[],
                Some(_) => return Err(format!("'{}' is not a collection", path.join("/"))),
            };
            let mut count = 0usize;
            for item in items {
                let hit = match lambda {
                    None => true,
                    Some((var, predicate)) => {
                        let mut vars = scope.vars.clone();
                        vars.push((var.as_str(), item));
                        truth(
                            predicate,
                            &Scope {
                                item: scope.item,
                                vars,
                            },
                            context,
                        )?
                    }
                };
                count += usize::from(hit);
            }
            Ok(match test {
                Collection::Any => Val::Bool(count > 0),
                Collection::Count => Val::Number(count as f64),
            })
        }
    }
}

fn call<'a>(
    func: Func,
    args: &'a [Operand],
    scope: &Scope<'a>,
    context: &Context,
) -> Result<Val<'a>, String> {
    let mut texts = Vec::with_capacity(args.len());
    for arg in args {
        texts.push(match value(arg, scope, context)? {
            Val::Text(text) => Some(text),
            Val::Null => None,
            Val::Guid(id) => Some(Cow::Owned(id.to_string())),
            other => return Err(format!("{} is not text", show(&other))),
        });
    }
    let lower = |text: &Option<Cow<'_, str>>| text.as_deref().map(str::to_lowercase);
    let pair = |a: usize, b: usize| (lower(&texts[a]), lower(&texts[b]));
    Ok(match func {
        Func::StartsWith => match pair(0, 1) {
            (Some(hay), Some(needle)) => Val::Bool(hay.starts_with(&needle)),
            _ => Val::Bool(false),
        },
        Func::EndsWith => match pair(0, 1) {
            (Some(hay), Some(needle)) => Val::Bool(hay.ends_with(&needle)),
            _ => Val::Bool(false),
        },
        Func::SubstringOf => match pair(1, 0) {
            (Some(hay), Some(needle)) => Val::Bool(hay.contains(&needle)),
            _ => Val::Bool(false),
        },
        Func::Contains => match pair(0, 1) {
            (Some(hay), Some(needle)) => Val::Bool(hay.contains(&needle)),
            _ => Val::Bool(false),
        },
        Func::ToLower => texts[0]
            .as_deref()
            .map_or(Val::Null, |t| Val::Text(Cow::Owned(t.to_lowercase()))),
        Func::ToUpper => texts[0]
            .as_deref()
            .map_or(Val::Null, |t| Val::Text(Cow::Owned(t.to_uppercase()))),
        Func::Trim => texts[0]
            .as_deref()
            .map_or(Val::Null, |t| Val::Text(Cow::Owned(t.trim().to_owned()))),
        Func::Length => texts[0]
            .as_deref()
            .map_or(Val::Null, |t| Val::Number(t.chars().count() as f64)),
    })
}

fn literal_value<'a>(literal: &'a Literal, context: &Context) -> Result<Val<'a>, String> {
    let today = context.now.date_naive();
    Ok(match literal {
        Literal::Null => Val::Null,
        Literal::Bool(b) => Val::Bool(*b),
        Literal::Number(n) => Val::Number(*n),
        Literal::Text(text) => Val::Text(Cow::Borrowed(text)),
        Literal::Guid(text) => {
            Val::Guid(Uuid::parse_str(text).map_err(|_| format!("guid'{text}' is not a GUID"))?)
        }
        Literal::DateTime(text) => {
            instant(text).ok_or_else(|| format!("datetime'{text}' is not a date or date-time"))?
        }
        Literal::Me => Val::Guid(context.me),
        Literal::Now => Val::Instant {
            at: context.now,
            day_only: false,
        },
        Literal::Today(days) => day(today + Duration::days(*days)),
        Literal::StartOfWeek => {
            day(today - Duration::days(i64::from(today.weekday().num_days_from_monday())))
        }
        Literal::EndOfWeek => {
            day(today + Duration::days(6 - i64::from(today.weekday().num_days_from_monday())))
        }
        Literal::StartOfMonth => day(today.with_day(1).unwrap_or(today)),
        Literal::EndOfMonth => day(last_of_month(today)),
    })
}

fn day(date: NaiveDate) -> Val<'static> {
    Val::Instant {
        at: date.and_time(NaiveTime::MIN).and_utc(),
        day_only: true,
    }
}

fn last_of_month(date: NaiveDate) -> NaiveDate {
    let (year, month) = match date.month() {
        12 => (date.year() + 1, 1),
        m => (date.year(), m + 1),
    };
    NaiveDate::from_ymd_opt(year, month, 1).map_or(date, |first| first - Duration::days(1))
}

/// A date or date-time text as an instant: with an offset it is exact, without one it
/// is UTC, a bare date is a whole day.
fn instant(text: &str) -> Option<Val<'static>> {
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(Val::Instant {
            at: at.to_utc(),
            day_only: false,
        });
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M"] {
        if let Ok(at) = NaiveDateTime::parse_from_str(text, format) {
            return Some(Val::Instant {
                at: at.and_utc(),
                day_only: false,
            });
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok().map(day)
}

/// The value at `path`, property names compared without regard to case.
fn lookup<'a>(path: &[String], scope: &Scope<'a>) -> Option<&'a Value> {
    let (mut current, rest) = match scope.vars.iter().rev().find(|(var, _)| *var == path[0]) {
        Some((_, bound)) => (*bound, &path[1..]),
        None => (scope.item, path),
    };
    for name in rest {
        current = property(current, name)?;
    }
    Some(current)
}

/// Property `name` of an object: the exact key, else one that differs in case only.
pub(crate) fn property<'a>(value: &'a Value, name: &str) -> Option<&'a Value> {
    let object = value.as_object()?;
    object.get(name).or_else(|| {
        object
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

fn json_value(value: Option<&Value>) -> Val<'_> {
    match value {
        None | Some(Value::Null) => Val::Null,
        Some(Value::Bool(b)) => Val::Bool(*b),
        Some(Value::Number(n)) => Val::Number(n.as_f64().unwrap_or(f64::NAN)),
        Some(Value::String(text)) => Val::Text(Cow::Borrowed(text)),
        Some(other) => Val::Json(other),
    }
}

/// How two values order; `None` when they do not compare (null, or unlike kinds).
pub(crate) fn compare_json(a: &Value, b: &Value) -> Option<Ordering> {
    compare(&json_value(Some(a)), &json_value(Some(b)))
}

fn compare(a: &Val<'_>, b: &Val<'_>) -> Option<Ordering> {
    match (a, b) {
        (Val::Null, Val::Null) => Some(Ordering::Equal),
        (Val::Null, _) | (_, Val::Null) => None,
        (Val::Number(x), Val::Number(y)) => x.partial_cmp(y),
        (Val::Bool(x), Val::Bool(y)) => Some(x.cmp(y)),
        (Val::Guid(x), Val::Guid(y)) => Some(x.cmp(y)),
        (Val::Text(text), Val::Guid(id)) => Uuid::parse_str(text).ok().map(|t| t.cmp(id)),
        (Val::Guid(_), Val::Text(_)) => compare(b, a).map(Ordering::reverse),
        (Val::Instant { .. }, Val::Instant { .. }) => compare_instants(a, b),
        (Val::Text(text), Val::Instant { .. }) => {
            instant(text).and_then(|t| compare_instants(&t, b))
        }
        (Val::Instant { .. }, Val::Text(_)) => compare(b, a).map(Ordering::reverse),
        (Val::Text(x), Val::Text(y)) => match (instant(x), instant(y)) {
            (Some(tx), Some(ty)) => compare_instants(&tx, &ty),
            _ => Some(x.to_lowercase().cmp(&y.to_lowercase())),
        },
        (Val::Text(text), Val::Number(n)) => text
            .trim()
            .parse::<f64>()
            .ok()
            .and_then(|t| t.partial_cmp(n)),
        (Val::Number(_), Val::Text(_)) => compare(b, a).map(Ordering::reverse),
        _ => None,
    }
}

/// A stored whole day (`2024-05-06`) compares by day; otherwise by instant.
fn compare_instants(stored: &Val<'_>, other: &Val<'_>) -> Option<Ordering> {
    let (
        Val::Instant {
            at: x,
            day_only: x_day,
        },
        Val::Instant {
            at: y,
            day_only: y_day,
        },
    ) = (stored, other)
    else {
        return None;
    };
    match *x_day && !*y_day {
        true => Some(x.date_naive().cmp(&y.date_naive())),
        false => Some(x.cmp(y)),
    }
}

fn show(value: &Val<'_>) -> String {
    match value {
        Val::Null => "null".into(),
        Val::Bool(b) => b.to_string(),
        Val::Number(n) => n.to_string(),
        Val::Text(t) => format!("'{t}'"),
        Val::Guid(g) => format!("guid'{g}'"),
        Val::Instant { at, .. } => format!("datetime'{}'", at.to_rfc3339()),
        Val::Json(Value::Array(_)) => "a collection".into(),
        Val::Json(_) => "an object".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::super::{lexer::tokens, parse::parse};
    use super::*;
    use serde_json::json;

    fn context() -> Context {
        Context {
            me: Uuid::from_u128(7),
            now: DateTime::parse_from_rfc3339("2024-05-08T15:00:00Z")
                .unwrap()
                .to_utc(),
        }
    }

    fn check(filter: &str, item: &Value) -> bool {
        let expr = parse(&tokens(filter).unwrap()).unwrap();
        matches(&expr, item, &context()).unwrap()
    }

    fn task() -> Value {
        json!({
            "id": "0a3c0de0-fa4e-4a11-8000-000000000001",
            "Name": "Write O'Brien's report",
            "userId": "00000000-0000-0000-0000-000000000007",
            "duration": 3600,
            "isBillable": true,
            "startDate": "2024-05-06",
            "startOn": "2024-05-06T22:30:00+02:00",
            "projectId": null,
            "company": {"name": "awork"},
            "members": [{"firstName": "Neil"}, {"firstName": "Ada"}]
        })
    }

    #[test]
    fn compares_guids_numbers_booleans_and_text() {
        let t = task();
        assert!(check(
            "id eq guid'0A3C0DE0-FA4E-4A11-8000-000000000001'",
            &t
        ));
        assert!(check("userId eq me.id", &t));
        assert!(check(
            "duration gt 3599 and duration le 3600 and isBillable eq true",
            &t
        ));
        assert!(
            check("name eq 'write o''brien''s report'", &t),
            "property names and text ignore case"
        );
        assert!(check("company/name eq 'awork'", &t));
        assert!(check("projectId eq null and not (projectId ne null)", &t));
        assert!(
            !check("projectId gt 1", &t),
            "null is neither greater nor less"
        );
        assert!(check("duration in (1, 3600)", &t));
    }

    #[test]
    fn compares_days_and_instants() {
        let t = task();
        assert!(
            check("startDate eq datetime'2024-05-06T18:00'", &t),
            "a day compares by day"
        );
        assert!(check("startDate lt today and startDate ge sow", &t));
        assert!(
            check("startOn lt datetime'2024-05-06T21:00:00Z'", &t),
            "offsets count"
        );
        assert!(
            check("startOn ge datetime'2024-05-06'", &t),
            "a bare date is midnight UTC"
        );
        assert!(check("startOn gt today-3d and startOn lt now", &t));
    }

    #[test]
    fn functions_and_collections() {
        let t = task();
        assert!(check("startswith(tolower(name),'write')", &t));
        assert!(check(
            "substringof('brien',name) and endswith(name,'REPORT')",
            &t
        ));
        assert!(check("members/any(m: m/firstName eq 'Neil')", &t));
        assert!(check("members/any(m: m/firstName eq 'Bob') eq false", &t));
        assert!(check(
            "members/count() eq 2 and members/count(m: startswith(m/firstName,'A')) eq 1",
            &t
        ));
        assert!(
            check("tags/any() eq false", &t),
            "a missing collection is empty"
        );
    }

    #[test]
    fn nonsense_for_the_values_met_is_an_error() {
        let expr = parse(&tokens("startswith(duration,'1')").unwrap()).unwrap();
        assert!(
            matches(&expr, &task(), &context())
                .unwrap_err()
                .contains("not text")
        );
        let expr = parse(&tokens("name").unwrap()).unwrap();
        assert!(
            matches(&expr, &task(), &context())
                .unwrap_err()
                .contains("not true or false")
        );
    }
}
