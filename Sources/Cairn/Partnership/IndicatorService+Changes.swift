import CairnCore
import FluentKit
import Foundation

/// Adding the partnership's own indicators, setting baselines and targets, entering values and
/// saying which actions an indicator measures: coordinators and administrators, every change
/// audited. A computed indicator's values are never entered.
extension IndicatorService {
    /// One of the partnership's own indicators, as typed.
    struct NewIndicator: Sendable {
        var name = ""
        var definition = ""
        var unit = ""
        var direction = ""
        var frequency = ""
        var source = ""
        var baseline = ""
        var target = ""
    }

    /// Adds an indicator of the partnership's own; its key is made from its name.
    func create(_ input: NewIndicator, identity: Identity, address: String, now: Date = Date()) async throws -> String {
        guard identity.can(.editPartnership) else { throw AppError.forbidden }
        var v = Validator()
        let name = v.text(input.name, field: "name", label: "Name", max: 150)
        let definition = v.text(input.definition, field: "definition", label: "Definition", max: 2_000)
        let source = v.text(input.source, field: "source", label: "Source", max: 300)
        let unit = IndicatorUnit(rawValue: input.unit)
        if unit == nil { v.add("unit", "Choose the unit") }
        let direction = IndicatorDirection(rawValue: input.direction)
        if direction == nil { v.add("direction", "Choose whether higher or lower is better") }
        let frequency = IndicatorFrequency(rawValue: input.frequency)
        if frequency == nil { v.add("frequency", "Choose how often it is reported") }
        let baseline = Self.number(input.baseline, field: "baseline", label: "Baseline", &v)
        let target = Self.number(input.target, field: "target", label: "Target", &v)
        let key = "own." + Self.slug(name)
        if !name.isEmpty, try await PlanIndicator.query(on: db).filter(\.$key == key).first() != nil {
            v.add("name", "There is already an indicator called \(name)")
        }
        try v.check()
        guard let unit, let direction, let frequency else { throw AppError.invalid(v.errors) }
        let row = PlanIndicator()
        row.key = key
        row.computed = false
        row.name = name
        row.definition = definition
        row.unit = unit.rawValue
        row.direction = direction.rawValue
        row.frequency = frequency.rawValue
        row.source = source
        row.baseline = baseline
        row.target = target
        row.updatedByID = identity.userID
        row.updatedAt = now
        try await db.transaction { tx in
            try await row.create(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.indicator.created", recordType: "plan_indicator",
                                              recordID: key, address: address), on: tx)
        }
        return key
    }

    /// Sets an indicator's baseline and target (either may be left empty).
    func setTargets(key: String, baseline: String, target: String, identity: Identity, address: String, now: Date = Date()) async throws {
        guard identity.can(.editPartnership) else { throw AppError.forbidden }
        var v = Validator()
        let baselineValue = Self.number(baseline, field: "baseline", label: "Baseline", &v)
        let targetValue = Self.number(target, field: "target", label: "Target", &v)
        try v.check()
        let stored = try await PlanIndicator.query(on: db).filter(\.$key == key).first()
        let row: PlanIndicator
        if let stored {
            row = stored
        } else {
            // A computed indicator's settings are stored the first time they are set.
            row = try Self.settingsRow(for: key)
        }
        row.baseline = baselineValue
        row.target = targetValue
        row.updatedByID = identity.userID
        row.updatedAt = now
        try await db.transaction { tx in
            try await row.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: "plan.indicator.targets_set", recordType: "plan_indicator",
                                              recordID: key, address: address,
                                              detail: "baseline \(baselineValue.map { String($0) } ?? "none"), target \(targetValue.map { String($0) } ?? "none")"), on: tx)
        }
    }

    /// Enters (or corrects) the value of one of the partnership's own indicators for a period
    /// that has begun.
    func enterValue(key: String, period: String, value: String, identity: Identity, address: String, now: Date = Date()) async throws {
        guard identity.can(.editPartnership) else { throw AppError.forbidden }
        if ComputedIndicator(rawValue: key) != nil {
            throw AppError.conflict("This indicator is computed from Cairn's own records each month: its values cannot be entered.", field: "value")
        }
        guard let row = try await PlanIndicator.query(on: db).filter(\.$key == key).first(), let indicator = Self.indicator(row) else {
            throw AppError.notFound("indicator")
        }
        var v = Validator()
        let trimmed = period.trimmingCharacters(in: .whitespaces)
        let parsed = IndicatorPeriod(parsing: trimmed, frequency: indicator.frequency)
        if parsed == nil {
            v.add("period", "Enter the period as \(IndicatorPeriod.example(indicator.frequency))")
        } else if let parsed, parsed.first > MonthPeriod(CalendarDate(now, in: .london)) {
            v.add("period", "The period \(trimmed) has not begun yet: enter values only for periods that have")
        }
        let number = Self.number(value, field: "value", label: "Value", &v)
        if number == nil, v.message(for: "value") == nil { v.add("value", "Enter the value") }
        if let number, indicator.unit == .percent, !(0...100).contains(number) { v.add("value", "A percentage must be from 0 to 100") }
        if let number, indicator.unit != .percent, indicator.unit != .points, number < 0 { v.add("value", "The value must not be negative") }
        try v.check()
        guard let parsed, let number else { throw AppError.invalid(v.errors) }
        let indicatorID = try row.requireID()
        try await db.transaction { tx in
            let existing = try await PlanIndicatorValue.query(on: tx).filter(\.$indicatorID == indicatorID).filter(\.$period == parsed.description).first()
            let entry = existing ?? PlanIndicatorValue()
            entry.indicatorID = indicatorID
            entry.period = parsed.description
            entry.value = number
            entry.enteredByID = identity.userID
            entry.enteredAt = now
            try await entry.save(on: tx)
            try await audit.append(AuditEvent(actor: identity.auditActor, action: existing == nil ? "plan.indicator.value_entered" : "plan.indicator.value_corrected",
                                              recordType: "plan_indicator", recordID: key, address: address,
                                              detail: "\(parsed.description): \(number)"), on: tx)
        }
    }

    /// Says an action is (or is no longer) measured by an indicator.
    func link(key: String, actionID: UUID, measured: Bool, identity: Identity, address: String) async throws {
        guard identity.can(.editPartnership) else { throw AppError.forbidden }
        let known = ComputedIndicator(rawValue: key) != nil ? true : try await PlanIndicator.query(on: db).filter(\.$key == key).first() != nil
        guard known else { throw AppError.notFound("indicator") }
        let sql = try db.sqlDatabase()
        guard try await sql.raw("SELECT id FROM plan_actions WHERE id = \(bind: actionID)").first() != nil else {
            throw AppError.invalid([.init("action", "Choose an action from the plan")])
        }
        try await db.transaction { tx in
            let sql = try tx.sqlDatabase()
            try await sql.raw("DELETE FROM plan_action_indicators WHERE action_id = \(bind: actionID) AND indicator_key = \(bind: key)").run()
            if measured {
                try await sql.raw("INSERT INTO plan_action_indicators (action_id, indicator_key) VALUES (\(bind: actionID), \(bind: key))").run()
            }
            try await audit.append(AuditEvent(actor: identity.auditActor, action: measured ? "plan.indicator.action_linked" : "plan.indicator.action_unlinked",
                                              recordType: "plan_indicator", recordID: key, address: address, detail: "action \(actionID)"), on: tx)
        }
    }

    /// Plan actions to choose from when linking: id and title.
    func actionChoices() async throws -> [(id: UUID, title: String)] {
        try await PlanActions(database: database).choices().map { ($0.id, $0.title) }
    }

    /// An optional number: empty is none; anything else must be a finite number.
    static func number(_ text: String, field: String, label: String, _ v: inout Validator) -> Double? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }
        guard trimmed.count <= 30, let value = Double(trimmed), value.isFinite, abs(value) < 1e12 else {
            v.add(field, "\(label) must be a number, for example 42 or 87.5")
            return nil
        }
        return value
    }

    /// Lower-case letters, digits and underscores from a name.
    static func slug(_ name: String) -> String {
        let scalars = name.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) && $0.isASCII ? Character($0) : "_" }
        let collapsed = String(scalars).split(separator: "_").joined(separator: "_")
        return String(collapsed.prefix(60)).isEmpty ? "indicator" : String(collapsed.prefix(60))
    }
}
