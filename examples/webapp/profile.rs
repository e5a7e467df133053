//! Who is calling: the bounded values that label every business action.
//!
//! They come from the query string, like `?device=mobile&age_group=25_34`,
//! and each is optional: a missing one is the label value `none`. An
//! unknown value is a 400, never a new series.

use bizmetrics::{LabelGroup, LabelValue};
use serde::Deserialize;

#[derive(Debug, Clone, Copy, Deserialize, LabelValue)]
#[serde(rename_all = "snake_case")]
pub enum Device {
    Mobile,
    Desktop,
    Tablet,
}

#[derive(Debug, Clone, Copy, Deserialize, LabelValue)]
pub enum AgeGroup {
    #[serde(rename = "under_25")]
    #[label(rename = "under_25")]
    Under25,
    #[serde(rename = "25_34")]
    #[label(rename = "25_34")]
    From25To34,
    #[serde(rename = "35_54")]
    #[label(rename = "35_54")]
    From35To54,
    #[serde(rename = "55_plus")]
    #[label(rename = "55_plus")]
    Over55,
}

#[derive(Debug, Clone, Copy, Deserialize, LabelValue)]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Female,
    Male,
    Other,
}

#[derive(Debug, Clone, Copy, Deserialize, LabelValue)]
#[serde(rename_all = "snake_case")]
pub enum Region {
    Hokkaido,
    Kanto,
    Kansai,
    Kyushu,
}

/// The profile sent with every request: one label per field.
#[derive(Debug, Clone, Copy, Default, Deserialize, LabelGroup)]
pub struct Profile {
    pub device: Option<Device>,
    pub age_group: Option<AgeGroup>,
    pub gender: Option<Gender>,
    pub region: Option<Region>,
}
