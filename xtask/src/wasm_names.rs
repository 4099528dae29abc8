//! Where a wasm module's bytes go, by crate and module: a small reader of
//! the `name` section (function names) and the code section (each
//! function's body size), enough for `cargo xtask size` to show what each
//! change cost. No other section is interpreted beyond counting its bytes.

use rustc_demangle::demangle;
use std::collections::HashMap;

/// Raw bytes attributed to one group (`crate::module`, or a section).
#[derive(Debug, PartialEq, Eq)]
pub struct Group {
    pub name: String,
    pub bytes: usize,
}

/// Where a module's code and data go.
#[derive(Debug)]
pub struct Breakdown {
    /// Function bodies by the crate and module of their function, and the
    /// data segments as one group; largest first.
    pub groups: Vec<Group>,
    /// wasm-bindgen's descriptor functions (`__wbindgen_describe_*` and
    /// the `WasmDescribe` impls they call, wherever their type lives),
    /// which wasm-bindgen runs at build time and removes.
    pub descriptors: usize,
    /// The other sections (types, imports, exports, tables, custom
    /// sections such as the names), which wasm-bindgen and wasm-opt
    /// rewrite or drop.
    pub structure: usize,
}

/// The module wasm-bindgen's descriptors live in.
const DESCRIBE: &str = "wasm_bindgen::describe";

/// The module's code and data grouped by crate and module of the function
/// that owns them. Errors if the module is malformed or carries no names.
pub fn breakdown(wasm: &[u8]) -> Result<Breakdown, String> {
    let module = Module::read(wasm)?;
    if module.names.is_empty() {
        return Err("the module has no `name` section (stripped)".into());
    }
    let mut groups: HashMap<String, usize> = HashMap::new();
    let mut descriptors = 0;
    for (i, size) in module.bodies.iter().enumerate() {
        let index = module.imported_functions + i as u32;
        let group = match module.names.get(&index) {
            Some(name) if is_descriptor(name) => DESCRIBE.to_owned(),
            Some(name) => group_of(name),
            None => "(unnamed functions)".to_owned(),
        };
        if group == DESCRIBE {
            descriptors += size;
            continue;
        }
        *groups.entry(group).or_default() += size;
    }
    if module.data > 0 {
        groups.insert("(data segments)".to_owned(), module.data);
    }
    let mut groups: Vec<Group> = groups
        .into_iter()
        .map(|(name, bytes)| Group { name, bytes })
        .collect();
    groups.sort_by(|a, b| b.bytes.cmp(&a.bytes).then_with(|| a.name.cmp(&b.name)));
    Ok(Breakdown {
        groups,
        descriptors,
        structure: module.structure,
    })
}

/// Whether the function is one wasm-bindgen runs at build time and drops:
/// an exported `__wbindgen_describe_*`, or an impl of one of its
/// `wasm_bindgen::describe` traits. Those impls are named after their self
/// type (`<js_sys::Intl::NumberFormatStyle as WasmDescribe>::describe`), so
/// by type alone they would be counted as that type's code (60 KB raw of
/// them in the widget, 19 KB under `js_sys::Intl`, none of it shipped).
fn is_descriptor(symbol: &str) -> bool {
    symbol.starts_with("__wbindgen_describe")
        || format!("{:#}", demangle(symbol)).contains(" as wasm_bindgen::describe::")
}

/// `crate::module` of a (possibly mangled) function name. A trait method
/// (`<T as Trait>::f`) is counted where its self type lives, and a generic
/// function where it is defined (`core::ptr::drop_in_place<…>` is core's),
/// so each group answers "which source did this come from".
pub fn group_of(symbol: &str) -> String {
    let name = format!("{:#}", demangle(symbol));
    let segments = leading_path(&name);
    // `<T as Trait>::f` with a type parameter for a self type (`T`, `[T]`,
    // `(A, B)`): the trait's crate says more.
    if segments.len() < 2 {
        if let Some((_, after)) = name.split_once(" as ") {
            let trait_path = leading_path(after);
            if trait_path.len() >= 2 {
                return format!("{}::{}", trait_path[0], trait_path[1]);
            }
        }
    }
    match segments.as_slice() {
        [] => "(other symbols)".to_owned(),
        [one] => (*one).to_owned(),
        [krate, module, ..] => format!("{krate}::{module}"),
    }
}

