//! The images a PDF shows: read from the content directory (or a
//! version's files from git), checked by decoding them as Typst will, and
//! made into what a PDF/A can hold.

use std::io::Read;
use std::path::Path;

use super::Input;

/// The largest image a PDF takes (bigger ones stay as their alt text).
const MAX_IMAGE_BYTES: u64 = 50 * 1024 * 1024;

/// Image types Typst reads, by extension.
const IMAGE_EXTENSIONS: &[&str] = &["png", "jpg", "jpeg", "gif", "webp"];

/// The images documents show, read once each from the content directory
/// (or a version's files from git): only published attachments of a type
/// Typst reads, and only files that are inside the content directory.
pub(super) struct Images<'a> {
    pub(super) published: std::collections::HashSet<&'a str>,
    content_dir: &'a Path,
    in_memory: &'a std::collections::BTreeMap<String, Vec<u8>>,
}

impl<'a> Images<'a> {
    pub(super) fn new(input: &Input<'a>) -> Images<'a> {
        Images {
            published: crate::attachments::published(input.corpus, input.graph, input.config)
                .into_iter()
                .collect(),
            content_dir: input.content_dir,
            in_memory: &input.corpus.attachment_data,
        }
    }

    /// The bytes of attachment `path` when a PDF may show it.
    pub(super) fn read(&self, path: &str) -> Option<Vec<u8>> {
        let ext = path.rsplit_once('.')?.1.to_ascii_lowercase();
        if !IMAGE_EXTENSIONS.contains(&ext.as_str()) || !self.published.contains(path) {
            return None;
        }
        if let Some(bytes) = self.in_memory.get(path) {
            return (bytes.len() as u64 <= MAX_IMAGE_BYTES).then(|| bytes.clone());
        }
        let full = crate::platform::join_rel(self.content_dir, path);
        let root = crate::platform::canonicalize(self.content_dir).ok()?;
        if !crate::platform::canonicalize(&full)
            .ok()?
            .starts_with(&root)
        {
            return None;
        }
        let file =
            crate::platform::open_no_follow(&full, std::fs::OpenOptions::new().read(true)).ok()?;
        let mut bytes = Vec::new();
        file.take(MAX_IMAGE_BYTES + 1)
            .read_to_end(&mut bytes)
            .ok()?;
        (bytes.len() as u64 <= MAX_IMAGE_BYTES).then_some(bytes)
    }
}

/// The bytes Typst is given for an image read from `path`, and their
/// extension; or why the image cannot be read. A CMYK JPEG without a
/// colour profile, which PDF/A forbids (Typst embeds JPEGs as they are),
/// becomes an RGB PNG of the same pixels and resolution.
pub(super) fn prepare(bytes: Vec<u8>, path: &str) -> Result<(Vec<u8>, String), String> {
    use typst::visualize::{ExchangeFormat, RasterImage};
    let format = ExchangeFormat::detect(&bytes).ok_or_else(|| {
        crate::tr!(
            "det är ingen PNG-, JPEG-, GIF- eller WebP-bild",
            "it is not a PNG, JPEG, GIF or WebP image"
        )
    })?;
    let cmyk = format == ExchangeFormat::Jpg && jpeg_components(&bytes) == Some(4);
    let ext = path
        .rsplit_once('.')
        .map_or_else(|| "png".to_string(), |(_, e)| e.to_ascii_lowercase());
    let raster = RasterImage::plain(typst::foundations::Bytes::new(bytes), format)
        .map_err(|e| e.to_string())?;
    if !cmyk || raster.icc().is_some() {
        return Ok((raster.data().to_vec(), ext));
    }
    let rgb = raster.dynamic().to_rgb8();
    let mut png = Vec::new();
    let mut encoder = png::Encoder::new(&mut png, rgb.width(), rgb.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    if let Some(dpi) = raster.dpi() {
        // Dots per inch as pixels per metre, as PNG records them.
        let ppm = (dpi / 0.0254).round() as u32;
        encoder.set_pixel_dims(Some(png::PixelDimensions {
            xppu: ppm,
            yppu: ppm,
            unit: png::Unit::Meter,
        }));
    }
    let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
    writer
        .write_image_data(rgb.as_raw())
        .map_err(|e| e.to_string())?;
    writer.finish().map_err(|e| e.to_string())?;
    Ok((png, "png".to_string()))
}

/// The number of colour components of a JPEG, from its frame header
/// (3 for YCbCr, 4 for CMYK or YCCK); `None` when no frame header is found.
fn jpeg_components(bytes: &[u8]) -> Option<u8> {
    let mut at = 2; // after SOI
    while at + 4 <= bytes.len() {
        if bytes[at] != 0xFF {
            return None;
        }
        let marker = bytes[at + 1];
        if marker == 0xFF {
            at += 1; // fill byte
            continue;
        }
        let len = usize::from(u16::from_be_bytes([bytes[at + 2], bytes[at + 3]]));
        // SOF0..SOF15 but DHT (C4), JPG (C8) and DAC (CC).
        if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            return bytes.get(at + 9).copied();
        }
        at += 2 + len;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG's bytes up to its frame header, with `n` components.
    fn jpeg_head(n: u8) -> Vec<u8> {
        let mut b = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00];
        b.extend([0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x10, 0x00, 0x10, n]);
        b
    }

    #[test]
    fn the_frame_header_says_how_many_components() {
        assert_eq!(jpeg_components(&jpeg_head(3)), Some(3));
        assert_eq!(jpeg_components(&jpeg_head(4)), Some(4));
        assert_eq!(jpeg_components(&[0xFF, 0xD8, 0x00]), None);
        assert_eq!(jpeg_components(&[0xFF, 0xD8, 0xFF, 0xE0, 0xFF, 0xFF]), None);
    }
}
