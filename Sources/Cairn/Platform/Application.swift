import CairnAPI
import CairnCore
import Disclosure
import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import ServiceLifecycle

/// The services every capability shares, built once per application.
public struct AppServices: Sendable {
    public let config: AppConfig
    public let database: CairnDatabase
    public let audit: AuditLog
    public let auth: AuthService
    public let accounts: AccountService
    public let metrics: AppMetrics
    public let reports: ReportService
    /// Reports' read interface for the other capabilities (`ReportDirectory`).
    let reportDirectory: ReportDirectory
    public let cases: CaseService
    public let support: CaseSupportService
    public let intelligence: IntelligenceService
    /// Survivor-support figures for the dashboard, suppressed (`CaseInsight`).
    let caseInsight: CaseInsight
    /// How reports link, for the dashboard (`IntelligenceInsight`).
    let intelligenceInsight: IntelligenceInsight
    /// The partnership's plan: goals, actions and their updates.
    public let plan: PlanService
    /// Awareness campaigns, their codes, reach and the reports that arrived with their codes.
    let campaigns: CampaignService
    /// Statistical releases (Statistics): define, compute and check, approve and sign.
    let releases: ReleaseService
    /// The plan's indicators, computed from reports and cases through their read interfaces.
    let indicators: IndicatorService
    /// The board report over the plan and its indicators.
    let boardReports: BoardReportService
    /// The partnership's members and governance, and its information-sharing agreements.
    public let governance: GovernanceService
    public let agreements: AgreementService
    /// Audit search for those who may read the log, resolving report and case references.
    public let auditReader: AuditReader
    /// The self-assessment against the public-health framework: rounds, ratings, the heat map.
    public let assessments: AssessmentService
    /// The retention schedule: what is kept how long, and removing what is due.
    public let retention: RetentionService
    /// The HTCDS export and import and the case aggregates CSV (`Insight/Export*`).
    let exports: ExportService
    /// The dashboard over everything Cairn holds (`InsightService`).
    public let insight: InsightService
    /// The resource hub: documents in several languages with their versions (`Training/Resource*`).
    public let resources: ResourceService
    /// Public reports accepted per address per hour, for the web form and the API together.
    let reportThrottle: AddressThrottle
    /// Failed status checks per address, so references and passphrases cannot be guessed.
    let statusThrottle: AddressThrottle
    /// Failed sign-ins per address, so guessing across accounts is slowed.
    let signInThrottle: AddressThrottle
    /// Training courses, sessions, attendance, confidence feedback and totals (`Training/`).
    let training: TrainingService
    /// Reports from a sector before and after its training and campaigns (`Training/Afterwards*`).
    let afterwards: AfterwardsService
    /// A national instance's partnerships, received releases and tables (`National/`).
    let national: NationalService
    /// The survivor's own view of their case (`Survivor/`), reading cases through `CaseSurvivorView`.
    let survivor: SurvivorService

