//! Decoding: turns the bytes of an input into text. Handles UTF-8 (with or without BOM),
//! UTF-16 LE/BE (with BOM, or recognisable by its NUL pattern), and legacy 8-bit encodings
//! guessed with chardetng; normalises CRLF and lone CR to LF. Refuses binary data instead of
//! producing garbage. It does not strip control characters: that is the renderer's job.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};
use std::borrow::Cow;

/// Decoded text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, with `\n` line endings.
    pub text: String,
    /// Encoding name, e.g. `UTF-8`, `UTF-16LE`, `windows-1252`.
    pub encoding: &'static str,
    /// A note for the user when something was repaired (invalid sequences replaced).
    pub warning: Option<String>,
}

/// Why bytes could not be decoded as text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    /// The input looks like binary data (an image, an archive, NUL bytes).
    #[error("binary data, not text ({0})")]
    Binary(&'static str),
}

const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG", "PNG image"),
    (b"\xFF\xD8\xFF", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"%PDF", "PDF document; convert it to text first"),
    (b"PK\x03\x04", "ZIP archive or Office document; export it as text first"),
    (b"\x1F\x8B", "gzip archive; decompress it first"),
    (b"\x7FELF", "executable"),
];

/// Decodes `bytes` to text.
pub fn decode(bytes: &[u8]) -> Result<Decoded, DecodeError> {
    decode_cow(Cow::Borrowed(bytes))
}

/// [`decode`] of bytes the caller gives up: UTF-8 becomes the text without a copy.
pub fn decode_owned(bytes: Vec<u8>) -> Result<Decoded, DecodeError> {
    decode_cow(Cow::Owned(bytes))
}

fn decode_cow(bytes: Cow<[u8]>) -> Result<Decoded, DecodeError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom_len..]);
        return Ok(finish(text.into_owned(), enc.name(), had_errors));
    }
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Err(DecodeError::Binary(what));
        }
    }
    if let Some(enc) = utf16_without_bom(&bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes);
        return Ok(finish(text.into_owned(), enc.name(), had_errors));
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    // memchr's vector search: every input is scanned here.
    if memchr::memchr(0, head).is_some() {
        return Err(DecodeError::Binary("contains NUL bytes"));
    }
    let utf8 = match bytes {
        Cow::Owned(v) => String::from_utf8(v).map_err(|e| Cow::Owned(e.into_bytes())),
        Cow::Borrowed(b) => {
            std::str::from_utf8(b).map(str::to_string).map_err(|_| Cow::Borrowed(b))
        }
    };
    let bytes = match utf8 {
        Ok(text) => return Ok(finish(text, UTF_8.name(), false)),
        Err(bytes) => bytes,
    };
    let bytes = &*bytes;
    if mostly_utf8(bytes) {
        let (text, _) = UTF_8.decode_without_bom_handling(bytes);
        return Ok(finish(text.into_owned(), UTF_8.name(), true));
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let enc = det.guess(None, true);
    let (text, had_errors) = enc.decode_without_bom_handling(bytes);
    let mut d = finish(text.into_owned(), enc.name(), had_errors);
    if d.warning.is_none() {
        d.warning = Some(format!("not UTF-8; decoded as {} (detected)", enc.name()));
    }
    Ok(d)
}

fn finish(text: String, encoding: &'static str, had_errors: bool) -> Decoded {
    let text = normalise_newlines(text);
    let warning = had_errors.then(|| {
        let n = text.matches('\u{FFFD}').count();
        format!("{n} invalid {encoding} sequence(s) replaced with U+FFFD")
    });
    Decoded { text, encoding, warning }
}