/// The path segments `name` starts with, past `<`, `&`, `mut ` and `dyn `,
/// up to where generics, a trait clause or a closure begin.
fn leading_path(name: &str) -> Vec<&str> {
    let path = name.trim_start_matches(['<', '&', '[', '(', '*']);
    let path = path
        .trim_start_matches("mut ")
        .trim_start_matches("const ")
        .trim_start_matches("dyn ");
    let end = path
        .find(['<', ' ', '{', '(', '[', '>', ',', ';', ')', ']'])
        .unwrap_or(path.len());
    path[..end].split("::").filter(|s| !s.is_empty()).collect()
}

/// What the breakdown needs from a module.
struct Module {
    /// Function imports come first in the function index space.
    imported_functions: u32,
    /// Body size of each defined function, in index order.
    bodies: Vec<usize>,
    names: HashMap<u32, String>,
    /// The data section's size.
    data: usize,
    /// Every other section's size, summed.
    structure: usize,
}

impl Module {
    fn read(wasm: &[u8]) -> Result<Module, String> {
        if wasm.get(..8) != Some(&[0, b'a', b's', b'm', 1, 0, 0, 0]) {
            return Err("not a wasm module (version 1)".into());
        }
        let mut module = Module {
            imported_functions: 0,
            bodies: Vec::new(),
            names: HashMap::new(),
            data: 0,
            structure: 0,
        };
        let mut r = Reader { bytes: wasm, at: 8 };
        while !r.done() {
            let id = r.byte()?;
            let size = r.leb()? as usize;
            let body = r.take(size)?;
            let mut s = Reader { bytes: body, at: 0 };
            match id {
                0 if s.string()? == "name" => {
                    module.names = function_names(s.rest())?;
                    module.structure += size;
                }
                2 => {
                    module.imported_functions = imported_functions(&mut s)?;
                    module.structure += size;
                }
                10 => {
                    for _ in 0..s.leb()? {
                        let len = s.leb()? as usize;
                        s.take(len)?;
                        module.bodies.push(len);
                    }
                }
                11 => module.data += size,
                _ => module.structure += size,
            }
        }
        Ok(module)
    }
}

fn imported_functions(s: &mut Reader) -> Result<u32, String> {
    let mut functions = 0;
    for _ in 0..s.leb()? {
        s.string()?;
        s.string()?;
        match s.byte()? {
            0 => {
                s.leb()?;
                functions += 1;
            }
            1 => {
                s.byte()?;
                limits(s)?;
            }
            2 => limits(s)?,
            3 => {
                s.byte()?;
                s.byte()?;
            }
            4 => {
                s.byte()?;
                s.leb()?;
            }
            kind => return Err(format!("unknown import kind {kind}")),
        }
    }
    Ok(functions)
}

fn limits(s: &mut Reader) -> Result<(), String> {
    let flags = s.byte()?;
    s.leb()?;
    if flags & 1 != 0 {
        s.leb()?;
    }
    Ok(())
}