    public init(config: AppConfig, logger: Logger) throws {
        self.config = config
        database = try CairnDatabase(url: config.database, poolSize: config.databasePoolSize, logger: logger)
        audit = AuditLog(database: database)
        auth = AuthService(database: database, audit: audit, config: config,
                           hasher: PasswordHasher(threads: config.hashingThreads, queue: config.hashingQueue, cost: config.bcryptCost))
        accounts = AccountService(database: database, audit: audit, auth: auth)
        metrics = AppMetrics()
        reportDirectory = ReportDirectory(database: database)
        governance = GovernanceService(database: database, audit: audit)
        agreements = AgreementService(database: database, audit: audit)
        // Referrals, items shared with partners and shares by consent are checked against the
        // agreements in force (`SharingAgreements`).
        let sharing = agreements.interface
        cases = CaseService(database: database, audit: audit, reports: reportDirectory)
        support = CaseSupportService(database: database, audit: audit, cases: cases, reports: reportDirectory, agreements: sharing)
        // Capabilities meet through what they announce: the linker tells Cases which reports
        // it linked, and intake tells the linker which reports it stored.
        let support = support
        intelligence = IntelligenceService(database: database, audit: audit, reports: reportDirectory, config: config,
                                           reportsLinked: { links, now in await support.detectLinkedReports(links, now: now) }, agreements: sharing)
        // Intake asks campaigns whether a public report's campaign code names one.
        let campaignStatistics = CampaignStatistics(database: database)
        reports = ReportService(database: database, audit: audit, config: config, followUp: intelligence.linker.intakeFollowUp, agreements: sharing,
                                campaignCodes: campaignStatistics.codes)
        let trainingStatistics = TrainingStatistics(database: database)
        indicators = IndicatorService(database: database, audit: audit, reports: reportDirectory, cases: CaseStatistics(database: database),
                                      training: trainingStatistics, campaigns: campaignStatistics)
        training = TrainingService(database: database, audit: audit, planActions: PlanActions(database: database), statistics: trainingStatistics)
        // The afterwards page marks training sessions and campaigns on a sector's reports.
        let awareness = AwarenessEvents(
            events: { from, through in
                try await trainingStatistics.sessionEvents(from: from.description, before: through.adding(days: 1).description)
                    + campaignStatistics.events(from: from, through: through)
            },
            agenciesFirstTrained: {
                try await trainingStatistics.agenciesTrained(from: CalendarDate.first.description, before: CalendarDate.last.description)
                    .compactMapValues { try? CalendarDate(parsing: $0) }
            })
        afterwards = AfterwardsService(reports: reportDirectory, events: awareness, threshold: config.smallNumbers)
        exports = ExportService(database: database, audit: audit, cases: CaseExchange(database: database), reports: reportDirectory)
        caseInsight = CaseInsight(database: database)
        intelligenceInsight = IntelligenceInsight(database: database, reports: reportDirectory)
        auditReader = AuditReader(audit: audit, resolvers: [reports, cases])
        plan = PlanService(database: database, audit: audit)
        campaigns = CampaignService(database: database, audit: audit, reports: reportDirectory, planActions: PlanActions(database: database),
                                    resources: ResourceChoices(database: database))
        assessments = AssessmentService(database: database, audit: audit)
        boardReports = BoardReportService(database: database, audit: audit, indicators: indicators, assessments: assessments, agreements: agreements)
        insight = InsightService(database: database, reports: reportDirectory, cases: caseInsight, intelligence: intelligenceInsight,
                                 threshold: config.smallNumbers)
        retention = RetentionService(database: database, audit: audit, reports: reports, cases: cases, intelligence: intelligence, auth: auth)
        resources = ResourceService(database: database, audit: audit, maxBytes: config.resourceMaxBytes)
        let accountsForReleases = accounts
        releases = ReleaseService(
            database: database, audit: audit,
            sources: ReleaseSources(reports: reportDirectory, cases: CaseStatistics(database: database), agencyTypes: {
                Dictionary(try await accountsForReleases.agencies().compactMap { agency in AgencyType(rawValue: agency.type).map { (agency.name.lowercased(), $0) } },
                           uniquingKeysWith: { first, _ in first })
            }),
            settings: .init(partnershipID: config.partnershipID, areas: config.releaseAreas,
                            measure: PrivacyMeasure(rawValue: config.privacyMeasure) ?? .rho, capMicros: config.privacyCapMicros))
        national = NationalService(database: database, audit: audit, threshold: config.nationalThreshold)
        survivor = SurvivorService(database: database, audit: audit, cases: CaseSurvivorView(cases: cases, support: support), hasher: auth.hasher,
                                   lockoutThreshold: config.lockoutThreshold, lockoutMinutes: config.lockoutMinutes)
        // The survivor's view is kept as long as its case, and forgotten with it.
        cases.erasures.add(SurvivorService.erase)
        // SQLite is one instance: its counts stay in the process (intake is benchmarked, and
        // this costs it nothing). Instances on one PostgreSQL share theirs in a table.
        let shared: SharedRateLimits? = database.isSQLite ? nil : SharedRateLimits(database: database)
        func throttle(_ scope: String, limit: Int, window: Duration) -> AddressThrottle {
            guard let shared else { return AddressThrottle(scope: scope, limit: limit, window: window) }
            return AddressThrottle(scope: scope, rule: RateRule(limit: limit, window: window), store: shared)
        }
        reportThrottle = throttle("public_report", limit: config.reportRateLimit, window: .seconds(3600))
        statusThrottle = throttle("status_check", limit: 30, window: .seconds(15 * 60))
        signInThrottle = throttle("sign_in", limit: 30, window: .seconds(15 * 60))
    }

    /// Links the reports a stopped server left waiting, then sweeps for such reports every 30
    /// seconds, on whichever instance gets there first (`cairn serve`; see `LinkCoordination`).
    public func startLinkSweeps() async { await intelligence.linker.startSweeping() }

    /// Applies the retention schedule once a day (`cairn serve`, unless `CAIRN_RETENTION_JOB` is
    /// false), on one instance at a time (see `RetentionJob`).
    public func startRetentionJob() async {
        guard config.retentionJob else { return }
        await retention.job.start(retention)
    }

