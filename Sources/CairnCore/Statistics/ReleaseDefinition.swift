/// How a release protects its figures.
public enum ReleaseMethod: String, CaseIterable, Codable, Sendable {
    /// Small cells hidden, more hidden until none can be worked out, the rest rounded.
    case suppression
    /// Discrete Laplace noise (pure ε-differential privacy).
    case laplace = "dp-laplace"
    /// Discrete Gaussian noise (ρ-zero-concentrated differential privacy).
    case gaussian = "dp-gaussian"

    public var label: String {
        switch self {
        case .suppression: "Suppression and rounding"
        case .laplace: "Differential privacy (discrete Laplace noise)"
        case .gaussian: "Differential privacy (discrete Gaussian noise)"
        }
    }

    public var isNoise: Bool { self != .suppression }
}

/// One table of a release: a count of one population over one or two dimensions.
public struct ReleaseTableSpec: Hashable, Codable, Sendable {
    public let population: ReleasePopulation
    public let dimensions: [ReleaseDimension]

    public init(population: ReleasePopulation, dimensions: [ReleaseDimension]) {
        self.population = population
        self.dimensions = dimensions
    }

    /// "Reports of concern received by reporter type and area".
    public var name: String {
        let noun = population == .referrals ? "People referred" : "Reports of concern"
        return noun + " by " + dimensions.map { $0.label.lowercased() }.joined(separator: " and ")
    }
}

/// What a coordinator asks to publish, checked before anything is computed.
public struct ReleaseDefinition: Hashable, Codable, Sendable {
    public static let maximumTables = 8

    public let period: ReleasePeriod
    public let tables: [ReleaseTableSpec]
    public let method: ReleaseMethod
    /// Suppression: the smallest count shown (k), and the rounding base.
    public let threshold: Int
    public let roundingBase: Int
    /// Noise: the privacy parameter per table in millionths (ε for Laplace, ρ for Gaussian).
    public let parameterMicros: Int

    public init(period: ReleasePeriod, tables: [ReleaseTableSpec], method: ReleaseMethod, threshold: Int, roundingBase: Int, parameterMicros: Int) {
        self.period = period
        self.tables = tables
        self.method = method
        self.threshold = threshold
        self.roundingBase = roundingBase
        self.parameterMicros = parameterMicros
    }

    /// Field errors: at least one table and at most eight, each over one or two different
    /// dimensions its population has, no table twice; k 2–100, rounding base 1–10; a noise
    /// parameter from 0.01 to 10.
    public func problems() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if tables.isEmpty { issues.append(.init(field: "tables", message: "Choose at least one table.")) }
        if tables.count > Self.maximumTables { issues.append(.init(field: "tables", message: "A release has at most \(Self.maximumTables) tables.")) }
        if Set(tables).count != tables.count { issues.append(.init(field: "tables", message: "Each table may appear only once.")) }
        for table in tables {
            if !(1...2).contains(table.dimensions.count) || Set(table.dimensions).count != table.dimensions.count {
                issues.append(.init(field: "tables", message: "A table counts by one or two different dimensions."))
            } else if let missing = table.dimensions.first(where: { !table.population.dimensions.contains($0) }) {
                issues.append(.init(field: "tables", message: "\(table.population.label) cannot be counted by \(missing.label.lowercased())."))
            }
        }
        switch method {
        case .suppression:
            if !(2...100).contains(threshold) { issues.append(.init(field: "threshold", message: "The smallest count shown must be between 2 and 100.")) }
            if !(1...10).contains(roundingBase) { issues.append(.init(field: "roundingBase", message: "Round to a base between 1 (no rounding) and 10.")) }
        case .laplace, .gaussian:
            if !(10_000...10_000_000).contains(parameterMicros) {
                issues.append(.init(field: "parameter", message: "The privacy parameter must be between 0.01 and 10."))
            }
        }
        return issues
    }
}
