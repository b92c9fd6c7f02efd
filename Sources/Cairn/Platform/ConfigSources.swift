import Configuration
import Synchronization

/// The layers settings come from, strongest first: command-line flags, the environment, then
/// `.env`, as one swift-configuration provider hierarchy keyed by each setting's environment
/// name. The reader gives a setting's text from the first layer that has it; `AppConfig.load`
/// validates it (our messages, every problem at once) and names the layer it came from.
struct ConfigSources {
    private let reader: ConfigReader
    private let resolved = ResolvedLayer()

    /// Settings whose values are secrets: an access log (`CONFIG_ACCESS_LOG_FILE`) redacts them.
    static let secretNames: Set<String> = ["CAIRN_METRICS_TOKEN", "CAIRN_DATABASE_URL"]

    /// - Parameters:
    ///   - flags: values given on the command line, keyed by the setting's key (e.g. "port").
    ///   - environment: the process environment.
    ///   - dotEnv: values from `.env` (`AppConfig.readDotEnv`).
    init(flags: [String: String], environment: [String: String], dotEnv: [String: String]) {
        var given: [AbsoluteConfigKey: ConfigValue] = [:]
        for setting in AppConfig.environmentNames {
            guard let text = flags[setting.key] else { continue }
            given[AbsoluteConfigKey([setting.env])] = ConfigValue(.string(text), isSecret: Self.secretNames.contains(setting.env))
        }
        let secrets = SecretsSpecifier<String, String>.specific(Self.secretNames)
        reader = ConfigReader(providers: [
            InMemoryProvider(name: "flags", values: given),
            EnvironmentVariablesProvider(environmentVariables: environment, secretsSpecifier: secrets),
            EnvironmentVariablesProvider(environmentVariables: dotEnv, secretsSpecifier: secrets),
        ], accessReporter: resolved)
    }

    /// The setting's text and where it came from (`--port`, `CAIRN_PORT`, `CAIRN_PORT in .env`);
    /// nil when no layer has it, so the default stands.
    func value(key: String, env: String) -> (text: String, source: String)? {
        guard let text = reader.string(forKey: ConfigKey([env])) else { return nil }
        switch resolved.layer {
        case 0: return (text, "--\(key)")
        case 1: return (text, env)
        default: return (text, "\(env) in .env")
        }
    }
}

/// Which layer, counted from the strongest, gave the value last read: swift-configuration
/// reports each read with the result of every provider it asked, in order, ending with the
/// one that had the value.
private final class ResolvedLayer: AccessReporter {
    private let last = Mutex(0)
    var layer: Int { last.withLock { $0 } }

    func report(_ event: AccessEvent) {
        last.withLock { $0 = max(0, event.providerResults.count - 1) }
    }
}
