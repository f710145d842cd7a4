//! Tests of the `query` builders: exact output per operator, literal and function,
//! parentheses, escaping, checks, and property tests that read the output back.

use super::*;
use chrono::{NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use uuid::Uuid;

/// The text of a filter that must be valid.
fn text(filter: Filter) -> String {
    match filter.build() {
        Ok(text) => text,
        Err(e) => panic!("expected a valid filter, got {e}"),
    }
}

/// The error of a filter that must be invalid.
fn error(filter: Filter) -> QueryError {
    match filter.build() {
        Ok(text) => panic!("expected an error, got {text:?}"),
        Err(e) => e,
    }
}

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2024, 5, 1).unwrap()
}

fn id() -> Uuid {
    Uuid::parse_str("12345678-AAAA-bbbb-cccc-ddddeeeeffff").unwrap()
}

// --- comparisons --------------------------------------------------------------------

#[test]
fn eq_writes_property_operator_value() {
    assert_eq!(text(prop("name").eq("x")), "name eq 'x'");
}

#[test]
fn ne_gt_lt_ge_le_use_their_words() {
    assert_eq!(text(prop("n").ne(1)), "n ne 1");
    assert_eq!(text(prop("n").gt(2)), "n gt 2");
    assert_eq!(text(prop("n").lt(3)), "n lt 3");
    assert_eq!(text(prop("n").ge(4)), "n ge 4");
    assert_eq!(text(prop("n").le(5)), "n le 5");
}

#[test]
fn nested_paths_keep_their_slashes() {
    assert_eq!(
        text(prop("company/name").eq("awork")),
        "company/name eq 'awork'"
    );
    assert_eq!(
        text(prop("project/projectStatus/type").ne("closed")),
        "project/projectStatus/type ne 'closed'"
    );
}

#[test]
fn in_lists_values_without_spaces() {
    assert_eq!(
        text(prop("status").is_in(["Draft", "In Progress"])),
        "status in ('Draft','In Progress')"
    );
    assert_eq!(text(prop("n").is_in([1, 2, 3])), "n in (1,2,3)");
    assert_eq!(text(prop("n").is_in(vec![7i64])), "n in (7)");
    let mixed = [Value::from(1), Value::null(), Value::from("a")];
    assert_eq!(text(prop("x").is_in(mixed)), "x in (1,null,'a')");
}

#[test]
fn an_empty_in_list_is_an_error() {
    let e = error(prop("status").is_in(Vec::<String>::new()));
    assert_eq!(
        e,
        QueryError::InvalidValue {
            value: "status in ()".into(),
            reason: "an `in` list needs at least one value".into()
        }
    );
}

// --- literals -----------------------------------------------------------------------

#[test]
fn null_from_none_and_from_value_null() {
    assert_eq!(
        text(prop("projectId").eq(None::<Uuid>)),
        "projectId eq null"
    );
    assert_eq!(
        text(prop("projectId").ne(Value::null())),
        "projectId ne null"
    );
    assert_eq!(text(prop("name").eq(Some("a"))), "name eq 'a'");
}

#[test]
fn booleans() {
    assert_eq!(text(prop("isBillable").eq(true)), "isBillable eq true");
    assert_eq!(text(prop("isBillable").eq(false)), "isBillable eq false");
}

#[test]
fn integers_of_every_accepted_type() {
    assert_eq!(text(prop("n").eq(32i32)), "n eq 32");
    assert_eq!(text(prop("n").eq(-5i64)), "n eq -5");
    assert_eq!(text(prop("n").eq(u32::MAX)), "n eq 4294967295");
    assert_eq!(text(prop("n").eq(i64::MIN)), "n eq -9223372036854775808");
}