    /// Lets linking of the reports already stored finish, then closes the database.
    public func shutdown() async {
        await retention.job.stop()
        await intelligence.linker.stopSweeping()
        await reports.settle()
        await database.shutdown()
        await auth.hasher.shutdown()
    }

    /// Connects, migrates and (in demo mode) loads the demo partnership.
    public func prepare(logger: Logger) async throws {
        try await database.connect()
        try await database.migrate()
        // Made now, so the first sign-in with an unknown address does not take two hashes' time.
        _ = try await auth.hasher.decoyHash()
        if config.demo && config.national {
            // The demo accounts, and fictional partnerships' releases to add up.
            _ = try await DemoPartnership.load(into: database, auth: auth, audit: audit)
            if try await DemoNational.load(into: self) { logger.notice("demo national picture loaded") }
            logger.warning(Logger.Message(stringLiteral: DemoPartnership.notice))
        } else if config.demo {
            if try await DemoPartnership.load(into: self) {
                logger.notice("demo partnership loaded")
            }
            logger.warning(Logger.Message(stringLiteral: DemoPartnership.notice))
        }
    }
}

public enum Resources {
    /// Templates and public assets ship inside the package's resource bundle; `CAIRN_RESOURCES`
    /// points elsewhere (e.g. while editing templates).
    public static var directory: String {
        if let path = ProcessInfo.processInfo.environment["CAIRN_RESOURCES"] { return path }
        // Foundation reports either the bundle folder or its Resources subfolder depending on
        // platform; accept whichever holds the templates.
        let bases = [Bundle.module.bundleURL, Bundle.module.resourceURL].compactMap { $0 }
        for base in bases {
            for candidate in [base.appendingPathComponent("Resources"), base] where
                FileManager.default.fileExists(atPath: candidate.appendingPathComponent("Templates/layout.mustache").path) {
                return candidate.path
            }
        }
        return Bundle.module.bundleURL.appendingPathComponent("Resources").path
    }
}

public struct BuiltApplication: Sendable {
    public let services: AppServices
    public let routes: RouteTable
    /// The port `/metrics` listens on when it has a listener of its own (`CAIRN_METRICS_PORT`).
    public let metricsPort = BoundPort()
    /// The server's connection limits and counts.
    public let connections: ConnectionGuard
}

/// Builds the whole application: routes, middleware and services. Tests build the same thing.
public func buildApplication(services: AppServices, logger: Logger) async throws -> (some ApplicationProtocol, BuiltApplication) {
    let config = services.config
    let table = RouteTable()
    let views = try await Views(templatesDirectory: Resources.directory + "/Templates", demo: config.demo, routes: table)
    // HEAD is answered wherever GET is (RFC 9110 §9.1), as MethodCheckMiddleware's Allow says.
    let router = Router(context: CairnRequestContext.self, options: .autoGenerateHeadEndpoints)

    // Order matters: each layer sees what the ones before it worked out.
    router.add(middleware: FrontMiddleware(config: config, metrics: services.metrics, views: views))
    router.add(middleware: MethodCheckMiddleware(table: table))
    router.add(middleware: FileMiddleware(Resources.directory + "/Public", urlBasePath: "/assets", searchForIndexHtml: false))
    // The hub's uploads may be as large as a file it takes, with room for the form's other fields.
    let upload = UploadLimit(limit: config.resourceMaxBytes + 65_536, applies: ResourceRoute.isUpload)
    router.add(middleware: BodyLimitMiddleware(limit: config.maxBodyBytes, upload: upload))
    router.add(middleware: InputCheckMiddleware(limit: config.maxBodyBytes, upload: upload))
    router.add(middleware: AuthenticationMiddleware(auth: services.auth, survivor: config.national ? nil : services.survivor))
    router.add(middleware: CSRFMiddleware())
    router.add(middleware: APIContextMiddleware())

    let operations = OperationsController(database: services.database, metrics: services.metrics, linker: services.intelligence.linker,
                                          access: MetricsAccess(config: config))
    operations.addRoutes(to: router, table: table)
    SignInController(auth: services.auth, views: views, throttle: services.signInThrottle, demo: config.demo).addRoutes(to: router, table: table)
    AccountController(auth: services.auth, views: views).addRoutes(to: router, table: table)
    if config.national {
        // A national instance serves its own side and nothing of a partnership's.
        AgencyDirectoryController(accounts: services.accounts, audit: services.audit, views: views).addRoutes(to: router, table: table)
        AdminController(accounts: services.accounts, views: views).addRoutes(to: router, table: table)
        AuditController(audit: services.audit, reader: services.auditReader, views: views).addRoutes(to: router, table: table)
        NationalController(national: services.national, views: views).addRoutes(to: router, table: table)
    } else {
        addPartnershipRoutes(services: services, views: views, router: router, table: table)
    }

    try APIHandler(services: services).register(on: router, table: table, spec: try APISpec.load(), national: config.national)

    // Timeouts and connection caps (see ConnectionGuard); trusted proxies count only towards the total.
    let trusted = config.trustedProxies
    let connections = ConnectionGuard(limits: .init(config: config), isExempt: { trusted.contains($0) }, metrics: services.metrics, logger: logger)
    let built = BuiltApplication(services: services, routes: table, connections: connections)
    // Services stop in reverse order: the metrics listener before the database closes.
    var lifecycle: [any Service] = [ServicesLifecycle(services: services)]
    if let port = config.metricsPort {
        lifecycle.append(MetricsListener.application(host: config.host, port: port, access: MetricsAccess(config: config), operations: operations,
                                                     bound: built.metricsPort, logger: logger))
    }
    let app = Application(
        router: router,
        server: connections.http1(),
        configuration: .init(address: .hostname(config.host, port: config.port), serverName: "Cairn",
                             availableConnectionsDelegate: connections.acceptLimit),
        services: lifecycle,
        logger: logger
    )
    return (app, built)
}

