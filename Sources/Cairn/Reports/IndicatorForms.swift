/// Adding an item to a checklist (`/admin/indicators`).
struct NewIndicatorForm: FormInput {
    let list: String?
    let dimension: String?
    let text: String?
}

/// Rewording an item (`/admin/indicators/:indicatorId`).
struct IndicatorWordingForm: FormInput {
    let text: String?
    let dimension: String?
}