#[test]
fn floats_are_plain_with_a_point() {
    assert_eq!(text(prop("x").eq(2.029)), "x eq 2.029");
    assert_eq!(text(prop("x").eq(-0.5)), "x eq -0.5");
    assert_eq!(text(prop("x").eq(1.0)), "x eq 1.0");
    assert_eq!(text(prop("x").eq(1e21)), "x eq 1000000000000000000000.0");
    assert_eq!(text(prop("x").eq(1e-7)), "x eq 0.0000001");
    assert_eq!(
        text(prop("x").eq(Value::try_from(0.25).unwrap())),
        "x eq 0.25"
    );
}

#[test]
fn nan_and_infinities_are_rejected() {
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = error(prop("x").eq(bad));
        assert!(matches!(e, QueryError::InvalidValue { .. }), "{e:?}");
        assert!(Value::float(bad).is_err());
        assert!(Value::try_from(bad).is_err());
    }
    assert_eq!(
        error(prop("x").eq(f64::NAN)).to_string(),
        "invalid value NaN: only finite numbers can be written"
    );
    assert!(
        error(prop("x").is_in([1.0, f64::INFINITY]))
            .to_string()
            .contains("inf")
    );
}

#[test]
fn decimals_carry_the_m_suffix() {
    let d = |m, s| Value::from(Decimal::new(m, s).unwrap()).to_string();
    assert_eq!(d(2345, 3), "2.345M");
    assert_eq!(d(-5, 2), "-0.05M");
    assert_eq!(d(7, 0), "7M");
    assert_eq!(d(0, 1), "0.0M");
    assert_eq!(d(i64::MIN, 0), "-9223372036854775808M");
    assert_eq!(
        text(prop("rate").ge(Decimal::parse("-12.50").unwrap())),
        "rate ge -12.50M"
    );
    assert_eq!(
        text(prop("rate").le("2.345".parse::<Decimal>().unwrap())),
        "rate le 2.345M"
    );
}

#[test]
fn malformed_decimals_are_rejected() {
    for bad in [
        "", "-", ".5", "5.", "1.2.3", "1e5", "+1", "1M", " 1", "1_000", "--1", "١",
    ] {
        assert!(Decimal::parse(bad).is_err(), "{bad:?} should be rejected");
    }
    let fine = format!("0.{}", "1".repeat(28));
    assert!(Decimal::parse(&fine).is_ok());
    assert!(Decimal::parse(&format!("{fine}1")).is_err());
    assert!(Decimal::new(1, 28).is_ok());
    assert!(Decimal::new(1, 29).is_err());
}

#[test]
fn guids() {
    assert_eq!(
        text(prop("userId").eq(id())),
        "userId eq guid'12345678-aaaa-bbbb-cccc-ddddeeeeffff'"
    );
}

#[test]
fn dates_and_date_times() {
    assert_eq!(
        text(prop("startDate").ge(day())),
        "startDate ge datetime'2024-05-01'"
    );
    assert_eq!(
        text(prop("at").lt(day().and_hms_opt(10, 0, 0).unwrap())),
        "at lt datetime'2024-05-01T10:00:00'"
    );
    assert_eq!(
        text(prop("at").lt(Utc.with_ymd_and_hms(2024, 5, 1, 10, 0, 0).unwrap())),
        "at lt datetime'2024-05-01T10:00:00Z'"
    );
}

#[test]
fn fractions_of_a_second_are_kept_to_100_ns() {
    let at = |nanos| day().and_hms_nano_opt(10, 0, 5, nanos).unwrap();
    assert_eq!(
        Value::from(at(500_000_000)).to_string(),
        "datetime'2024-05-01T10:00:05.5'"
    );
    assert_eq!(
        Value::from(at(123_456_789)).to_string(),
        "datetime'2024-05-01T10:00:05.1234567'"
    );
    assert_eq!(
        Value::from(at(99)).to_string(),
        "datetime'2024-05-01T10:00:05'"
    );
    assert_eq!(
        Value::from(at(1_000).and_utc()).to_string(),
        "datetime'2024-05-01T10:00:05.000001Z'"
    );
}

