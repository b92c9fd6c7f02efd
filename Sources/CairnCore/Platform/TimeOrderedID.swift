import Foundation

extension UUID {
    /// A version 7 UUID (RFC 9562): the first 48 bits are the Unix time in milliseconds, the
    /// rest random (74 bits). Rows written together get ids that sort together, so a new row's
    /// id goes at the end of its primary-key index (and of every index on a column that refers
    /// to it) instead of on a random page: a commit then writes a few pages rather than one per
    /// row per index. Used for rows of high-volume tables (reports and their events, mentions,
    /// checklist answers and links). The time is that of creation, which those rows also store.
    public static func timeOrdered(at date: Date = Date()) -> UUID {
        var generator = PooledRandomNumberGenerator()
        return timeOrdered(milliseconds: UInt64(max(0, date.timeIntervalSince1970 * 1000)), using: &generator)
    }

    public static func timeOrdered<R: RandomNumberGenerator>(milliseconds: UInt64, using generator: inout R) -> UUID {
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        let ms = milliseconds & 0xFFFF_FFFF_FFFF
        let randA = high & 0x0FFF
        let variantAndB = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        func byte(_ value: UInt64, _ shift: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: value >> shift) }
        return UUID(uuid: (
            byte(ms, 40), byte(ms, 32), byte(ms, 24), byte(ms, 16), byte(ms, 8), byte(ms, 0),
            0x70 | byte(randA, 8), byte(randA, 0),
            byte(variantAndB, 56), byte(variantAndB, 48), byte(variantAndB, 40), byte(variantAndB, 32),
            byte(variantAndB, 24), byte(variantAndB, 16), byte(variantAndB, 8), byte(variantAndB, 0)))
    }
}