/// Subsection 1 of the `name` section: function index → name.
fn function_names(bytes: &[u8]) -> Result<HashMap<u32, String>, String> {
    let mut names = HashMap::new();
    let mut r = Reader { bytes, at: 0 };
    while !r.done() {
        let id = r.byte()?;
        let size = r.leb()? as usize;
        let body = r.take(size)?;
        if id != 1 {
            continue;
        }
        let mut s = Reader { bytes: body, at: 0 };
        for _ in 0..s.leb()? {
            let index = s.leb()? as u32;
            names.insert(index, s.string()?);
        }
    }
    Ok(names)
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    fn byte(&mut self) -> Result<u8, String> {
        Ok(self.take(1)?[0])
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let end = end.ok_or("the module ends early")?;
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn rest(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.at..];
        self.at = self.bytes.len();
        rest
    }

    /// An unsigned LEB128 number (up to 64 bits).
    fn leb(&mut self) -> Result<u64, String> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err("a LEB128 number runs past 64 bits".into())
    }

    fn string(&mut self) -> Result<String, String> {
        let len = self.leb()? as usize;
        let bytes = self.take(len)?;
        String::from_utf8(bytes.to_vec()).map_err(|_| "a name is not UTF-8".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leb(mut n: usize, out: &mut Vec<u8>) {
        loop {
            let byte = (n & 0x7f) as u8;
            n >>= 7;
            if n == 0 {
                out.push(byte);
                return;
            }
            out.push(byte | 0x80);
        }
    }

    fn section(id: u8, body: &[u8], out: &mut Vec<u8>) {
        out.push(id);
        leb(body.len(), out);
        out.extend_from_slice(body);
    }

    fn string(s: &str, out: &mut Vec<u8>) {
        leb(s.len(), out);
        out.extend_from_slice(s.as_bytes());
    }

    /// One imported function (index 0), then two defined ones: a 3-byte
    /// wasm-bindgen descriptor and 200 bytes named as rustc names them;
    /// and a data section.
    fn module() -> Vec<u8> {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        let mut imports = vec![1];
        string("env", &mut imports);
        string("f", &mut imports);
        imports.extend_from_slice(&[0, 0]);
        section(2, &imports, &mut wasm);
        let mut code = vec![2];
        for len in [3, 200] {
            leb(len, &mut code);
            code.extend(std::iter::repeat_n(0u8, len));
        }
        section(10, &code, &mut wasm);
        section(11, &[0; 40], &mut wasm);
        let mut names = vec![2];
        leb(1, &mut names);
        string("__wbindgen_describe___wbg_fetch_0123", &mut names);
        leb(2, &mut names);
        string(
            "_ZN13hugops_widget4wall4view6render17h0123456789abcdefE",
            &mut names,
        );
        let mut name_section = Vec::new();
        string("name", &mut name_section);
        name_section.push(1);
        leb(names.len(), &mut name_section);
        name_section.extend_from_slice(&names);
        section(0, &name_section, &mut wasm);
        wasm
    }

    #[test]
    fn bodies_are_counted_by_the_crate_and_module_their_names_say() {
        let breakdown = breakdown(&module()).unwrap();
        assert_eq!(
            breakdown.groups,
            [
                Group {
                    name: "hugops_widget::wall".into(),
                    bytes: 200
                },
                Group {
                    name: "(data segments)".into(),
                    bytes: 40
                },
            ]
        );
        assert_eq!(breakdown.descriptors, 3);
        assert!(breakdown.structure > 0);
    }

    #[test]
    fn a_stripped_module_says_so() {
        let mut wasm = b"\0asm\x01\0\0\0".to_vec();
        section(10, &[0], &mut wasm);
        assert!(breakdown(&wasm).unwrap_err().contains("no `name` section"));
        assert!(breakdown(b"nope").is_err());
    }

    #[test]
    fn trait_methods_count_where_their_type_lives() {
        assert_eq!(
            group_of("<hugops_core::wire::Message as serde::de::Deserialize>::deserialize"),
            "hugops_core::wire"
        );
        assert_eq!(
            group_of("core::slice::sort::stable::drift::sort<hugops_core::x::Y>"),
            "core::slice"
        );
        assert_eq!(group_of("memcpy"), "memcpy");
        assert_eq!(
            group_of("<&mut serde_json::de::Deserializer<R> as x>::f"),
            "serde_json::de"
        );
        assert_eq!(
            group_of("<T as leptos::into_view::IntoView>::into_view"),
            "leptos::into_view"
        );
        assert_eq!(group_of("<[T] as core::fmt::Debug>::fmt"), "core::fmt");
    }

    #[test]
    fn describe_impls_are_descriptors_wherever_their_type_lives() {
        assert!(is_descriptor(
            "_ZN91_$LT$js_sys..Intl..SegmenterGranularity$u20$as$u20$wasm_bindgen..describe..WasmDescribe$GT$8describe17he5cfc17610f26e12E"
        ));
        assert!(is_descriptor("__wbindgen_describe___wbg_new_0"));
        assert!(!is_descriptor(
            "_ZN13hugops_widget4wall4view6render17h0123456789abcdefE"
        ));
    }
}
