//! Any bytes given as a story: decoding never panics, and decoded text is canonical (no
//! `\r`, no NUL) and indexes consistently between chars and bytes.
#![no_main]

use factmark::text::{StoryText, decode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(decoded) = decode(data) else {
        return;
    };
    assert!(!decoded.text.contains('\r'), "not canonical");
    assert!(!decoded.text.contains('\0'), "NUL in decoded text");
    let text = StoryText::new(decoded.text);
    let chars = text.len_chars();
    assert_eq!(chars, text.as_str().chars().count());
    for (c, (b, _)) in text.as_str().char_indices().enumerate().step_by(7) {
        assert_eq!(text.char_to_byte(c), b);
        assert_eq!(text.byte_to_char(b), c);
    }
    assert_eq!(text.char_to_byte(chars), text.len_bytes());
    if chars > 0 {
        let last = text.line_of_char(chars - 1);
        assert!(last < text.line_count());
    }
});
