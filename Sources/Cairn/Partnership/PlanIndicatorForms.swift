/// Adding one of the partnership's own indicators (`/plan/indicators`).
struct NewPlanIndicatorForm: FormInput {
    let name: String?
    let definition: String?
    let unit: String?
    let direction: String?
    let frequency: String?
    let source: String?
    let baseline: String?
    let target: String?
}

/// An indicator's baseline and target.
struct IndicatorTargetsForm: FormInput {
    let baseline: String?
    let target: String?
}

/// A value for one period of one of the partnership's own indicators.
struct IndicatorValueForm: FormInput {
    let period: String?
    let value: String?
}

/// Linking an action to (or from) an indicator.
struct IndicatorActionForm: FormInput {
    let action: String?
    let measured: String?
}