#[test]
fn special_values_are_unquoted() {
    let cases = [
        (Special::Me, "me.id"),
        (Special::Now, "now"),
        (Special::Today, "today"),
        (Special::TodayOffsetDays(-30), "today-30d"),
        (Special::TodayOffsetDays(5), "today+5d"),
        (Special::TodayOffsetDays(0), "today"),
        (Special::TodayOffsetDays(i32::MIN), "today-2147483648d"),
        (Special::StartOfWeek, "sow"),
        (Special::EndOfWeek, "eow"),
        (Special::StartOfMonth, "som"),
        (Special::EndOfMonth, "eom"),
    ];
    for (special, word) in cases {
        assert_eq!(special.to_string(), word);
        assert_eq!(text(prop("d").eq(special)), format!("d eq {word}"));
    }
}

#[test]
fn owned_and_borrowed_strings() {
    let owned = String::from("a");
    assert_eq!(text(prop("n").eq(&owned)), "n eq 'a'");
    assert_eq!(text(prop("n").eq(owned)), "n eq 'a'");
    assert_eq!(text(prop(String::from("n")).eq("b")), "n eq 'b'");
}

// --- escaping -----------------------------------------------------------------------

#[test]
fn a_quote_is_written_twice() {
    assert_eq!(text(prop("name").eq("O'Brien")), "name eq 'O''Brien'");
    assert_eq!(text(prop("name").eq("'")), "name eq ''''");
    assert_eq!(text(prop("name").eq("''")), "name eq ''''''");
    assert_eq!(
        text(prop("name").eq("user's task")),
        "name eq 'user''s task'"
    );
}

#[test]
fn the_empty_string() {
    assert_eq!(text(prop("name").eq("")), "name eq ''");
}

#[test]
fn syntax_inside_a_string_stays_inside() {
    assert_eq!(
        text(prop("name").eq("') or (1 eq 1")),
        "name eq ''') or (1 eq 1'"
    );
    assert_eq!(text(prop("name").eq("a)")), "name eq 'a)'");
    assert_eq!(text(prop("name").eq("x and y")), "name eq 'x and y'");
    assert_eq!(text(prop("name").eq("100%")), "name eq '100%'");
    assert_eq!(text(prop("name").eq("a&b=c")), "name eq 'a&b=c'");
    assert_eq!(text(prop("name").eq("Grüße 🎉")), "name eq 'Grüße 🎉'");
}

#[test]
fn function_arguments_are_escaped_too() {
    assert_eq!(
        text(prop("name").startswith("O'B")),
        "startswith(name,'O''B')"
    );
    assert_eq!(
        text(prop("name").contains("it's")),
        "substringof('it''s',name)"
    );
    assert_eq!(
        text(prop("name").is_in(["a'", "'b"])),
        "name in ('a''','''b')"
    );
}

// --- functions ----------------------------------------------------------------------

#[test]
fn startswith_endswith_and_substringof() {
    assert_eq!(
        text(prop("name").startswith("Web")),
        "startswith(name,'Web')"
    );
    assert_eq!(text(prop("name").endswith("ing")), "endswith(name,'ing')");
    assert_eq!(
        text(prop("project/name").contains("site")),
        "substringof('site',project/name)"
    );
}

#[test]
fn tolower_wraps_the_property() {
    assert_eq!(
        text(prop("name").tolower().eq("abc")),
        "tolower(name) eq 'abc'"
    );
    assert_eq!(
        text(prop("name").tolower().startswith("we")),
        "startswith(tolower(name),'we')"
    );
    assert_eq!(
        text(prop("name").tolower().contains("x")),
        "substringof('x',tolower(name))"
    );
    assert_eq!(
        text(prop("name").tolower().is_in(["a", "b"])),
        "tolower(name) in ('a','b')"
    );
    assert!(prop("a b").tolower().eq("x").build().is_err());
}

// --- collections --------------------------------------------------------------------

