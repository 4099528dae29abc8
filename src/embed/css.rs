//! The widget's CSS made small at compile time: comments dropped, runs of
//! whitespace made one space, and no space or `;` where CSS needs none.
//! The stylesheets stay commented for their editors; the visitor's wasm
//! carries only what the browser reads.
//!
//! Deliberately conservative: strings are copied as they are, and spaces
//! are only removed beside `{`, `}`, `;` and `,`, where CSS never reads
//! them (a space beside `:` or `-` can matter: `a :hover`, `calc(a - b)`).

/// The minified length of `css` (to size [`minify`]'s output).
pub const fn minified_len(css: &str) -> usize {
    write(css.as_bytes(), &mut [])
}

/// `css` minified; `N` must be [`minified_len`] of it.
pub const fn minify<const N: usize>(css: &str) -> [u8; N] {
    let mut out = [0u8; N];
    let written = write(css.as_bytes(), &mut out);
    assert!(written == N, "N must be minified_len(css)");
    out
}

/// Where a space next to a byte is never needed.
const fn needs_no_space(byte: u8) -> bool {
    matches!(byte, b'{' | b'}' | b';' | b',')
}

/// Writes the minified `css` into `out` (nothing if `out` is empty, to
/// count) and returns its length.
const fn write(css: &[u8], out: &mut [u8]) -> usize {
    let counting = out.is_empty();
    let (mut i, mut at) = (0, 0);
    let mut space = false;
    let mut prev: u8 = b'{';
    while i < css.len() {
        let c = css[i];
        if c == b'/' && i + 1 < css.len() && css[i + 1] == b'*' {
            i += 2;
            while i + 1 < css.len() && !(css[i] == b'*' && css[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
            space = true;
            continue;
        }
        if c.is_ascii_whitespace() {
            space = true;
            i += 1;
            continue;
        }
        if space && !needs_no_space(prev) && !needs_no_space(c) {
            if !counting {
                out[at] = b' ';
            }
            at += 1;
        }
        space = false;
        // The last declaration of a block needs no `;`.
        if c == b'}' && prev == b';' {
            at -= 1;
        }
        let mut end = i + 1;
        if c == b'"' || c == b'\'' {
            while end < css.len() && css[end] != c {
                end += if css[end] == b'\\' { 2 } else { 1 };
            }
            end += 1;
            if end > css.len() {
                end = css.len();
            }
        }
        while i < end {
            if !counting {
                out[at] = css[i];
            }
            at += 1;
            i += 1;
        }
        prev = c;
    }
    at
}

#[cfg(test)]
mod tests {
    use super::*;

    fn min(css: &str) -> String {
        let mut out = vec![0; minified_len(css)];
        let n = write(css.as_bytes(), &mut out);
        String::from_utf8(out[..n].to_vec()).unwrap()
    }

    #[test]
    fn comments_and_needless_whitespace_go() {
        assert_eq!(
            min("/* the panel */\n.a,\n.b  >  .c {\n  color: red;\n  margin: 0 auto; /* why */\n}\n"),
            ".a,.b > .c{color: red;margin: 0 auto}"
        );
        assert_eq!(
            min("@media (min-width: 860px) {\n  .a { width: calc(100% - 2px) }\n}"),
            "@media (min-width: 860px){.a{width: calc(100% - 2px)}}"
        );
    }

    #[test]
    fn strings_and_selectors_keep_their_spaces() {
        assert_eq!(
            min(".a :hover::before { content: \"a  /* b */ ;\" ; }"),
            ".a :hover::before{content: \"a  /* b */ ;\"}"
        );
        assert_eq!(min("x { content: '\\'  '; }"), "x{content: '\\'  '}");
    }

    #[test]
    fn the_widget_sheet_shrinks_and_keeps_every_rule() {
        let css = super::super::styles::WIDGET_CSS_SOURCE;
        let small = super::super::styles::WIDGET_CSS;
        assert_eq!(small, min(css));
        assert!(
            small.len() < css.len() * 3 / 4,
            "{} of {}",
            small.len(),
            css.len()
        );
        assert!(!small.contains("/*"));
        // Every block survives: as many braces as outside the comments.
        let mut uncommented = String::new();
        let mut rest = css;
        while let Some((before, after)) = rest.split_once("/*") {
            uncommented.push_str(before);
            rest = after.split_once("*/").map_or("", |(_, after)| after);
        }
        uncommented.push_str(rest);
        assert_eq!(small.matches('{').count(), uncommented.matches('{').count());
        assert_eq!(small.matches('}').count(), uncommented.matches('}').count());
    }
}
