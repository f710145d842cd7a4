//! The words of a `filterby` expression.

/// One token.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Token {
    /// A name: a property, a function, a keyword (`and`, `eq`, `null`, …) or a
    /// special value (`me.id`, `today`, `sow`, …).
    Word(String),
    /// `'text'`, with `''` read as one quote.
    Text(String),
    /// A typed literal: `datetime'…'`, `guid'…'`, `datetimeoffset'…'`.
    Typed {
        kind: String,
        text: String,
    },
    /// A number, with its suffix (`M`, `L`, `f`, `d`) dropped.
    Number(f64),
    /// `today+5d` / `today-30d`.
    TodayOffset(i64),
    Slash,
    Open,
    Close,
    Comma,
    Colon,
}

/// Splits `text` into tokens; `Err` names the first thing that is no token.
pub(crate) fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let chars: Vec<char> = text.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '/' => push(&mut out, &mut i, Token::Slash),
            '(' => push(&mut out, &mut i, Token::Open),
            ')' => push(&mut out, &mut i, Token::Close),
            ',' => push(&mut out, &mut i, Token::Comma),
            ':' => push(&mut out, &mut i, Token::Colon),
            '\'' => {
                let (text, next) = quoted(&chars, i)?;
                out.push(Token::Text(text));
                i = next;
            }
            c if c.is_ascii_digit()
                || (c == '-' && chars.get(i + 1).is_some_and(char::is_ascii_digit)) =>
            {
                let (number, next) = number(&chars, i)?;
                out.push(Token::Number(number));
                i = next;
            }
            c if c.is_alphabetic() || c == '_' || c == '$' => {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || "_.$".contains(chars[i])) {
                    i += 1;
                }
                let word: String = chars[start..i].iter().collect();
                if chars.get(i) == Some(&'\'') {
                    let (text, next) = quoted(&chars, i)?;
                    out.push(Token::Typed {
                        kind: word.to_ascii_lowercase(),
                        text,
                    });
                    i = next;
                } else if word.eq_ignore_ascii_case("today")
                    && matches!(chars.get(i), Some('+' | '-'))
                {
                    let (days, next) = day_offset(&chars, i)?;
                    out.push(Token::TodayOffset(days));
                    i = next;
                } else {
                    out.push(Token::Word(word));
                }
            }
            other => return Err(format!("unexpected '{other}' at position {}", i + 1)),
        }
    }
    Ok(out)
}

fn push(out: &mut Vec<Token>, i: &mut usize, token: Token) {
    out.push(token);
    *i += 1;
}

/// A `'…'` literal starting at `start`; returns its text and the index after it.
fn quoted(chars: &[char], start: usize) -> Result<(String, usize), String> {
    let mut text = String::new();
    let mut i = start + 1;
    loop {
        match chars.get(i) {
            None => {
                return Err(format!(
                    "the text starting at position {} is not closed with '",
                    start + 1
                ));
            }
            Some('\'') if chars.get(i + 1) == Some(&'\'') => {
                text.push('\'');
                i += 2;
            }
            Some('\'') => return Ok((text, i + 1)),
            Some(c) => {
                text.push(*c);
                i += 1;
            }
        }
    }
}

/// A number (`12`, `-3`, `2.5`, `1e3`, `2.345M`, `64L`, `2.0f`, `0x22`).
fn number(chars: &[char], start: usize) -> Result<(f64, usize), String> {
    let mut i = start;
    if chars.get(i) == Some(&'0') && matches!(chars.get(i + 1), Some('x' | 'X')) {
        let digits_start = i + 2;
        i = digits_start;
        while chars.get(i).is_some_and(char::is_ascii_hexdigit) {
            i += 1;
        }
        let hex: String = chars[digits_start..i].iter().collect();
        let value =
            u64::from_str_radix(&hex, 16).map_err(|_| format!("'0x{hex}' is not a byte"))?;
        return Ok((value as f64, i));
    }
    if chars[i] == '-' {
        i += 1;
    }
    while i < chars.len() && (chars[i].is_ascii_digit() || chars[i] == '.') {
        i += 1;
    }
    if matches!(chars.get(i), Some('e' | 'E'))
        && chars
            .get(i + 1)
            .is_some_and(|c| c.is_ascii_digit() || *c == '-' || *c == '+')
    {
        i += 2;
        while chars.get(i).is_some_and(char::is_ascii_digit) {
            i += 1;
        }
    }
    let text: String = chars[start..i].iter().collect();
    let value = text
        .parse::<f64>()
        .map_err(|_| format!("'{text}' is not a number"))?;
    if matches!(
        chars.get(i),
        Some('M' | 'm' | 'L' | 'l' | 'F' | 'f' | 'D' | 'd')
    ) {
        i += 1;
    }
    if chars.get(i).is_some_and(|c| c.is_alphanumeric()) {
        return Err(format!("'{text}{}' is not a number", chars[i]));
    }
    Ok((value, i))
}

/// `+5d` / `-30d` after `today`.
fn day_offset(chars: &[char], start: usize) -> Result<(i64, usize), String> {
    let sign = if chars[start] == '-' { -1 } else { 1 };
    let mut i = start + 1;
    while chars.get(i).is_some_and(char::is_ascii_digit) {
        i += 1;
    }
    let digits: String = chars[start + 1..i].iter().collect();
    if digits.is_empty() || !matches!(chars.get(i), Some('d' | 'D')) {
        return Err("'today' takes an offset in days, such as today+5d or today-30d".into());
    }
    let days: i64 = digits
        .parse()
        .map_err(|_| format!("'{digits}' days is too many"))?;
    Ok((sign * days, i + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Token::*;

    fn word(w: &str) -> Token {
        Word(w.into())
    }

    #[test]
    fn reads_literals_paths_and_punctuation() {
        assert_eq!(
            tokens("company/name eq 'O''Brien' and n ge -2.5M").unwrap(),
            vec![
                word("company"),
                Slash,
                word("name"),
                word("eq"),
                Text("O'Brien".into()),
                word("and"),
                word("n"),
                word("ge"),
                Number(-2.5)
            ]
        );
        assert_eq!(
            tokens("id eq guid'0a3c0de0-fa4e-4a11-8000-000000000001'").unwrap()[2],
            Typed {
                kind: "guid".into(),
                text: "0a3c0de0-fa4e-4a11-8000-000000000001".into()
            }
        );
        assert_eq!(tokens("d lt today-30d").unwrap()[2], TodayOffset(-30));
        assert_eq!(tokens("x eq 0x22").unwrap()[2], Number(34.0));
        assert_eq!(tokens("u eq me.id").unwrap()[2], word("me.id"));
    }

    #[test]
    fn refuses_what_is_no_token() {
        assert!(tokens("name eq 'open").unwrap_err().contains("not closed"));
        assert!(tokens("a eq #").unwrap_err().contains("'#'"));
        assert!(tokens("d lt today+d").is_err());
        assert!(tokens("n eq 12ab").is_err());
    }
}