#[test]
fn any_with_and_without_a_predicate() {
    assert_eq!(text(prop("tags").any()), "tags/any()");
    assert_eq!(
        text(prop("tags").any_with("t", prop("t/name").eq("x"))),
        "tags/any(t: t/name eq 'x')"
    );
    assert_eq!(
        text(prop("tags").any_with("t", prop("t/name").eq("x").or(prop("t/name").eq("y")))),
        "tags/any(t: t/name eq 'x' or t/name eq 'y')"
    );
}

#[test]
fn none_compares_any_with_false() {
    assert_eq!(text(prop("tags").none()), "tags/any() eq false");
    assert_eq!(
        text(prop("tags").none_with("t", prop("t/name").eq("x"))),
        "tags/any(t: t/name eq 'x') eq false"
    );
}

#[test]
fn count_compared_with_a_number() {
    assert_eq!(
        text(prop("members").count().lt(10)),
        "members/count() lt 10"
    );
    assert_eq!(
        text(
            prop("members")
                .count_with("m", prop("m/firstName").eq("Neil"))
                .gt(0)
        ),
        "members/count(m: m/firstName eq 'Neil') gt 0"
    );
    let c = || prop("m").count();
    assert_eq!(text(c().eq(1)), "m/count() eq 1");
    assert_eq!(text(c().ne(2)), "m/count() ne 2");
    assert_eq!(text(c().ge(3)), "m/count() ge 3");
    assert_eq!(text(c().le(4)), "m/count() le 4");
}

#[test]
fn lambda_variables_are_single_names() {
    for bad in ["", "t/x", "1t", "t'", "and"] {
        let e = error(prop("tags").any_with(bad, prop("t/name").eq("x")));
        assert!(matches!(e, QueryError::InvalidProperty { ref path, .. } if path == bad));
    }
    assert!(
        prop("m")
            .count_with("m/x", prop("m").eq(1))
            .gt(0)
            .build()
            .is_err()
    );
}

#[test]
fn errors_inside_a_lambda_surface() {
    let e = error(prop("tags").any_with("t", prop("t/na me").eq("x")));
    assert!(e.to_string().contains("t/na me"), "{e}");
    assert!(
        prop("m")
            .count_with("m", prop("m").eq(f64::NAN))
            .lt(1)
            .build()
            .is_err()
    );
    assert!(prop("bad path").count().lt(1).build().is_err());
}

// --- logic and parentheses -----------------------------------------------------------

fn a() -> Filter {
    prop("a").eq(1)
}
fn b() -> Filter {
    prop("b").eq(2)
}
fn c() -> Filter {
    prop("c").eq(3)
}

#[test]
fn and_or_not_words() {
    assert_eq!(text(a().and(b())), "a eq 1 and b eq 2");
    assert_eq!(text(a().or(b())), "a eq 1 or b eq 2");
    assert_eq!(
        text(prop("name").startswith("x").not()),
        "not startswith(name,'x')"
    );
}

#[test]
fn or_inside_and_gets_parentheses() {
    assert_eq!(text(a().and(b().or(c()))), "a eq 1 and (b eq 2 or c eq 3)");
    assert_eq!(text(a().or(b()).and(c())), "(a eq 1 or b eq 2) and c eq 3");
}

#[test]
fn and_inside_or_needs_none() {
    assert_eq!(text(a().and(b()).or(c())), "a eq 1 and b eq 2 or c eq 3");
    assert_eq!(text(a().or(b().and(c()))), "a eq 1 or b eq 2 and c eq 3");
}

#[test]
fn chains_of_one_operator_need_none() {
    assert_eq!(text(a().and(b()).and(c())), "a eq 1 and b eq 2 and c eq 3");
    assert_eq!(text(a().and(b().and(c()))), "a eq 1 and b eq 2 and c eq 3");
    assert_eq!(text(a().or(b().or(c()))), "a eq 1 or b eq 2 or c eq 3");
}

