//! `rctl images`: the names in the local store.

use super::progress::human;
use super::{Context, Format};
use crate::transfer::store::Store;

/// List the images in the local store.
#[derive(Debug, clap::Args)]
pub struct Args {}

pub async fn run(ctx: &mut Context, _args: Args) -> anyhow::Result<()> {
    let store = Store::open(ctx.config.data_dir.as_deref())?;
    let images = store.images()?;
    if ctx.format == Format::Json {
        return ctx.print_json(&images);
    }
    let rows: Vec<[String; 5]> = images
        .iter()
        .map(|image| {
            [
                image.repository.clone(),
                image.tag.clone(),
                image.digest.hex().chars().take(12).collect(),
                image.created.clone().unwrap_or_else(|| "-".into()),
                human(image.size),
            ]
        })
        .collect();
    let header = ["REPOSITORY", "TAG", "DIGEST", "CREATED", "SIZE"].map(String::from);
    let mut widths = header.clone().map(|h| h.len());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.len());
        }
    }
    for row in std::iter::once(&header).chain(&rows) {
        let line: Vec<String> = row
            .iter()
            .zip(widths)
            .map(|(cell, width)| format!("{cell:width$}"))
            .collect();
        println!("{}", line.join("   ").trim_end());
    }
    Ok(())
}
