/// A kind's period and reason (`/admin/retention/schedule/:retentionKind`). Every field is
/// optional here so a missing one is reported beside its field (422), not as an unreadable form.
struct RetentionRuleForm: FormInput {
    let amount: String?
    let unit: String?
    let reason: String?
}