#[test]
fn not_wraps_comparisons_and_compounds() {
    // `not` binds tighter than `eq`, so `not a eq 1` would mean `(not a) eq 1`.
    assert_eq!(text(a().not()), "not (a eq 1)");
    assert_eq!(text(a().and(b()).not()), "not (a eq 1 and b eq 2)");
    assert_eq!(text(a().or(b()).not()), "not (a eq 1 or b eq 2)");
    assert_eq!(text(prop("tags").none().not()), "not (tags/any() eq false)");
    assert_eq!(text(prop("m").count().gt(1).not()), "not (m/count() gt 1)");
    assert_eq!(text(prop("tags").any().not()), "not tags/any()");
    assert_eq!(
        text(prop("name").startswith("x").not().not()),
        "not not startswith(name,'x')"
    );
    assert_eq!(text(a().not().and(b())), "not (a eq 1) and b eq 2");
}

#[test]
fn the_example_of_the_brief() {
    let f = prop("userId")
        .eq(id())
        .and(prop("startDate").ge(day()))
        .and(prop("project/name").startswith("Web").not())
        .or(prop("tags").any_with("t", prop("t/name").eq("x")));
    assert_eq!(
        text(f),
        "userId eq guid'12345678-aaaa-bbbb-cccc-ddddeeeeffff' and startDate ge datetime'2024-05-01' \
         and not startswith(project/name,'Web') or tags/any(t: t/name eq 'x')"
    );
}

// --- raw ----------------------------------------------------------------------------

#[test]
fn raw_alone_is_unchanged() {
    assert_eq!(text(Filter::raw("x eq 1 or y eq 2")), "x eq 1 or y eq 2");
}

#[test]
fn raw_combined_is_parenthesized() {
    assert_eq!(
        text(a().and(Filter::raw("x eq 1 or y eq 2"))),
        "a eq 1 and (x eq 1 or y eq 2)"
    );
    assert_eq!(text(Filter::raw("x").or(a())), "(x) or a eq 1");
    assert_eq!(text(Filter::raw("x eq 1").not()), "not (x eq 1)");
    assert_eq!(
        text(prop("tags").any_with("t", Filter::raw("t/x eq 1"))),
        "tags/any(t: t/x eq 1)"
    );
}

#[test]
fn value_display_quotes_for_raw_text() {
    let raw = Filter::raw(format!("customField eq {}", Value::from("O'Brien")));
    assert_eq!(text(raw), "customField eq 'O''Brien'");
}

// --- property paths -----------------------------------------------------------------

#[test]
fn valid_paths() {
    for good in [
        "userId",
        "_x1",
        "a/b/c",
        "project/and",
        "A",
        "nowhere",
        "todayDate",
    ] {
        assert!(
            prop(good).eq(1).build().is_ok(),
            "{good:?} should be accepted"
        );
    }
}

#[test]
fn invalid_paths_are_reported_with_the_path() {
    for bad in [
        "", "a//b", "a b", "1abc", "a/", "/a", "name'", "a-b", "a.b", "a(b)", "äb", "null", "and",
        "not/x", "today",
    ] {
        let e = error(prop(bad).eq(1));
        let QueryError::InvalidProperty { path, .. } = &e else {
            panic!("{bad:?}: wrong error {e:?}");
        };
        assert_eq!(path, bad);
        assert!(
            e.to_string()
                .starts_with(&format!("invalid property {bad:?}: "))
        );
    }
}

#[test]
fn path_messages_say_what_is_wrong() {
    let reason = |p: &str| match error(prop(p).eq(1)) {
        QueryError::InvalidProperty { reason, .. } => reason,
        other => panic!("{other:?}"),
    };
    assert_eq!(reason(""), "the path is empty");
    assert_eq!(reason("a//b"), "name 2 is empty");
    assert_eq!(
        reason("1abc"),
        "name \"1abc\" starts with '1'; a name starts with a letter or '_'"
    );
    assert_eq!(
        reason("a b"),
        "name \"a b\" contains ' '; a name holds only ASCII letters, digits and '_'"
    );
    assert_eq!(
        reason("null"),
        "\"null\" is a reserved word of the query language"
    );
}

