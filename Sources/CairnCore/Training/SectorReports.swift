/// Which reports a training sector's time line counts, and which sector a campaign's audience
/// belongs to, for the "what changed afterwards" page.
extension Sector {
    /// For sectors whose workers are the ones at risk (and who rarely report as a sector of
    /// their own): the labour sector reports name, so "reports about car washes" can be
    /// counted where "reports from car washes" cannot.
    public var labourSector: LabourSector? {
        switch self {
        case .agriculture: .agriculture
        case .construction: .construction
        case .carWashes: .carWash
        case .nailBars: .nailBar
        default: nil
        }
    }

    /// Whether Cairn can tell this sector's reports apart at all.
    public var hasReports: Bool { !reporterTypes.isEmpty || !agencyTypes.isEmpty || labourSector != nil }
}

extension CampaignAudience {
    /// The training sector the audience belongs to, if one fits.
    public var trainingSector: Sector? {
        switch self {
        case .agricultureWorkers: .agriculture
        case .carWashWorkers: .carWashes
        case .nailBarWorkers: .nailBars
        case .constructionWorkers: .construction
        case .hotelStaff: .hospitality
        case .landlordsAndLettingAgents: .lettingHousing
        case .generalPublic: .generalPublic
        case .foodProcessingWorkers, .warehouseWorkers, .careWorkers, .cleaners: nil
        }
    }
}