/// A partnership's own pages: every capability but the national side.
func addPartnershipRoutes(services: AppServices, views: Views, router: AppRouter, table: RouteTable) {
    HomeController(services: services, views: views).addRoutes(to: router, table: table)
    AgencyDirectoryController(accounts: services.accounts, audit: services.audit, views: views).addRoutes(to: router, table: table)
    AdminController(accounts: services.accounts, views: views).addRoutes(to: router, table: table)
    AuditController(audit: services.audit, reader: services.auditReader, views: views).addRoutes(to: router, table: table)
    PublicReportController(services: services, views: views).addRoutes(to: router, table: table)
    ReportController(services: services, views: views, linkPanel: { report, identity, address in
        try await IntelligenceController.panel(for: report, services: services, identity: identity, address: address)
    }).addRoutes(to: router, table: table)
    IndicatorController(services: services, views: views).addRoutes(to: router, table: table)
    CaseController(services: services, views: views).addRoutes(to: router, table: table)
    CaseSupportController(services: services, views: views).addRoutes(to: router, table: table)
    IntelligenceController(services: services, views: views).addRoutes(to: router, table: table)
    PlanController(services: services, views: views).addRoutes(to: router, table: table)
    CampaignController(services: services, views: views).addRoutes(to: router, table: table)
    PlanIndicatorController(indicators: services.indicators, views: views).addRoutes(to: router, table: table)
    LogicModelController(indicators: services.indicators, views: views).addRoutes(to: router, table: table)
    BoardReportController(reports: services.boardReports, views: views).addRoutes(to: router, table: table)
    InsightController(insight: services.insight, accounts: services.accounts, config: services.config, views: views).addRoutes(to: router, table: table)
    AssessmentController(services: services, views: views).addRoutes(to: router, table: table)
    GovernanceController(services: services, views: views).addRoutes(to: router, table: table)
    MeetingController(services: services, views: views).addRoutes(to: router, table: table)
    AgreementController(services: services, views: views).addRoutes(to: router, table: table)
    RetentionController(services: services, views: views).addRoutes(to: router, table: table)
    ExportController(services: services, views: views).addRoutes(to: router, table: table)
    TrainingController(services: services, views: views).addRoutes(to: router, table: table)
    AfterwardsController(afterwards: services.afterwards, views: views).addRoutes(to: router, table: table)
    ResourceController(services: services, views: views).addRoutes(to: router, table: table)
    ReleaseController(releases: services.releases, views: views).addRoutes(to: router, table: table)
    SurvivorController(survivor: services.survivor, hasher: services.auth.hasher, throttle: services.signInThrottle, views: views,
                       exitTarget: services.config.quickExitURL).addRoutes(to: router, table: table)
    SurvivorTeamController(survivor: services.survivor, views: views).addRoutes(to: router, table: table)
}

/// Keeps the database open until the server has stopped taking requests (the server is shut
/// down first) and the follow-up work of every stored report (linking, case warnings) has
/// finished, then closes it. Without the wait, a SIGTERM under load closed the database under
/// the linker.
struct ServicesLifecycle: Service {
    let services: AppServices

    func run() async throws {
        try? await gracefulShutdown()
        await services.shutdown()
    }
}