#[test]
fn every_kind_of_condition_checks_its_path() {
    let bad = || prop("a b");
    let filters = [
        bad().ne(1),
        bad().is_in([1]),
        bad().startswith("x"),
        bad().endswith("x"),
        bad().contains("x"),
        bad().any(),
        bad().none(),
        bad().any_with("t", a()),
        bad().none_with("t", a()),
        bad().count().eq(1),
        bad().count_with("t", a()).eq(1),
    ];
    for f in filters {
        assert!(matches!(f.build(), Err(QueryError::InvalidProperty { .. })));
    }
}

#[test]
fn errors_pass_through_logic_and_the_first_wins() {
    let first = prop("first bad").eq(1);
    let second = prop("second bad").eq(1);
    let e = error(a().and(first.clone()).or(second.clone()).not());
    assert!(e.to_string().contains("first bad"), "{e}");
    let e = error(a().or(second).and(first));
    assert!(e.to_string().contains("second bad"), "{e}");
}

// --- conversions --------------------------------------------------------------------

#[test]
fn filters_convert_to_strings_checked() {
    assert_eq!(String::try_from(a()), Ok("a eq 1".to_string()));
    assert_eq!(String::try_from(&a()), Ok("a eq 1".to_string()));
    assert!(String::try_from(prop("a b").eq(1)).is_err());
}

#[test]
fn expression_accepts_builders_and_text() {
    assert_eq!(a().expression().unwrap(), "a eq 1");
    assert_eq!((&a()).expression().unwrap(), "a eq 1");
    assert_eq!("x eq 1".expression().unwrap(), "x eq 1");
    assert_eq!(String::from("y").expression().unwrap(), "y");
    assert_eq!(OrderBy::asc("a").expression().unwrap(), "a asc");
    assert_eq!((&OrderBy::desc("a")).expression().unwrap(), "a desc");
    assert!(prop("a b").eq(1).expression().is_err());
    assert!(OrderBy::asc("a b").expression().is_err());
}

// --- orderby ------------------------------------------------------------------------

fn order(o: OrderBy) -> String {
    match o.build() {
        Ok(text) => text,
        Err(e) => panic!("expected a valid order, got {e}"),
    }
}

#[test]
fn order_keys_print_their_direction() {
    assert_eq!(order(OrderBy::asc("lastName")), "lastName asc");
    assert_eq!(order(OrderBy::desc("lastName")), "lastName desc");
}

#[test]
fn order_keys_join_with_bare_commas() {
    assert_eq!(
        order(OrderBy::asc("lastName").then_desc("firstName")),
        "lastName asc,firstName desc"
    );
    assert_eq!(
        order(OrderBy::desc("a").then_asc("b").then_desc("c")),
        "a desc,b asc,c desc"
    );
    assert_eq!(
        order(OrderBy::asc("a").then(OrderBy::desc("b").then_asc("c"))),
        "a asc,b desc,c asc"
    );
}

#[test]
fn order_paths_nest() {
    assert_eq!(
        order(OrderBy::desc("projectStatus/type")),
        "projectStatus/type desc"
    );
}

#[test]
fn order_raw_is_unchanged_and_combines() {
    assert_eq!(
        order(OrderBy::raw("lastName,firstName desc")),
        "lastName,firstName desc"
    );
    assert_eq!(order(OrderBy::raw("a desc").then_asc("b")), "a desc,b asc");
}

#[test]
fn order_paths_are_checked_and_the_first_error_wins() {
    for bad in ["", "a//b", "a b", "1abc", "a/", "name'", "desc"] {
        assert!(
            matches!(OrderBy::asc(bad).build(), Err(QueryError::InvalidProperty { ref path, .. }) if path == bad),
            "{bad:?}"
        );
    }
    let e = OrderBy::asc("ok")
        .then_desc("x y")
        .then_asc("1z")
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("\"x y\""), "{e}");
    assert!(String::try_from(OrderBy::desc("a b")).is_err());
    assert_eq!(String::try_from(&OrderBy::desc("a")), Ok("a desc".into()));
}