/// UTF-16 without a BOM shows as NULs in every other byte of ASCII-heavy text.
fn utf16_without_bom(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(4096) & !1];
    // Without a NUL neither count below can reach its threshold; memchr rules most text
    // out at once.
    if head.len() < 16 || memchr::memchr(0, head).is_none() {
        return None;
    }
    let pairs = head.len() / 2;
    let even = head.iter().step_by(2).filter(|&&b| b == 0).count();
    let odd = head.iter().skip(1).step_by(2).filter(|&&b| b == 0).count();
    if odd * 10 >= pairs * 7 && even * 10 < pairs {
        Some(UTF_16LE)
    } else if even * 10 >= pairs * 7 && odd * 10 < pairs {
        Some(UTF_16BE)
    } else {
        None
    }
}

/// True when invalid bytes look like damage in UTF-8 text rather than a legacy encoding:
/// valid multi-byte sequences outnumber invalid ones, or the few invalid ones are UTF-8
/// lead bytes cut off from their continuation (legacy text is mostly stray 0x80-0xBF
/// punctuation such as Windows-1252 curly quotes).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let (mut valid_multi, mut invalid, mut invalid_leads) = (0usize, 0usize, 0usize);
    let mut rest = bytes;
    loop {
        match std::str::from_utf8(rest) {
            Ok(s) => {
                valid_multi += s.chars().filter(|c| !c.is_ascii()).count();
                break;
            }
            Err(e) => {
                let (good, bad) = rest.split_at(e.valid_up_to());
                valid_multi += std::str::from_utf8(good)
                    .map(|s| s.chars().filter(|c| !c.is_ascii()).count())
                    .unwrap_or(0);
                invalid += 1;
                if (0xC2..=0xF4).contains(&bad[0]) {
                    invalid_leads += 1;
                }
                let skip = e.error_len().unwrap_or(bad.len()).max(1);
                rest = &bad[skip.min(bad.len())..];
                if rest.is_empty() {
                    break;
                }
            }
        }
    }
    valid_multi >= invalid || (invalid <= 3 && invalid_leads == invalid)
}

fn normalise_newlines(text: String) -> String {
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return text;
    }
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Owned bytes decode as borrowed ones do, whichever way they are decoded.
    #[test]
    fn owned_bytes_decode_the_same() {
        let inputs: [&[u8]; 5] = [
            "“Khankendi”\r\nline".as_bytes(),
            b"\xEF\xBB\xBFabc",
            b"He said \x93the city\x94 and it\x92s fine, so it was.",
            b"An article about the talks \xC3\x28 that went on.",
            b"\x89PNG\r\n\x1a\n\0\0",
        ];
        for b in inputs {
            assert_eq!(decode_owned(b.to_vec()), decode(b), "{b:?}");
        }
    }

    #[test]
    fn utf8_and_bom() {
        let d = decode("“Khankendi”\r\nline".as_bytes()).unwrap();
        assert_eq!(d.text, "“Khankendi”\nline");
        assert_eq!(d.encoding, "UTF-8");
        let d = decode(b"\xEF\xBB\xBFabc").unwrap();
        assert_eq!(d.text, "abc");
    }

    #[test]
    fn utf16_both_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hé\r".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&le).unwrap().text, "hé\n");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("hé".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&be).unwrap().encoding, "UTF-16BE");
        let no_bom: Vec<u8> =
            "plain ascii text here".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        assert_eq!(decode(&no_bom).unwrap().text, "plain ascii text here");
    }

    #[test]
    fn windows_1252_curly_quotes() {
        let d = decode(b"He said \x93the city\x94 and it\x92s fine, so it was.").unwrap();
        assert_eq!(d.text, "He said “the city” and it’s fine, so it was.");
        assert_eq!(d.encoding, "windows-1252");
    }

    #[test]
    fn damaged_utf8_is_repaired_with_a_warning() {
        let d = decode(b"An article about the talks \xC3\x28 that went on.").unwrap();
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.warning.unwrap().contains("1 invalid"));
    }

    #[test]
    fn binary_is_refused() {
        assert_eq!(decode(b"\x89PNG\r\n\x1a\n\0\0"), Err(DecodeError::Binary("PNG image")));
        assert_eq!(decode(b"abc\0def\0\0\x01"), Err(DecodeError::Binary("contains NUL bytes")));
    }
}
