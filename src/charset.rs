//! Turning served bytes into text in the right encoding.
//! (Interface stub; the extract work implements it.)

/// Where the encoding was learnt from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DecodedFrom {
    Bom,
    Header,
    Meta,
    Detected,
    Utf8,
}

#[derive(Clone, Debug)]
pub struct Decoded {
    pub text: String,
    pub encoding: &'static str,
    pub from: DecodedFrom,
}

/// Decodes an HTML page: BOM, then the HTTP header, then `<meta>`, then detection.
pub fn decode_html(bytes: &[u8], _content_type: Option<&str>, _url: Option<&str>) -> Decoded {
    Decoded {
        text: String::from_utf8_lossy(bytes).into_owned(),
        encoding: "UTF-8",
        from: DecodedFrom::Utf8,
    }
}

/// Decodes a plain-text or Markdown file: BOM, then UTF-8, then detection.
pub fn decode_text(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    decode_html(bytes, content_type, None)
}