// --- property tests -------------------------------------------------------------------

/// Reads the string literal opening at byte `start` of `text`. Returns its content
/// (with `''` read as `'`) and the byte just past its closing quote; `None` if there is
/// no literal there or it never closes.
fn read_literal(text: &str, start: usize) -> Option<(String, usize)> {
    let rest = text.get(start..)?.strip_prefix('\'')?;
    let mut content = String::new();
    let mut chars = rest.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '\'' {
            content.push(c);
        } else if chars.next_if(|&(_, next)| next == '\'').is_some() {
            content.push('\'');
        } else {
            return Some((content, start + 1 + i + 1));
        }
    }
    None
}

proptest! {
    #[test]
    fn a_string_never_leaves_its_literal(s in any::<String>()) {
        let rendered = text(prop("name").eq(s.as_str()));
        prop_assert!(rendered.starts_with("name eq '"));
        let (content, end) = read_literal(&rendered, "name eq ".len()).expect("a closed literal");
        prop_assert_eq!(&content, &s);
        prop_assert_eq!(end, rendered.len(), "the literal must end the text");
        let body = &rendered["name eq '".len()..rendered.len() - 1];
        prop_assert_eq!(body.replace("''", "'"), s.clone());
        prop_assert_eq!(body.matches('\'').count(), 2 * s.matches('\'').count());
    }

    #[test]
    fn in_lists_keep_each_value_in_its_literal(values in prop::collection::vec(any::<String>(), 1..6)) {
        let rendered = text(prop("name").is_in(values.iter()));
        let mut at = "name in (".len();
        prop_assert!(rendered.starts_with("name in ("));
        for (index, value) in values.iter().enumerate() {
            let (content, end) = read_literal(&rendered, at).expect("a closed literal");
            prop_assert_eq!(&content, value);
            let separator = if index + 1 == values.len() { ")" } else { "," };
            prop_assert_eq!(rendered.get(end..end + 1), Some(separator));
            at = end + 1;
        }
        prop_assert_eq!(at, rendered.len());
    }

    #[test]
    fn paths_are_accepted_exactly_when_well_formed(path in "[a-z0-9_/ '.]{0,8}") {
        let well_formed = path.split('/').all(|name| {
            name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        }) && !RESERVED.contains(&path.split('/').next().unwrap_or(""));
        prop_assert_eq!(prop(&path).eq(1).build().is_ok(), well_formed);
        prop_assert_eq!(OrderBy::asc(&path).build().is_ok(), well_formed);
    }

    #[test]
    fn parentheses_keep_the_tree(tree in tree()) {
        let rendered = text(tree.filter());
        let parsed = Parser::new(&rendered).expression();
        prop_assert_eq!(parsed, Some(tree.normal()), "{}", rendered);
    }
}

// --- a small reader of boolean expressions, with OData precedence -----------------------

/// A boolean expression over leaves `pN eq N` and `startswith(pN,'s')`.
#[derive(Debug, Clone, PartialEq)]
enum Tree {
    Compare(u8),
    Starts(u8),
    And(Vec<Tree>),
    Or(Vec<Tree>),
    Not(Box<Tree>),
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        (0u8..10).prop_map(Tree::Compare),
        (0u8..10).prop_map(Tree::Starts)
    ];
    leaf.prop_recursive(5, 32, 2, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Tree::And(vec![a, b])),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Tree::Or(vec![a, b])),
            inner.prop_map(|t| Tree::Not(Box::new(t))),
        ]
    })
}

impl Tree {
    fn filter(&self) -> Filter {
        match self {
            Tree::Compare(n) => prop(format!("p{n}")).eq(i64::from(*n)),
            Tree::Starts(n) => prop(format!("p{n}")).startswith("s"),
            Tree::And(parts) => parts[0].filter().and(parts[1].filter()),
            Tree::Or(parts) => parts[0].filter().or(parts[1].filter()),
            Tree::Not(inner) => inner.filter().not(),
        }
    }

