import Foundation

/// Passwords and passphrases people choose most often, which an attacker tries first. A
/// passphrase is refused when, lower-cased and without spaces, dashes, dots or underscores, it
/// is one of them, one of them followed by digits or "!", or a single character repeated or a
/// run of the keyboard or the alphabet.
public enum CommonPasswords {
    static let list: Set<String> = [
        "password", "password1", "password12", "password123", "password1234", "passw0rd", "p4ssw0rd", "passwordpassword",
        "123456", "1234567", "12345678", "123456789", "1234567890", "12345678910", "123456789012", "987654321", "0987654321",
        "111111", "000000", "121212", "123123", "123321", "654321", "666666", "696969", "112233", "159753", "147258369",
        "qwerty", "qwerty123", "qwertyuiop", "qwertyuiopas", "asdfgh", "asdfghjkl", "zxcvbnm", "1q2w3e4r", "1q2w3e4r5t", "qazwsx",
        "abc123", "abcdef", "abcdefgh", "abcdefghij", "iloveyou", "iloveyou1", "letmein", "letmein123", "letmein12345",
        "welcome", "welcome1", "welcome123", "welcome12345", "monkey", "dragon", "master", "shadow", "sunshine", "princess",
        "football", "baseball", "soccer", "superman", "batman", "trustno1", "starwars", "whatever", "freedom", "secret",
        "login", "admin", "administrator", "changeme", "default", "guest", "test", "testing", "hello", "hello123", "helloworld",
        "loveyou", "lovely", "mylove", "jesus", "god", "blessed", "family", "mother", "father", "friends", "happy", "summer",
        "winter", "spring", "autumn", "london", "england", "liverpool", "chelsea", "arsenal", "manchester", "liverpool1",
        "charlie", "michael", "jessica", "ashley", "daniel", "thomas", "jordan", "hunter", "ranger", "buster", "tigger",
        "flower", "cookie", "cheese", "chocolate", "computer", "internet", "samsung", "iphone", "google", "facebook", "instagram",
        "mypassword", "mypassphrase", "passphrase", "mysecret", "opensesame", "letmeinplease", "nopassword", "mypass",
        "correcthorsebatterystaple", "thequickbrownfox", "thequickbrownfoxjumpsoverthelazydog", "iloveyouforever",
        "parola", "parola123", "haslo", "haslo123", "matkhau", "fjalekalimi", "kalimi", "motdepasse", "contrasena", "passwort",
        "zaq12wsx", "qwe123", "qweasd", "1qaz2wsx", "aa123456", "a123456", "abc12345", "pass1234", "pass123", "admin123",
        "root", "toor", "user", "username", "demo", "sample", "example", "nothing", "unknown", "private", "safety", "support",
    ]

    /// True when `text` is too easy to guess (see the type's description).
    public static func isCommon(_ text: String) -> Bool {
        let squeezed = String(text.lowercased().filter { !" -._".contains($0) })
        if squeezed.isEmpty { return true }
        if list.contains(squeezed) { return true }
        // A common word with digits or "!" after it ("password2024!").
        let stem = String(squeezed.reversed().drop { $0.isNumber || $0 == "!" }.reversed())
        if !stem.isEmpty, stem != squeezed, list.contains(stem) { return true }
        // One character over and over.
        if Set(squeezed).count <= 2 { return true }
        // A run along the alphabet, the digits or the keyboard's rows.
        let runs = ["abcdefghijklmnopqrstuvwxyz", "01234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"]
        for run in runs where run.contains(squeezed) || String(run.reversed()).contains(squeezed) { return true }
        return false
    }
}
