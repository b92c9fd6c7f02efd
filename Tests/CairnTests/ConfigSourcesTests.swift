import Foundation
import Testing

@testable import Cairn

/// The layers (flags, environment, `.env`) come from swift-configuration's provider hierarchy;
/// each problem still names the layer its value came from, and a weaker layer's value is
/// never read where a stronger one has the setting.
@Suite struct ConfigSourcesTests {
    @Test func eachProblemNamesTheLayerItsValueCameFrom() {
        do {
            _ = try AppConfig.load(flags: ["port": "eighty"],
                                   environment: ["CAIRN_LOCKOUT_MINUTES": "0", "CAIRN_HASHING_QUEUE": "-1"],
                                   dotEnv: ["CAIRN_PORT": "8081", "CAIRN_LOCKOUT_MINUTES": "5", "CAIRN_BCRYPT_COST": "99"])
            Issue.record("expected a configuration error")
        } catch let error as AppConfig.Invalid {
            #expect(error.problems == [
                "--port is \"eighty\"; it must be a whole number from 0 to 65535",
                "CAIRN_BCRYPT_COST in .env is \"99\"; it must be a whole number from 10 to 16",
                "CAIRN_LOCKOUT_MINUTES is \"0\"; it must be a whole number from 1 to 1440",
                "CAIRN_HASHING_QUEUE is \"-1\"; it must be a whole number from 0 to 10000",
            ])
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func aStrongerLayerHidesAWeakerOnesInvalidValue() throws {
        let config = try AppConfig.load(flags: ["host": "0.0.0.0"], environment: ["CAIRN_HOST": "", "CAIRN_LOCKOUT_MINUTES": "20"],
                                        dotEnv: ["CAIRN_LOCKOUT_MINUTES": "never", "CAIRN_DEMO": "on"])
        #expect(config.host == "0.0.0.0")
        #expect(config.lockoutMinutes == 20)
        #expect(config.demo)
    }
}