    /// The same tree with nested `and`s (and `or`s) flattened into one list.
    fn normal(&self) -> Tree {
        match self {
            Tree::And(parts) => Tree::And(flatten(parts, |t| match t {
                Tree::And(p) => Some(p),
                _ => None,
            })),
            Tree::Or(parts) => Tree::Or(flatten(parts, |t| match t {
                Tree::Or(p) => Some(p),
                _ => None,
            })),
            Tree::Not(inner) => Tree::Not(Box::new(inner.normal())),
            leaf => leaf.clone(),
        }
    }
}

fn flatten(parts: &[Tree], same: fn(&Tree) -> Option<&Vec<Tree>>) -> Vec<Tree> {
    let mut out = Vec::new();
    for part in parts.iter().map(Tree::normal) {
        match same(&part) {
            Some(inner) => out.extend(inner.iter().cloned()),
            None => out.push(part),
        }
    }
    out
}

/// Reads text made of the leaves above, `and`, `or`, `not` and parentheses, where
/// `not` binds tighter than `eq` (so `not p1 eq 1` is not accepted as a negation).
struct Parser<'a> {
    tokens: Vec<&'a str>,
    at: usize,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        let mut tokens = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            let single = matches!(c, '(' | ')' | ',');
            if c == ' ' || single {
                if let Some(s) = start.take() {
                    tokens.push(&text[s..i]);
                }
                if single {
                    tokens.push(&text[i..i + 1]);
                }
            } else if start.is_none() {
                start = Some(i);
            }
        }
        if let Some(s) = start {
            tokens.push(&text[s..]);
        }
        Parser { tokens, at: 0 }
    }

    fn peek(&self) -> Option<&'a str> {
        self.tokens.get(self.at).copied()
    }

    fn take(&mut self, token: &str) -> Option<()> {
        (self.peek()? == token).then(|| self.at += 1)
    }

    fn next(&mut self) -> Option<&'a str> {
        let token = self.peek()?;
        self.at += 1;
        Some(token)
    }

    /// The whole text as one expression.
    fn expression(mut self) -> Option<Tree> {
        let tree = self.or()?;
        (self.at == self.tokens.len()).then_some(tree)
    }

    fn or(&mut self) -> Option<Tree> {
        let mut parts = vec![self.and()?];
        while self.take("or").is_some() {
            parts.push(self.and()?);
        }
        Some(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Tree::Or(parts)
        })
    }

    fn and(&mut self) -> Option<Tree> {
        let mut parts = vec![self.comparison()?];
        while self.take("and").is_some() {
            parts.push(self.comparison()?);
        }
        Some(if parts.len() == 1 {
            parts.remove(0)
        } else {
            Tree::And(parts)
        })
    }

    /// A comparison is a property, `eq` and a number; anything else is a unary term.
    fn comparison(&mut self) -> Option<Tree> {
        let save = self.at;
        let property = self.next()?;
        if self.take("eq").is_some() {
            let n: u8 = property.strip_prefix('p')?.parse().ok()?;
            return (self.next()? == n.to_string()).then_some(Tree::Compare(n));
        }
        self.at = save;
        self.unary()
    }

    fn unary(&mut self) -> Option<Tree> {
        if self.take("not").is_some() {
            return Some(Tree::Not(Box::new(self.unary()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Option<Tree> {
        if self.take("(").is_some() {
            let inner = self.or()?;
            self.take(")")?;
            return Some(inner);
        }
        self.take("startswith")?;
        self.take("(")?;
        let n: u8 = self.next()?.strip_prefix('p')?.parse().ok()?;
        self.take(",")?;
        self.take("'s'")?;
        self.take(")")?;
        Some(Tree::Starts(n))
    }
}
